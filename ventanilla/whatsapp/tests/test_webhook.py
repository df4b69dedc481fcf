"""The Cloud API webhook: handshake, signature, payload, one processing per delivery
(R-APT-07)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from ventanilla.scheduling.models import Booking
from ventanilla.whatsapp.models import WhatsAppConversation, WhatsAppMessage

from .conftest import ANA, ANA_PHONE, WEBHOOK, replies_to

pytestmark = pytest.mark.django_db


def test_r_apt_07_handshake_echoes_the_challenge():
    r = Client().get(WEBHOOK, {"hub.mode": "subscribe", "hub.verify_token": "test-verify-token",
                               "hub.challenge": "1158201444"})
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/plain")
    assert r.content == b"1158201444"


@pytest.mark.parametrize("params", [
    {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
    {"hub.mode": "unsubscribe", "hub.verify_token": "test-verify-token", "hub.challenge": "1"},
    {},
], ids=["wrong-token", "wrong-mode", "nothing"])
def test_r_apt_07_handshake_refuses_anything_else(params):
    r = Client().get(WEBHOOK, params)
    assert r.status_code == 403
    assert r.json()["code"] == "WEBHOOK_VERIFY_FAILED"


def test_r_apt_07_handshake_refused_when_no_token_is_configured(settings):
    settings.WHATSAPP_VERIFY_TOKEN = ""
    r = Client().get(WEBHOOK, {"hub.mode": "subscribe", "hub.verify_token": "",
                               "hub.challenge": "1"})
    assert r.status_code == 403


def _body(text="Hola", message_id="wamid.A1"):
    from ventanilla.channels.whatsapp.payload import build

    return json.dumps(build(phone=ANA_PHONE, text=text, message_id=message_id)).encode()


def test_r_apt_07_an_unsigned_delivery_is_refused_and_nothing_processed():
    r = Client().post(WEBHOOK, data=_body(), content_type="application/json")
    assert r.status_code == 401
    assert r.json()["code"] == "SIGNATURE_MISSING"
    assert not WhatsAppMessage.objects.exists()
    assert not WhatsAppConversation.objects.exists()


@pytest.mark.parametrize("header", [
    "sha256=" + "0" * 64, "sha1=abc", "garbage", "sha256=",
], ids=["wrong-hmac", "wrong-algorithm", "garbage", "empty"])
def test_r_apt_07_a_wrongly_signed_delivery_is_refused_and_nothing_processed(header):
    r = Client().post(WEBHOOK, data=_body(), content_type="application/json",
                      headers={"X-Hub-Signature-256": header})
    assert r.status_code == 403
    assert r.json()["code"] == "SIGNATURE_INVALID"
    assert not WhatsAppMessage.objects.exists()


def test_r_apt_07_signed_with_another_secret_is_refused(webhook):
    r = webhook(ANA_PHONE, "Hola", secret="not-the-app-secret")
    assert r.status_code == 403
    assert not WhatsAppMessage.objects.exists()


def test_r_apt_07_the_signature_covers_the_exact_body(webhook):
    """A body changed after signing (one byte) is refused."""
    from ventanilla.channels.whatsapp.payload import signature

    body = _body()
    sig = signature(body, "test-app-secret")
    r = Client().post(WEBHOOK, data=body.replace(b"Hola", b"Holb"),
                      content_type="application/json", headers={"X-Hub-Signature-256": sig})
    assert r.status_code == 403


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b'"text"'],
                         ids=["not-json", "list", "string"])
def test_a_signed_body_that_is_not_a_json_object_is_a_400(webhook, raw):
    r = webhook("", "", raw=raw)
    assert r.status_code == 400
    assert r.json()["code"] == "PAYLOAD_INVALID"


@pytest.mark.parametrize("raw", [b'{"entry": 5}', b'{"entry": ["x"]}'],
                         ids=["entry-not-list", "entry-not-object"])
def test_a_signed_payload_of_an_unexpected_shape_is_acknowledged_and_logged(webhook, raw,
                                                                          caplog):
    """Meta retries any answer but 200 for days: a payload it sends in a shape we do not
    know is answered 200 (nothing processed) and logged for us to look at."""
    r = webhook("", "", raw=raw)
    assert (r.status_code, r.json()) == (200, {"status": "ok", "processed": 0})
    assert "unexpected shape" in caplog.text or "not a list" in caplog.text
    assert not WhatsAppMessage.objects.exists()


def test_status_updates_and_empty_payloads_are_accepted_and_ignored(webhook):
    raw = json.dumps({"object": "whatsapp_business_account", "entry": [{"changes": [
        {"value": {"statuses": [{"id": "wamid.S", "status": "delivered"}]}}]}]}).encode()
    r = webhook("", "", raw=raw)
    assert (r.status_code, r.json()) == (200, {"status": "ok", "processed": 0})
    assert not WhatsAppMessage.objects.exists()


def test_a_delivery_is_recorded_and_answered(webhook):
    r = webhook(ANA_PHONE, "Hola", message_id="wamid.first")
    assert (r.status_code, r.json()) == (200, {"status": "ok", "processed": 1})
    inbound = WhatsAppMessage.objects.get(direction="in")
    assert (inbound.wa_id, inbound.phone, inbound.body) == ("wamid.first", ANA_PHONE, "Hola")
    assert len(replies_to(ANA_PHONE)) == 2  # greeting + ask the name
    # no access token in test settings: the replies are kept, marked not sent
    assert set(WhatsAppMessage.objects.filter(direction="out")
               .values_list("status", flat=True)) == {"not_sent"}


def test_r_apt_07_the_same_delivery_twice_books_once(webhook, ana, slots):
    for n, text in enumerate(["Hola", ANA["name"], ANA["id"], "ODONTOLOGÍA", "1", "1"]):
        webhook(ANA_PHONE, text, message_id=f"wamid.step{n}")
    first = webhook(ANA_PHONE, "SI", message_id="wamid.confirm")
    replies = WhatsAppMessage.objects.filter(direction="out").count()
    again = webhook(ANA_PHONE, "SI", message_id="wamid.confirm")  # Meta retries
    assert first.json()["processed"] == 1 and again.json()["processed"] == 0
    assert Booking.objects.count() == 1
    assert WhatsAppMessage.objects.filter(direction="out").count() == replies
    assert WhatsAppMessage.objects.filter(wa_id="wamid.confirm").count() == 1


def test_non_text_messages_get_a_polite_answer(webhook):
    raw_payload = json.loads(_body(message_id="wamid.img"))
    message = raw_payload["entry"][0]["changes"][0]["value"]["messages"][0]
    message.update({"type": "image", "image": {"id": "1"}})
    del message["text"]
    r = webhook("", "", raw=json.dumps(raw_payload).encode())
    assert r.status_code == 200
    assert replies_to(ANA_PHONE) == [
        "Solo puedo leer mensajes de texto. Por favor escriba su respuesta."]


def test_the_webhook_is_in_the_api_schema():
    schema = Client().get("/api/v1/openapi.json").json()
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/whatsapp/webhook"])


def test_a_message_with_a_nul_character_is_stored_without_it(db):
    """PostgreSQL refuses NUL in text: a received message is cleaned like every text input."""
    from ventanilla.whatsapp.models import WhatsAppMessage
    from ventanilla.whatsapp.services import message_receive

    assert message_receive(wa_id="wamid.\x00NUL", phone="593991234567", text="Ho\x00la") \
        is not None
    inbound = WhatsAppMessage.objects.get(direction="in")
    assert (inbound.wa_id, inbound.body) == ("wamid.NUL", "Hola")
