"""The demo WhatsApp simulator: signed deliveries to the real webhook, replies shown."""

from __future__ import annotations

import pytest
from django.test import Client

from ventanilla.scheduling.models import Booking
from ventanilla.whatsapp.models import WhatsAppMessage

from .conftest import ANA, ANA_PHONE

pytestmark = pytest.mark.django_db
URL = "/demo/whatsapp/"


def test_the_simulator_holds_a_conversation_and_books(ana, slots):
    client = Client()
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{ANA_PHONE}"' in html and "Ana Paz Vera" in html  # demo numbers offered
    for text in ("Hola", ANA["name"], ANA["id"], "ODONTOLOGIA", "1", "1", "SI"):
        r = client.post(URL, {"sender": ANA_PHONE, "text": text})
        assert r.status_code == 302, r.content.decode()[:500]
    assert r["Location"] == f"{URL}?numero={ANA_PHONE}#compose"
    assert Booking.objects.count() == 1
    html = client.get(r["Location"]).content.decode()
    assert "Agendada: Odontología para Ana Paz Vera" in html
    assert html.count("govuk-inset-text") == WhatsAppMessage.objects.count()


def test_the_simulator_can_write_from_an_unregistered_number(ana):
    r = Client().post(URL, {"sender": "", "other_number": "+593 98 000 0001",
                            "text": "Hola"})
    assert r.status_code == 302
    assert WhatsAppMessage.objects.filter(phone="593980000001").exists()


def test_the_simulator_asks_for_a_number_and_a_message():
    r = Client().post(URL, {"sender": "", "other_number": "12", "text": ""})
    assert r.status_code == 422
    assert not WhatsAppMessage.objects.exists()


def test_the_simulator_is_off_in_production(settings):
    settings.DEMO_WHATSAPP = False
    assert Client().get(URL).status_code == 404
    assert Client().post(URL, {"sender": ANA_PHONE, "text": "Hola"}).status_code == 404


def test_production_settings_turn_the_simulator_off():
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "config" / "settings" /
              "production.py").read_text()
    assert "DEMO_WHATSAPP = False" in source


def test_after_a_send_the_message_box_and_the_newest_reply_open_first(ana):
    """No scrolling 7,800 px down: the page opens at the box, the newest reply right under
    it, without JavaScript."""
    client = Client()
    r = client.post(URL, {"sender": ANA_PHONE, "text": "Hola"})
    assert r["Location"].endswith("#compose")
    client.post(URL, {"sender": ANA_PHONE, "text": "Ana Paz Vera"})
    html = client.get(f"{URL}?numero={ANA_PHONE}").content.decode()
    newest = WhatsAppMessage.objects.order_by("-created_at", "-pk").first()
    oldest = WhatsAppMessage.objects.order_by("created_at", "pk").first()
    box = html.index('id="compose"')
    assert box < html.index('class="govuk-inset-text"')
    first_body = newest.body.splitlines()[0]
    assert box < html.index(first_body) < html.rindex(oldest.body.splitlines()[0])
