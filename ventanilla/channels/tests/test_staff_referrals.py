"""Staff record a referral to a second-level specialty from the person's page (R-APT-08,
R-APT-12); the person can then book it. Browser tests with axe:
tests/e2e/test_staff_referrals.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from ventanilla.accounts.roles import Role
from ventanilla.accounts.services import staff_create
from ventanilla.core.channels import Channel
from ventanilla.core.dates import day_text
from ventanilla.core.models import AuditEntry
from ventanilla.countries.registry import get_pack
from ventanilla.scheduling import services as scheduling_services
from ventanilla.scheduling.defaults import medical_services_ensure
from ventanilla.scheduling.errors import ReferralRequired
from ventanilla.scheduling.models import Booking, Centre, Doctor, Referral, Slot

pytestmark = pytest.mark.django_db


def signed_in(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def page_of(person) -> str:
    return f"/staff/personas/{person.public_id}/"


def form_of(person) -> str:
    return f"/staff/personas/{person.public_id}/referencias/nueva/"


def today_in(country: str) -> date:
    return timezone.localdate(timezone=get_pack(country).tz)


def day_in(language: str, day: date) -> str:
    with translation.override(language):
        return day_text(day)


def dates(name: str, day: date | None) -> dict[str, str]:
    if day is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month),
            f"{name}_year": str(day.year)}


def answers(*, specialty="ophthalmology", issued_by="Centro de Salud N.º 1", doctor="",
            issued_on: date | None = None, expires_on: date | None = None) -> dict[str, str]:
    today = today_in("EC")
    return {"specialty": specialty, "issued_by": issued_by, "doctor": doctor,
            **dates("issued_on", issued_on or today),
            **dates("expires_on", expires_on or today + timedelta(days=90))}


@pytest.fixture
def operator(db):
    return staff_create(username="operator", password="Staff-password-123",
                        role=Role.OPERATOR, country="EC")


@pytest.fixture
def specialties(db):
    return {s.code: s for s in medical_services_ensure("EC")}


@pytest.fixture
def hospital(db):
    return Centre.objects.create(country="EC", kind=Centre.Kind.MEDICAL, code="ec-hd-central",
                                 name="Hospital del Día Central", subdivision_code="170150",
                                 address="Av. 10 de Agosto y Colón")


@pytest.fixture
def doctor(db):
    return Doctor.objects.create(country="EC", given_names="Gabriela",
                                 family_names="Núñez Ortiz", registration_code="MSP-1")


@pytest.fixture
def peruvian(make_affiliate):
    return make_affiliate(country="PE", id_type="dni", id_number="10117410",
                          given_names="Rosa", family_names="Quispe Mamani",
                          affiliation_type="sis_para_todos", mobile_phone="+51912345678")


# --- the form ---------------------------------------------------------------------------------

def test_r_apt_12_staff_referral_form_offers_only_specialties_that_need_one(
        agent, make_affiliate, specialties, hospital):
    agent.centre = hospital
    agent.save(update_fields=["centre"])
    person = make_affiliate()
    today = today_in("EC")
    expires = today + timedelta(days=90)
    response = signed_in(agent).get(form_of(person))
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert 'name="specialty" value="ophthalmology"' in html
    assert 'name="specialty" value="traumatology"' in html
    assert 'value="general_medicine"' not in html  # first level: booked directly
    assert 'name="issued_by" value="Hospital del Día Central"' in html  # the agent's centre
    assert 'name="doctor"' not in html  # the country has no doctors yet
    for name, day in (("issued_on", today), ("expires_on", expires)):
        for part, value in (("day", day.day), ("month", day.month), ("year", day.year)):
            assert f'name="{name}_{part}" value="{value}"' in html
    entry = AuditEntry.objects.get(actor=agent, action="person.referrals.view")
    assert entry.subject_ref == person.subject_ref


# --- issuing, then booking ----------------------------------------------------------------------

def test_r_apt_08_staff_issue_a_referral_then_the_person_books_the_specialty(
        agent, make_affiliate, specialties, hospital, doctor):
    person = make_affiliate()
    eyes = specialties["ophthalmology"]
    starts_at = datetime.combine(today_in("EC") + timedelta(days=7), time(15, 0), tzinfo=UTC)
    slot = Slot.objects.create(centre=hospital, service=eyes, starts_at=starts_at,
                               ends_at=starts_at + timedelta(minutes=20), capacity=1)
    with pytest.raises(ReferralRequired):  # no referral yet
        scheduling_services.booking_create(slot=slot, person=person, channel=Channel.WEB)

    today = today_in("EC")
    client = signed_in(agent)
    response = client.post(form_of(person), answers(
        issued_by="  Dra. Gabriela Núñez — Centro de Salud N.º 1 ", doctor=str(doctor.public_id),
        expires_on=today + timedelta(days=60)))
    assert response.status_code == 302
    assert response["Location"] == page_of(person)

    referral = Referral.objects.get(person=person)
    assert (referral.specialty, referral.issued_by, referral.doctor, referral.centre,
            referral.issued_on, referral.expires_on, referral.status) == (
        eyes, "Dra. Gabriela Núñez — Centro de Salud N.º 1", doctor, None, today,
        today + timedelta(days=60), Referral.Status.ACTIVE)
    entry = AuditEntry.objects.get(actor=agent, action="referral.issue")
    assert (entry.subject_ref, entry.object_id, entry.details) == (
        person.subject_ref, str(referral.public_id),
        {"specialty": "ophthalmology", "expires_on": str(today + timedelta(days=60))})

    html = client.get(page_of(person)).content.decode()
    expiry = day_in("en", today + timedelta(days=60))
    assert f"Referral to Ophthalmology recorded. It can be used to book until {expiry}." in html

    booking = scheduling_services.booking_create(slot=slot, person=person, channel=Channel.WEB)
    referral.refresh_from_db()
    assert (referral.status, referral.used_by) == (Referral.Status.USED, booking)
    assert Booking.objects.filter(booked_for=person, slot=slot).count() == 1


def test_r_apt_08_staff_referral_keeps_the_staff_centre_when_it_is_the_referrer(
        agent, make_affiliate, specialties, hospital):
    agent.centre = hospital
    agent.save(update_fields=["centre"])
    person = make_affiliate()
    response = signed_in(agent).post(form_of(person), answers(
        specialty="traumatology", issued_by="Hospital del Día Central"))
    assert response.status_code == 302
    referral = Referral.objects.get(person=person)
    assert (referral.specialty.code, referral.centre, referral.doctor) == (
        "traumatology", hospital, None)


def test_r_apt_08_staff_referral_message_in_spanish(agent, make_affiliate, specialties):
    person = make_affiliate()
    client = signed_in(agent, "es")
    today = today_in("EC")
    client.post(form_of(person), answers(expires_on=today + timedelta(days=30)))
    html = client.get(page_of(person)).content.decode()
    expiry = day_in("es", today + timedelta(days=30))
    assert (f"Referencia a Oftalmología registrada. Sirve para agendar hasta el {expiry}."
            in html)


# --- invalid answers: 422, an error per field, nothing saved ------------------------------------

@pytest.mark.parametrize("changes,field,message", [
    ({"expires_on": -1}, "expires_on",
     "The expiry date must be on or after the issue date."),
    ({"expires_on": 366}, "expires_on",
     "The expiry date must be no more than one year after the issue date."),
    ({"issued_on": -400, "expires_on": -40}, "expires_on",
     "The expiry date must be today or later: an expired referral cannot be used."),
    ({"issued_on": 1, "expires_on": 30}, "issued_on",
     "The issue date must be today or earlier."),
    ({"issued_on": None}, "issued_on", "Enter the issue date"),
    ({"expires_on": None}, "expires_on", "Enter the expiry date"),
    ({"expires_on_day": "31", "expires_on_month": "2"}, "expires_on", "Enter a real date"),
    ({"expires_on_month": ""}, "expires_on", "Expiry date must include a month"),
    ({"specialty": ""}, "specialty", "Select the specialty of the referral"),
    ({"specialty": "general_medicine"}, "specialty", "Select the specialty of the referral"),
    ({"issued_by": "   "}, "issued_by", "Enter the doctor or health centre that refers"),
    ({"doctor": "not-a-doctor"}, "doctor", "Select a doctor from the list, or leave it empty"),
], ids=["expiry-before-issue", "expiry-over-a-year", "already-expired", "issued-tomorrow",
        "no-issue-date", "no-expiry-date", "not-a-real-date", "expiry-without-month",
        "no-specialty", "first-level-specialty", "no-referrer", "unknown-doctor"])
def test_r_apt_08_staff_referral_with_invalid_answers_is_422_and_saves_nothing(
        agent, make_affiliate, specialties, doctor, changes, field, message):
    person = make_affiliate()
    today = today_in("EC")
    data = answers()
    for key, value in changes.items():
        if key in ("issued_on", "expires_on"):
            data.update(dates(key, None if value is None else today + timedelta(days=value)))
        else:
            data[key] = value
    response = signed_in(agent).post(form_of(person), data)
    html = response.content.decode()
    assert response.status_code == 422
    assert html.split("<title>")[1].strip().startswith("Error:")
    summary = html.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert message in summary
    assert f'id="id_{field}_error"' in html
    assert message in html.split(f'id="id_{field}_error"')[1].split("</p>")[0]
    assert not Referral.objects.exists()
    assert not AuditEntry.objects.filter(action="referral.issue").exists()


def test_r_apt_08_staff_referral_shows_every_date_problem_at_once(
        agent, make_affiliate, specialties):
    person = make_affiliate()
    today = today_in("EC")
    response = signed_in(agent).post(form_of(person), answers(
        specialty="", issued_on=today + timedelta(days=2), expires_on=today + timedelta(days=1)))
    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) == {"specialty", "issued_on", "expires_on"}


def test_r_apt_08_staff_referral_errors_in_spanish(agent, make_affiliate, specialties):
    person = make_affiliate()
    today = today_in("EC")
    response = signed_in(agent, "es").post(form_of(person), answers(
        expires_on=today + timedelta(days=400)))
    html = response.content.decode()
    assert response.status_code == 422
    assert "Hay un problema" in html
    assert ("La fecha de vencimiento no puede ser más de un año posterior a la fecha de "
            "emisión.") in html


# --- who may issue ----------------------------------------------------------------------------

def test_r_apt_08_staff_referral_needs_sign_in(make_affiliate):
    response = Client().get(form_of(make_affiliate()))
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/entrar/")


@pytest.mark.parametrize("who", ["operator", "reviewer"])
def test_r_apt_08_staff_without_add_referral_are_refused(request, make_affiliate, specialties,
                                                         who):
    user = request.getfixturevalue(who)
    person = make_affiliate()
    client = signed_in(user)
    assert client.get(form_of(person)).status_code == 403
    assert client.post(form_of(person), answers()).status_code == 403
    assert not Referral.objects.exists()
    assert not AuditEntry.objects.filter(subject_ref=person.subject_ref).exists()


def test_r_apt_08_staff_without_add_referral_see_no_link(operator, make_affiliate):
    """Call-centre operators read referrals (``scheduling.view_referral``: a caller asks
    whether a specialty can be booked) but do not issue them."""
    person = make_affiliate()
    html = signed_in(operator).get(page_of(person)).content.decode()
    assert form_of(person) not in html and "Issue a referral" not in html
    assert 'id="referrals"' in html


def test_r_apt_08_staff_of_another_country_are_refused(agent, peruvian):
    medical_services_ensure("PE")
    client = signed_in(agent)
    assert client.get(form_of(peruvian)).status_code == 404
    data = answers()
    assert client.post(form_of(peruvian), data).status_code == 404
    assert not Referral.objects.exists()
    assert not AuditEntry.objects.filter(subject_ref=peruvian.subject_ref).exists()


def test_r_apt_08_administrator_issues_for_any_country(administrator, peruvian):
    medical_services_ensure("PE")
    today = today_in("PE")
    data = {**answers(), **dates("issued_on", today),
            **dates("expires_on", today + timedelta(days=90))}
    response = signed_in(administrator).post(form_of(peruvian), data)
    assert response.status_code == 302
    assert Referral.objects.get(person=peruvian).specialty.country == "PE"


# --- the person's page ------------------------------------------------------------------------

def test_r_apt_08_person_page_lists_the_referrals(agent, make_affiliate, specialties):
    person = make_affiliate()
    today = today_in("EC")
    eyes, bones = specialties["ophthalmology"], specialties["traumatology"]
    Referral.objects.create(person=person, specialty=eyes, issued_by="Centro de Salud N.º 1",
                            issued_on=today, expires_on=today + timedelta(days=90))
    Referral.objects.create(person=person, specialty=bones, issued_by="Dr. Vera",
                            issued_on=today - timedelta(days=100),
                            expires_on=today - timedelta(days=10))
    Referral.objects.create(person=person, specialty=eyes, issued_by="Dr. Paz",
                            issued_on=today - timedelta(days=200),
                            expires_on=today - timedelta(days=110),
                            status=Referral.Status.VOID)
    html = signed_in(agent).get(page_of(person)).content.decode()
    section = html.split('id="referrals"')[1].split("<h2")[0]
    rows = section.split('<div class="govuk-summary-card">')[1:]   # one card each
    assert len(rows) == 3
    assert "Ophthalmology" in rows[0] and "Centro de Salud N.º 1" in rows[0]
    assert day_in("en", today) in rows[0]
    assert day_in("en", today + timedelta(days=90)) in rows[0]
    assert "Can be used" in rows[0]
    assert "Traumatology" in rows[1] and "Expired" in rows[1]
    assert "No longer valid" in rows[2]
    assert f'href="{form_of(person)}"' in html
    assert "Issue a referral" in html


def test_r_apt_08_person_page_without_referrals_says_so(agent, make_affiliate):
    person = make_affiliate()
    html = signed_in(agent).get(page_of(person)).content.decode()
    section = html.split('id="referrals"')[1].split("</h2>")[1].split("<h2")[0]
    assert "This person has no referrals." in section
    assert f'href="{form_of(person)}"' in section
