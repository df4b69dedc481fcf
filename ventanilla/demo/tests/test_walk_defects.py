"""Defects found by walking the booking as the five demo people (tests/e2e/
test_never_trapped.py, R-APT-14), kept as tests on the demo data now that they are fixed."""

from __future__ import annotations

import html
import re

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


def main_text(response) -> str:
    page = response.content.decode()
    page = page[page.find("<main"):page.find("</main>")]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_gloria_in_cuenca_is_offered_the_nearest_city_first():
    from ventanilla.scheduling.nearby import places_with_times

    call_command("loaddemo")
    places = places_with_times(country="EC", service="general_medicine", level=1,
                               near="0101")
    assert [code for code, _free, _km in places][:2] == ["0901", "1701"]
    assert all(km is not None for _code, _free, km in places)


def test_marcelas_full_day_by_its_address_says_why_not_no_free_times():
    from ventanilla.demo import appointments
    from ventanilla.people.models import Person
    from ventanilla.scheduling.models import Centre

    call_command("loaddemo")
    marcela = Person.objects.get(country="EC", id_number=appointments.DAILY_LIMIT_ID)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.post("/portal/entrar/", {"document": "EC:cedula",
                                           "id_number": marcela.id_number,
                                           "password": "Ventanilla-demo-2026"}
                       ).status_code == 302
    query = (f"booked_for={marcela.public_id}&specialty=dentistry&province=09&city=0901"
             f"&date={appointments.full_day().isoformat()}")
    centre = Centre.objects.get(code="ec-med-gye-sur")
    for url in (f"/portal/citas/nueva/centro/?{query}",
                f"/portal/citas/nueva/hora/?{query}&centre={centre.public_id}"):
        page = main_text(client.get(url))
        assert "There are no free times left on this date." not in page, url
        assert "at most 2 medical appointments a day" in page, url


def test_segundo_manuel_on_whatsapp_is_not_offered_a_specialty_that_is_refused_again():
    from ventanilla.whatsapp.conversation import conversation_reply

    call_command("loaddemo")
    phone = "593969001122"
    for text in ("Hello", "Segundo Manuel Chicaiza Guamán", "0601234560"):
        conversation_reply(phone=phone, text=text)
    refusal = "\n".join(conversation_reply(phone=phone, text="DENTISTRY").replies)
    assert "Seguro Social Campesino" in refusal
    offered_again = "write another specialty" in refusal
    again = "\n".join(conversation_reply(phone=phone, text="GENERAL MEDICINE").replies)
    refused_again = "Seguro Social Campesino" in again
    assert not (offered_again and refused_again), refusal
