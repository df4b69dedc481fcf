"""Wording and formats (issue 12, item 9): money, place kinds, doctors' titles, the
registration confirmation."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from ventanilla.contributions.models import ContributionPayment
from ventanilla.countries.money import money_text

from . import test_portal_appointments
from .test_portal import sign_in

pytestmark = pytest.mark.django_db
medical = test_portal_appointments.medical  # a fixture: centres, a doctor, her slots
NBSP = "\u00a0"


def _cells(page: str, month: str) -> list[str]:
    row = page.split(f'class="govuk-table__header">{month}</th>')[1].split("</tr>")[0]
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]


@pytest.mark.parametrize(("language", "amount"), [("es", "$ 94,76"), ("en", "US$ 94.76")],
                         ids=["es", "en"])
def test_money_in_the_countrys_currency_for_the_language(language, amount):
    assert money_text(Decimal("94.76"), country="EC", language=language) == \
        amount.replace(" ", NBSP)
    assert money_text(Decimal("1130"), country="PE", language=language) == f"S/{NBSP}1,130.00"


def test_contributions_show_the_expected_amount_and_the_currency(make_affiliate):
    ana = make_affiliate(affiliation_type="voluntary", starts_on=date(2024, 1, 1))
    ContributionPayment.objects.create(affiliation=ana.affiliations.get(),
                                       period=date(2024, 1, 1), amount=Decimal("50.00"),
                                       paid_on=date(2024, 1, 20))
    client = Client()
    sign_in(client, ana)
    page = client.get("/portal/aportes/?ano=2024", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _cells(page, "January") == [f"US${NBSP}94.76", f"US${NBSP}50.00",
                                       f"Partly paid (owed US${NBSP}44.76)"]
    assert _cells(page, "February")[:2] == [f"US${NBSP}94.76", f"US${NBSP}0.00"]
    page = client.get("/portal/aportes/?ano=2024", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert _cells(page, "Enero")[:2] == [f"${NBSP}94,76", f"${NBSP}50,00"]


def test_a_salary_based_month_expects_what_the_employer_declared(make_affiliate):
    """Only the employer knows the salary: its payment is the expected amount, and a month
    not paid expects what the month before did (the arrears are no longer empty)."""
    ana = make_affiliate(affiliation_type="employee", starts_on=date(2024, 1, 1))
    ContributionPayment.objects.create(affiliation=ana.affiliations.get(),
                                       period=date(2024, 1, 1), amount=Decimal("185.40"),
                                       paid_on=date(2024, 2, 10))
    client = Client()
    sign_in(client, ana)
    page = client.get("/portal/aportes/?ano=2024", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _cells(page, "January") == [f"US${NBSP}185.40", f"US${NBSP}185.40", "Paid"]
    assert _cells(page, "February") == [f"US${NBSP}185.40", f"US${NBSP}0.00",
                                        f"Not paid (arrears) (owed US${NBSP}185.40)"]


@pytest.mark.parametrize(("language", "bellavista"), [
    ("es", "Bellavista (urbana)"), ("en", "Bellavista (urban)")], ids=["es", "en"])
def test_the_parish_list_shows_the_kind_in_the_pages_language(language, bellavista):
    from django.utils import translation

    from ventanilla.channels.web.forms import PlaceForm

    with translation.override(language):
        choices = dict(PlaceForm(country="EC", level=2, parent="0101").fields["place"].choices)
    assert choices["010101"] == bellavista
    rural = [label for label in choices.values() if "rural" in str(label)]
    assert rural and all(str(label).endswith(" (rural)") for label in rural)


@pytest.mark.parametrize(("title", "language", "shown"), [
    ("dra", "es", "Dra. María José Andrade"), ("dra", "en", "Dr María José Andrade"),
    ("dr", "es", "Dr. María José Andrade"), ("dr", "en", "Dr María José Andrade"),
    ("", "es", "María José Andrade"),
], ids=["woman-es", "woman-en", "man-es", "man-en", "no-title"])
def test_a_doctor_is_named_with_the_title_of_their_sex(title, language, shown):
    from django.utils import translation

    from ventanilla.scheduling.models import Doctor

    doctor = Doctor(given_names="María José", family_names="Andrade", title=title)
    with translation.override(language):
        assert doctor.title_name == shown


def test_the_demo_women_doctors_are_dra():
    from ventanilla.scheduling.demo import DEMO_DOCTORS

    women = {"María José", "Gabriela", "Patricia", "Rosa Elena", "Carmen", "Lucía"}
    titles = {d.given_names: d.title for doctors in DEMO_DOCTORS.values() for d in doctors}
    assert {name for name, title in titles.items() if title == "dra"} == women
    assert {title for name, title in titles.items() if name not in women} == {"dr"}


@pytest.mark.parametrize(("language", "shown"), [("es", "Dra. María López"),
                                                 ("en", "Dr María López")], ids=["es", "en"])
def test_the_appointment_page_names_the_doctor_with_her_title(make_affiliate, medical,
                                                              language, shown):
    from ventanilla.core.channels import Channel
    from ventanilla.scheduling import services as scheduling_services

    slot = medical["slots"][0]
    slot.doctor.title = "dra"
    slot.doctor.save()
    person = make_affiliate(affiliation_type="employee")
    booking = scheduling_services.booking_create(slot=slot, person=person, channel=Channel.WEB)
    client = Client()
    sign_in(client, person)
    page = client.get(f"/portal/citas/{booking.public_id}/",
                      HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert shown in page
    assert "Dr. María López" not in page


@pytest.mark.parametrize(("english", "spanish"), [
    ("Proof of identity", "Documento de identidad"),
    ("Proof of residence", "Comprobante de domicilio"),
    ("Proof of address", "Comprobante de domicilio"),
    ("Proof of the de-facto union", "Documento que acredita la unión de hecho"),
], ids=["identity", "residence", "address", "union"])
def test_a_proof_is_a_documento_or_comprobante_in_spanish(english, spanish):
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("es"):
        assert gettext(english) == spanish


def test_no_spanish_translation_says_prueba_de():
    from pathlib import Path

    import polib

    po = polib.pofile(str(Path(__file__).resolve().parents[2] / "locale" / "es" /
                          "LC_MESSAGES" / "django.po"))
    assert [e.msgid for e in po if "prueba de" in e.msgstr.lower()] == []


def _applicant(application) -> Client:
    from ventanilla.channels.web.session import KEY

    client = Client()
    s = client.session
    s[KEY] = str(application.public_id)
    s.save()
    return client


@pytest.mark.parametrize(("language", "says", "online"), [
    ("en", "Get your password (clave) at a service centre. Take your identity document.",
     "With your Cédula de identidad you can also create it online"),
    ("es", "Obtenga su clave en un centro de atención",
     "Con su Cédula de identidad también puede crearla en línea"),
], ids=["en", "es"])
def test_r_aff_04_r_aff_09_the_confirmation_says_how_to_get_a_clave(make_application,
                                                                    language, says, online):
    app = make_application("EC", state="submitted")
    page = _applicant(app).get("/solicitud/confirmacion/",
                               HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert says in page and online in page
    assert 'href="/portal/clave/en-linea/"' in page


def test_r_aff_09_a_passport_holder_is_told_only_the_service_centre(make_application):
    from ventanilla.registration.models import Application

    app = make_application("EC", state="submitted")
    Application.objects.filter(pk=app.pk).update(id_type="passport", id_number="AB123456")
    page = _applicant(app).get("/solicitud/confirmacion/",
                               HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "at a service centre" in page
    assert "/portal/clave/en-linea/" not in page
