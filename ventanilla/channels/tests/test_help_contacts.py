"""R-HLP-01 on the pages: every "call us" names the institution's real numbers as links
(tel:, wa.me), the footer shows the visitor's country's lines in both languages, and the
outage pages give the phone lines and say the online service is down."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import timezone, translation

from ventanilla.accounts.blocks import account_block
from ventanilla.accounts.models import AccountBlock

from .test_portal_appointments import medical  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db
CLAVE = "una clave larga 2026"


def sign_in(client, person):
    r = client.post("/portal/entrar/", {"document": f"{person.country}:{person.id_type}",
                                        "id_number": person.id_number, "password": CLAVE})
    assert r.status_code == 302, r.content.decode()[:500]
    return client


def footer(page: str) -> str:
    return page[page.index('<footer class="govuk-footer">'):]


def main(page: str) -> str:
    return page[page.index("<main"):page.index("</main>")]


def tel_links(html: str) -> list[str]:
    return re.findall(r'href="(tel:[^"]*|https://wa\.me/[^"]*)"', html)


@pytest.fixture
def peruvian(make_affiliate):
    return make_affiliate(country="PE", id_type="dni", id_number="10000007",
                          given_names="Rosa", family_names="Quispe Mamani",
                          mobile_phone="+51912345678", affiliation_type="essalud_regular")


@pytest.mark.parametrize(("language", "call"), [("es", "Llame al"), ("en", "Call")])
def test_r_hlp_01_the_footer_of_an_unknown_visitor_shows_every_countrys_main_line(
        language, call):
    page = Client().get("/portal/entrar/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert tel_links(footer(page)) == ["tel:140", "tel:+5114118000"]
    assert f'href="tel:140">{call} 140</a>' in page
    assert f'href="tel:+5114118000">{call} (01) 411-8000</a>' in page
    assert ("Ayuda y contacto" if language == "es" else "Help and contact") in footer(page)


@pytest.mark.parametrize(("language", "texts"), [
    ("es", ["Llame al (01) 411-8000", "Las 24 horas, todos los días", "Citas médicas"]),
    ("en", ["Call (01) 411-8000", "24 hours, every day", "Medical appointments"]),
])
def test_r_hlp_01_the_footer_of_a_signed_in_person_shows_their_countrys_lines(
        peruvian, language, texts):
    client = sign_in(Client(), peruvian)
    page = client.get("/portal/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert tel_links(footer(page)) == [
        "tel:+5114118000", "tel:107", "tel:113", "https://wa.me/51941986682"]
    for text in texts:
        assert text in footer(page)
    assert "tel:140" not in page  # Ecuador's line is not offered to a Peruvian affiliate


def test_r_hlp_01_the_footer_follows_the_country_in_the_address():
    page = Client().get("/registro/pe/correo/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert tel_links(footer(page))[:2] == ["tel:+5114118000", "tel:107"]
    assert "tel:140" not in footer(page)


def test_r_hlp_01_a_blocked_account_on_the_home_page_is_told_the_numbers(make_affiliate):
    person = make_affiliate(affiliation_type="voluntary", starts_on=date(2024, 1, 1))
    client = sign_in(Client(), person)
    account_block(person=person, cause=AccountBlock.Cause.NO_SHOWS, detail="3 no-shows")
    page = main(client.get("/portal/", HTTP_ACCEPT_LANGUAGE="es").content.decode())
    assert "o agende por teléfono o WhatsApp:" in page
    assert tel_links(page) == ["tel:140", "tel:+5931800100000", "tel:161",
                               "https://wa.me/593967300000"]
    assert ">WhatsApp 096 730 0000</a>" in page
    assert "Solo Medicina General y Odontología." in page


def test_r_hlp_01_a_visit_without_free_times_names_the_information_lines(make_affiliate):
    from ventanilla.scheduling.defaults import office_services_ensure
    from ventanilla.scheduling.models import Centre

    person = make_affiliate()
    centre = Centre.objects.create(country="EC", code="ec-empty", name="CAU Vacío",
                                   subdivision_code="170150", address="Av. Amazonas")
    office_services_ensure("EC")
    client = sign_in(Client(), person)
    page = main(client.get("/portal/visitas/nueva/fecha/", {
        "service": "document_submission", "centre": str(centre.public_id),
        "booked_for": str(person.public_id)}, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "This centre has no free times" in page and "or ask by phone:" in page
    assert tel_links(page) == ["tel:140", "tel:131"]
    assert "call the call centre" not in page


def test_r_hlp_01_an_appointment_too_close_to_change_names_the_appointment_lines(
        make_affiliate, medical):  # noqa: F811
    from ventanilla.core.channels import Channel
    from ventanilla.scheduling.models import Slot
    from ventanilla.scheduling.services import booking_create

    person = make_affiliate(affiliation_type="employee")
    slot = medical["slots"][0]
    booking = booking_create(slot=slot, person=person, channel=Channel.WEB)
    soon = timezone.now() + timedelta(hours=2)
    Slot.objects.filter(pk=slot.pk).update(starts_at=soon, ends_at=soon + timedelta(minutes=20))
    client = sign_in(Client(), person)
    page = main(client.get(f"/portal/citas/{booking.public_id}/",
                           HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "up to 12 hours before. To change or cancel it, call:" in page
    assert tel_links(page) == ["tel:140", "tel:+5931800100000", "tel:161"]
    assert ">Call 1800-100-000</a>" in page


@pytest.mark.parametrize(("language", "down"), [
    ("es", "El servicio en línea no funciona en este momento («no hay sistema»)"),
    ("en", "The online service is not working at the moment (“no hay sistema”)"),
])
def test_r_hlp_01_the_outage_page_says_the_service_is_down_and_gives_the_phones(
        language, down):
    request = RequestFactory().get("/")
    with translation.override(language):
        page = render_to_string("503.html", request=request)
    assert down in main(page)
    assert tel_links(main(page)) == [
        "tel:140", "tel:+5931800100000", "tel:161", "https://wa.me/593967300000",
        "tel:+5114118000", "tel:107"]


@pytest.mark.urls("ventanilla.channels.tests.urls_failing")
def test_r_hlp_01_a_database_outage_page_gives_the_phones_without_the_database():
    page = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en").get("/fallo/db/")
    body = page.content.decode()
    assert page.status_code == 503 and "(“no hay sistema”)" in body
    assert 'href="tel:140">Call 140</a>' in body
    assert 'href="tel:+5114118000">Call (01) 411-8000</a>' in body


def test_r_hlp_01_the_include_renders_only_the_asked_purpose():
    from django.template import Context, Template

    html = Template('{% load help_contacts %}{% help_contacts country="EC" '
                    'purpose="general" kinds="phone" %}').render(Context({}))
    assert tel_links(html) == ["tel:140", "tel:131"]
    assert "wa.me" not in html and "iess.gob.ec" not in html
