"""Issue 12 item 8: the specialty and place step — the most booked specialties first with
their plain descriptions, only what suits the patients' ages, and the city that depends on
the province with and without JavaScript."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from django.core.cache import cache
from django.test import Client

from .test_portal_appointments import medical, sign_in, what_query  # noqa: F401

pytestmark = pytest.mark.django_db
WHAT = "/portal/citas/nueva/especialidad/"


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def specialty_order(page: str) -> list[str]:
    return re.findall(r'name="specialty" type="radio" value="([a-z_]+)"', page) or \
        re.findall(r'type="radio" name="specialty" value="([a-z_]+)"', page) or \
        re.findall(r'value="([a-z_]+)"[^>]*name="specialty"', page)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_general_medicine_comes_first_and_each_specialty_says_what_it_is(make_affiliate,
                                                                         medical):  # noqa: F811
    adult = make_affiliate()
    page = sign_in(Client(), adult).get(WHAT, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    order = specialty_order(page)
    assert order[0] == "general_medicine", order
    assert "A first visit for most health problems." in html.unescape(page)
    # an adult with nobody under 18 to book for is not offered Pediatrics at all
    assert "pediatrics" not in order


def test_the_most_booked_specialties_come_first(make_affiliate, medical):  # noqa: F811
    from ventanilla.scheduling.services import booking_create

    for i, slot in enumerate(medical["slots"][:3]):      # three Dentistry bookings
        booking_create(slot=slot, person=make_affiliate(id_number=f"17100340{60 + i}"[:10]),
                       channel="web")
    cache.clear()
    adult = make_affiliate(id_number="0926687856")
    page = sign_in(Client(), adult).get(WHAT).content.decode()
    assert specialty_order(page)[0] == "dentistry"


def test_pediatrics_is_offered_for_a_child_and_refused_for_the_adult_with_why(
        make_affiliate, medical):  # noqa: F811
    parent = make_affiliate()
    child = make_affiliate(id_number="1712345674", given_names="Sofía", family_names="Paz",
                           date_of_birth=date(2018, 3, 1), affiliation_type="dependant",
                           holder=parent.affiliations.get(), relationship="child",
                           with_clave=False)
    client = sign_in(Client(), parent)
    assert "pediatrics" in specialty_order(client.get(WHAT).content.decode())
    ok = client.get(f"{WHAT}?{what_query(child, 'pediatrics')}")
    assert ok.status_code == 302 and "/fecha/" in ok["Location"]
    refused = text(client.get(f"{WHAT}?{what_query(parent, 'pediatrics')}",
                              HTTP_ACCEPT_LANGUAGE="en"))
    assert "Pediatrics is for patients under 18" in refused
    assert "Choose another patient or specialty" in refused


def test_a_new_province_alone_shows_its_cities_without_an_error(make_affiliate,
                                                                medical):  # noqa: F811
    person = make_affiliate()
    client = sign_in(Client(), person)
    first = client.get(f"{WHAT}?booked_for=&specialty=&province=17&city=", HTTP_ACCEPT_LANGUAGE="en")
    page = first.content.decode()
    assert 'value="1701"' in page and 'value="0901"' not in page      # Pichincha's only
    # without JavaScript: the province changed to Guayas, the Quito city still selected
    r = client.get(f"{WHAT}?booked_for={person.public_id}&specialty=dentistry&province=09"
                   "&city=1701", HTTP_ACCEPT_LANGUAGE="en")
    page = text(r)
    assert r.status_code == 200 and "There is a problem" not in page
    assert "You chose another province: now choose one of its cities." in page
    assert 'value="0901"' in page and 'value="1701"' not in page
    assert re.search(r'value="dentistry"[^>]*checked', r.content.decode())  # answers kept
