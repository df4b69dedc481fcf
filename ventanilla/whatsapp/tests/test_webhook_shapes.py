"""Correctly signed webhook deliveries of any shape (R-APT-07): never a 5xx, and the valid
text messages in them are processed as text, each once, whatever surrounds them.

Deliveries are generated from the documented shape of the Cloud API (``schema``): text,
button, interactive, media, location and unknown messages, statuses, contacts and errors,
with any part replaced by arbitrary JSON; and arbitrary JSON alone.
"""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ventanilla.core.text import clean_text
from ventanilla.whatsapp.models import WhatsAppMessage

from .conftest import ANA_PHONE

pytestmark = pytest.mark.django_db

NOT_TEXT = "Solo puedo leer mensajes de texto. Por favor escriba su respuesta."

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=10)
junk = json_values | st.sampled_from(["\ud800", "\x00", "a" * 5000, -1, [], {}])
phones = st.from_regex(r"5939[0-9]{8}", fullmatch=True)
other_phones = st.from_regex(r"5938[0-9]{8}", fullmatch=True)  # no text from them
ids = st.uuids().map(lambda u: f"wamid.{u.hex}")


@st.composite
def text_message(draw):
    body = draw(st.text(min_size=1, max_size=60).filter(lambda t: t.strip()))
    return {"from": draw(phones), "id": draw(ids), "timestamp": "1700000000",
            "type": "text", "text": {"body": body}}


@st.composite
def other_message(draw):
    """A message that is not text (known or unknown type), with a valid id and sender."""
    kind = draw(st.sampled_from(["image", "audio", "sticker", "location", "reaction",
                                 "unsupported", "order", "x-new-type"]))
    content = {"location": {"latitude": -0.2, "longitude": -78.5}}.get(kind, {"id": "1"})
    return {"from": draw(other_phones), "id": draw(ids), "type": kind, kind: content}


@st.composite
def broken_message(draw):
    """A message of an unexpected shape: left out, never read."""
    return draw(st.sampled_from([
        {"type": "text", "text": {"body": "sin remitente"}},                      # no from/id
        {"from": ANA_PHONE, "id": "", "type": "text", "text": {"body": "x"}},      # empty id
        {"from": ANA_PHONE, "id": "wamid.b1", "type": "text"},                     # no text
        {"from": ANA_PHONE, "id": "wamid.b2", "type": "text", "text": {"body": 5}},
        {"from": 593991234567, "id": "wamid.b3", "type": "text", "text": {"body": "x"}},
        "a message", 7, None, [],
    ]) | junk)


@st.composite
def delivery(draw):
    """(payload, valid text messages, valid messages that are not text)."""
    texts = draw(st.lists(text_message(), max_size=3, unique_by=lambda m: m["id"]))
    others = draw(st.lists(other_message(), max_size=2, unique_by=lambda m: m["id"]))
    broken = draw(st.lists(broken_message(), max_size=3))
    messages = draw(st.permutations([*texts, *others, *broken]))
    value = {"messaging_product": "whatsapp",
             "metadata": draw(st.sampled_from([{"phone_number_id": "1"}, None]) | junk),
             "contacts": draw(st.sampled_from([[{"wa_id": ANA_PHONE,
                                                 "profile": {"name": "Ana"}}], []]) | junk),
             "messages": messages,
             "statuses": draw(st.sampled_from([[{"id": "wamid.s", "status": "read"}], []])
                              | junk),
             "errors": draw(st.sampled_from([[{"code": 131051, "title": "Unsupported"}], []])
                            | junk)}
    changes = [{"field": "messages", "value": value},
               *draw(st.lists(junk | st.fixed_dictionaries({"value": junk}), max_size=2))]
    entries = [{"id": "1", "changes": changes}, *draw(st.lists(junk, max_size=2))]
    payload = {"object": "whatsapp_business_account", "entry": entries}
    for key in draw(st.sets(st.sampled_from(["object", "extra"]), max_size=1)):
        payload[key] = draw(junk)
    return payload, texts, others


def _post(webhook, payload) -> object:
    raw = json.dumps(payload).encode() if not isinstance(payload, bytes) else payload
    return webhook("", "", raw=raw)


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(delivery())
def test_r_apt_07_text_messages_are_processed_whatever_surrounds_them(webhook, generated):
    payload, texts, others = generated
    with transaction.atomic():
        r = _post(webhook, payload)
        assert (r.status_code, r.json()) == (
            200, {"status": "ok", "processed": len(texts) + len(others)})
        received = {m.wa_id: m for m in WhatsAppMessage.objects.filter(direction="in")}
        assert set(received) == {m["id"] for m in texts + others}
        for m in texts:  # read as the text it is (cleaned like every text input)
            assert received[m["id"]].body == clean_text(m["text"]["body"], multiline=True)
        for m in others:  # answered as not text, whatever its type
            replies = WhatsAppMessage.objects.filter(direction="out", phone=m["from"])
            assert NOT_TEXT in {x.body for x in replies}
            assert received[m["id"]].body == ""
        transaction.set_rollback(True)


@settings(max_examples=80, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(json_values | junk)
@example(b"\xff\xfe")
@example(b'{"entry": [{"changes": [{"value": {"messages": [{"type": "text"}]}}]}]}')
@example({"entry": [{"changes": [{"value": {"messages": "x"}}]}]})
@example({"entry": [{"changes": [{"value": None}]}]})
@example({"object": 1, "entry": []})
@example({"entry": 5})
@example({"entry": [{"changes": [{"value": {"contacts": 5, "messages": [7]}}]}]})
@example(json.loads("[" * 100 + "]" * 100))
def test_any_signed_json_is_answered_without_a_server_error(webhook, payload):
    with transaction.atomic():
        r = _post(webhook, payload)
        if isinstance(payload, bytes):
            try:
                payload = json.loads(payload)
            except ValueError:
                payload = None
        if isinstance(payload, dict):
            assert (r.status_code, r.json()["status"]) == (200, "ok")
        else:
            assert (r.status_code, r.json()["code"]) == (400, "PAYLOAD_INVALID")
        transaction.set_rollback(True)
