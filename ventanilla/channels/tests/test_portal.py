"""The affiliates' portal through its pages: sign-in with ID + clave (R-AFF-04, R-APT-03),
the clave online (R-AFF-09), the home page, contributions and their errors (R-AFF-03)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client

from ventanilla.accounts.blocks import account_block
from ventanilla.accounts.models import AccountBlock
from ventanilla.cases.models import Case, CaseKind, CaseStatus

pytestmark = pytest.mark.django_db
CLAVE = "una clave larga 2026"


def sign_in(client, person, password=CLAVE):
    return client.post("/portal/entrar/", {"document": f"{person.country}:{person.id_type}",
                                           "id_number": person.id_number,
                                           "password": password})


@pytest.fixture
def ana(make_affiliate):
    person = make_affiliate(affiliation_type="voluntary", starts_on=date(2024, 1, 1))
    person.subdivision_code = "170150"  # Pichincha, Quito
    person.save()
    return person


def test_r_apt_03_home_shows_name_id_type_of_insured_and_coverage(ana):
    client = Client()
    r = sign_in(client, ana)
    assert r.status_code == 302 and r["Location"] == "/portal/"
    page = client.get("/portal/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Ana Paz Vera" in page and "1710034065" in page
    assert "Voluntary affiliation" in page
    assert "Coverage" in page


def test_r_aff_04_sign_in_refuses_a_wrong_clave_with_the_same_message_as_an_unknown_id(ana):
    client = Client()
    wrong = sign_in(client, ana, password="not the clave")
    assert wrong.status_code == 422
    unknown = client.post("/portal/entrar/", {"document": "EC:cedula",
                                              "id_number": "0926687856", "password": CLAVE})
    assert unknown.status_code == 422
    text = re.sub(r"\s+", " ", wrong.content.decode())
    assert "clave" in text.lower()
    assert client.get("/portal/")["Location"].startswith("/portal/entrar/")


def test_r_aff_04_brute_force_on_one_id_is_locked_even_with_the_right_clave(ana):
    from axes.models import AccessAttempt

    client = Client()
    for _ in range(5):
        sign_in(client, ana, password="guess")
    r = sign_in(client, ana)  # the right clave no longer opens it
    assert r.status_code in (422, 429)
    assert "/portal/" not in r.get("Location", "")
    assert AccessAttempt.objects.filter(username="EC:cedula:1710034065").exists()


def test_r_apt_05_a_blocked_account_cannot_sign_in_and_is_told_why(ana, agent):
    account_block(person=ana, cause=AccountBlock.Cause.NO_SHOWS, detail="3 no-shows")
    r = sign_in(Client(), ana)
    assert r.status_code == 422
    assert "bloqueada" in r.content.decode()  # Spanish by default


def test_r_aff_04_the_person_turns_the_counter_code_into_their_clave(make_affiliate, agent,
                                                                   settings):
    from ventanilla.accounts.clave import clave_issue

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    person = make_affiliate(with_clave=False)
    code = clave_issue(person=person, actor=agent)
    client = Client()
    r = client.post("/portal/clave/", {"document": "EC:cedula", "id_number": "1710034065",
                                       "code": code.lower(), "password": "short"})
    assert r.status_code == 422  # a weak clave is refused, the code is not used up
    r = client.post("/portal/clave/", {"document": "EC:cedula", "id_number": "1710034065",
                                       "code": code, "password": CLAVE})
    assert r.status_code == 200
    person.refresh_from_db()
    assert person.user is not None and person.user.password.startswith("argon2")
    assert sign_in(client, person).status_code == 302


def _online(client, **overrides):
    data = {"document": "EC:cedula", "id_number": "1710034065",
            "date_of_birth_day": "1", "date_of_birth_month": "1",
            "date_of_birth_year": "1980", "province": "EC:17", "phone_last_digits": "4567"}
    data.update(overrides)
    return client.post("/portal/clave/en-linea/", data)


def test_r_aff_09_a_cedula_holder_creates_the_clave_online_by_e_mail_link(
        make_affiliate, django_capture_on_commit_callbacks):
    person = make_affiliate(with_clave=False)
    person.subdivision_code = "170150"
    person.save()
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        r = _online(client)
    assert r.status_code == 200 and "a•••@e•••.com" in r.content.decode()
    link = re.search(r"/portal/clave/enlace/[^/\s]+/", mail.outbox[-1].body).group(0)
    assert client.get(link).status_code == 200
    assert client.post(link, {"password": CLAVE}).status_code == 200
    person.refresh_from_db()
    assert person.user.check_password(CLAVE)
    assert client.get(link).status_code == 410  # single use


@pytest.mark.parametrize("wrong", [
    {"date_of_birth_day": "2"}, {"province": "EC:09"}, {"phone_last_digits": "0000"},
    {"id_number": "0926687856"},
])
def test_r_aff_09_any_wrong_answer_gets_the_same_refusal_and_no_e_mail(
        ana, wrong, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = _online(Client(), **wrong)
    assert r.status_code == 422 and not mail.outbox
    assert "No pudimos confirmar su identidad" in r.content.decode()


def test_r_aff_09_foreigners_are_sent_to_a_service_centre(make_affiliate):
    person = make_affiliate(id_type="passport", id_number="X1234567", nationality="CO")
    r = Client().post("/portal/clave/en-linea/", {
        "document": "EC:passport", "id_number": person.id_number, "date_of_birth_day": "1",
        "date_of_birth_month": "1", "date_of_birth_year": "1980", "province": "EC:17",
        "phone_last_digits": "4567"})
    # the passport is not even offered: the online form is for the national ID only
    assert r.status_code == 422


def test_r_aff_09_attempts_per_id_number_are_limited(ana):
    client = Client()
    for _ in range(5):
        _online(client, phone_last_digits="0000")
    r = _online(client)  # right answers, but too many tries on this ID
    assert r.status_code == 422 and "Demasiados intentos" in r.content.decode()


def test_r_aff_03_contribution_history_shows_arrears_and_an_error_becomes_an_in_person_case(
        ana):
    from ventanilla.contributions.models import ContributionPayment

    affiliation = ana.affiliations.get()
    ContributionPayment.objects.create(affiliation=affiliation, period=date(2024, 1, 1),
                                       amount=Decimal("94.76"), paid_on=date(2024, 1, 20))
    client = Client()
    sign_in(client, ana)
    page = client.get("/portal/aportes/?ano=2024", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Paid" in page and "Not paid (arrears)" in page and "94.76" in page
    assert "2024, newest month first" in page
    latest = client.get("/portal/aportes/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2024, newest month first" not in latest  # the latest year by default
    assert client.get("/portal/aportes/?ano=abc").status_code == 200
    r = client.post("/portal/aportes/reportar-error/", {"description": ""})
    assert r.status_code == 422
    r = client.post("/portal/aportes/reportar-error/",
                    {"description": "March 2024 was paid at the bank"})
    case = Case.objects.get(person=ana)
    assert case.kind == CaseKind.CONTRIBUTION_ERROR and case.status == CaseStatus.AWAITING_VISIT
    assert r["Location"] == f"/portal/tramites/{case.reference}/"
    page = client.get(r["Location"]).content.decode()
    assert "asesoría legal" in page or "legal" in page


def test_another_persons_case_is_not_found(ana, make_affiliate):
    from ventanilla.cases.models import CaseKind
    from ventanilla.cases.services import case_open_in_person
    from ventanilla.core.channels import Channel

    other = make_affiliate(id_number="0926687856", email="otro@example.com")
    case = case_open_in_person(person=other, kind=CaseKind.APPEAL, description="x",
                               channel=Channel.WEB)
    client = Client()
    sign_in(client, ana)
    assert client.get(f"/portal/tramites/{case.reference}/").status_code == 404


def test_an_affiliate_session_never_opens_the_back_office(ana):
    client = Client()
    sign_in(client, ana)
    r = client.get("/staff/cola/")
    assert r.status_code == 302 and r["Location"].startswith("/staff/entrar/")
    assert client.get("/staff/entrar/").status_code == 200  # no redirect loop
    r = client.post("/staff/entrar/", {"username": "EC:cedula:1710034065", "password": CLAVE})
    assert r.status_code == 422


# --- dependants (R-DEP-01, R-DEP-02) ----------------------------------------------------------

@pytest.fixture
def holder(make_affiliate):
    return make_affiliate(affiliation_type="employee")


def test_r_dep_01_the_affiliate_asks_coverage_for_a_child_and_follows_the_case(holder):
    from ventanilla.dependants.models import DependantRequest

    client = Client()
    sign_in(client, holder)
    r = client.post("/portal/dependientes/nueva/", {"relationship": "child"})
    assert r.status_code == 302
    details = r["Location"]
    assert details.startswith("/portal/dependientes/nueva/datos/?")
    r = client.post(details, {"given_names": "Mateo", "family_names": "Paz",
                              "date_of_birth_day": "3", "date_of_birth_month": "4",
                              "date_of_birth_year": "2016", "nationality": "EC",
                              "id_type": "cedula", "id_number": "0926687856"})
    request = DependantRequest.objects.get()
    assert r["Location"] == f"/portal/dependientes/solicitudes/{request.public_id}/"
    assert request.case.channel == "web" and request.holder_affiliation.person == holder
    page = client.get(r["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert request.case.reference in page and "Mateo Paz" in page
    assert request.case.reference in client.get("/portal/dependientes/").content.decode()


def test_r_dep_01_a_child_18_or_older_is_refused_with_the_reason(holder):
    client = Client()
    sign_in(client, holder)
    r = client.post("/portal/dependientes/nueva/datos/?relationship=child&union_kind=marriage"
                    "&marriage_abroad=0",
                    {"given_names": "Mateo", "family_names": "Paz", "date_of_birth_day": "3",
                     "date_of_birth_month": "4", "date_of_birth_year": "2000",
                     "nationality": "EC", "id_type": "cedula", "id_number": "0926687856"},
                    HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 422 and "18th birthday" in r.content.decode()


def test_r_dep_02_ecuador_spouse_married_abroad_gets_the_checklist_not_a_form(holder):
    from ventanilla.dependants.models import DependantRequest

    client = Client()
    sign_in(client, holder)
    r = client.post("/portal/dependientes/nueva/", {
        "relationship": "spouse", "union_kind": "marriage", "marriage_abroad": "yes"},
        HTTP_ACCEPT_LANGUAGE="en")
    page = r.content.decode()
    assert r.status_code == 200 and "This request is made in person" in page
    assert "Registro Civil" in page and "apostil" in page.lower()
    # and the details step refuses it too, even when reached directly
    r = client.post("/portal/dependientes/nueva/datos/?relationship=spouse&union_kind=marriage"
                    "&marriage_abroad=1",
                    {"given_names": "Marie", "family_names": "Dupont", "date_of_birth_day": "3",
                     "date_of_birth_month": "4", "date_of_birth_year": "1985",
                     "nationality": "FR", "id_type": "passport", "id_number": "AB998877",
                     "inscription_reference": "RC-2025-1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "This request is made in person" in r.content.decode()
    assert not DependantRequest.objects.exists()


def test_r_dep_01_another_affiliates_request_is_not_found(holder, make_affiliate):
    from ventanilla.dependants.services import dependant_request_create

    other = make_affiliate(id_number="0926687856", email="otro@example.com")
    req = dependant_request_create(
        holder_person=other, relationship="child", channel="web",
        dependant={"id_type": "cedula", "id_number": "1713175071", "given_names": "Leo",
                   "family_names": "Paz", "date_of_birth": date(2018, 1, 1),
                   "nationality": "EC"})
    client = Client()
    sign_in(client, holder)
    assert client.get(f"/portal/dependientes/solicitudes/{req.public_id}/").status_code == 404


# --- office visits (R-REG-07) -------------------------------------------------------------------

@pytest.fixture
def office(db):
    from datetime import timedelta

    from django.utils import timezone

    from ventanilla.scheduling.defaults import office_services_ensure
    from ventanilla.scheduling.models import Centre, Slot

    centre = Centre.objects.create(country="EC", code="ec-quito", name="CAU Quito",
                                   subdivision_code="170150", address="Av. 10 de Agosto")
    service = {s.code: s for s in office_services_ensure("EC")}["document_submission"]
    start = (timezone.now() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    slots = [Slot.objects.create(centre=centre, service=service,
                                 starts_at=start + timedelta(minutes=20 * i),
                                 ends_at=start + timedelta(minutes=20 * (i + 1)), capacity=1)
             for i in range(3)]
    return centre, service, slots


def test_r_reg_07_an_office_visit_is_booked_in_three_steps_and_cancelled(holder, office):
    from django.utils import timezone

    from ventanilla.scheduling.models import Booking

    centre, _service, slots = office
    client = Client()
    sign_in(client, holder)
    assert client.get("/portal/visitas/").status_code == 200
    query = {"service": "document_submission", "centre": str(centre.public_id),
             "booked_for": str(holder.public_id)}
    r = client.get("/portal/visitas/nueva/", query)
    assert r.status_code == 302 and r["Location"].startswith("/portal/visitas/nueva/fecha/?")
    page = client.get(r["Location"]).content.decode()
    day = timezone.localtime(slots[0].starts_at, get_pack_tz()).date().isoformat()
    assert f"date={day}" in page and str(slots[0].public_id) in page  # first available
    time_url = f"/portal/visitas/nueva/hora/?{r['Location'].split('?', 1)[1]}&date={day}"
    r = client.post(time_url, {"slot": str(slots[1].public_id)})
    booking = Booking.objects.get()
    assert r["Location"] == f"/portal/visitas/{booking.public_id}/"
    assert booking.slot == slots[1] and booking.channel == "web"
    slots[1].refresh_from_db()
    assert slots[1].booked_count == 1
    # the taken time is no longer offered
    assert str(slots[1].public_id) not in client.get(time_url).content.decode()
    r = client.post(f"/portal/visitas/{booking.public_id}/cancelar/")
    assert r["Location"] == "/portal/visitas/"
    slots[1].refresh_from_db()
    assert slots[1].booked_count == 0


def get_pack_tz():
    from ventanilla.countries.registry import get_pack

    return get_pack("EC").tz


def test_r_reg_07_an_empty_form_and_a_stale_link_are_not_dead_ends(holder, office):
    client = Client()
    sign_in(client, holder)
    r = client.get("/portal/visitas/nueva/", {"centre": "", "service": ""})
    assert r.status_code == 422
    r = client.get("/portal/visitas/nueva/fecha/", {"centre": "nope"})
    assert r["Location"] == "/portal/visitas/nueva/"


def test_another_persons_visit_is_not_found(holder, make_affiliate, office):
    from ventanilla.scheduling.services import booking_create

    _centre, _service, slots = office
    other = make_affiliate(id_number="0926687856", email="otro@example.com")
    booking = booking_create(slot=slots[0], person=other, channel="web")
    client = Client()
    sign_in(client, holder)
    assert client.get(f"/portal/visitas/{booking.public_id}/").status_code == 404
    assert client.post(f"/portal/visitas/{booking.public_id}/cancelar/").status_code == 404


@pytest.mark.parametrize("kind", ["benefit_denied", "visa_conflict", "appeal"])
def test_r_aff_05_complex_matters_become_in_person_cases_with_the_legal_notice(ana, kind):
    client = Client()
    sign_in(client, ana)
    assert client.post("/portal/tramites/nuevo/", {"kind": kind}).status_code == 422
    r = client.post("/portal/tramites/nuevo/", {"kind": kind,
                                                "description": "Me negaron la prestación"})
    case = Case.objects.get(person=ana)
    assert case.kind == kind and case.status == CaseStatus.AWAITING_VISIT
    page = client.get(r["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "legal advice" in page


def test_r_aff_05_the_person_cannot_open_other_kinds_of_case(ana):
    client = Client()
    sign_in(client, ana)
    r = client.post("/portal/tramites/nuevo/", {"kind": "registration", "description": "x"})
    assert r.status_code == 422 and not Case.objects.exists()


def test_r_apt_09_the_visit_as_a_calendar_file_in_the_centre_time_zone_and_a_pdf(holder,
                                                                                 office):
    from icalendar import Calendar

    from ventanilla.scheduling.services import booking_create

    _centre, _service, slots = office
    booking = booking_create(slot=slots[0], person=holder, channel="web")
    client = Client()
    sign_in(client, holder)
    r = client.get(f"/portal/visitas/{booking.public_id}/cita.ics")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(r.content).walk("VEVENT")[0]
    start = event.decoded("dtstart")
    assert str(start.tzinfo) == "America/Guayaquil" and start == slots[0].starts_at
    assert b"BEGIN:VTIMEZONE" in r.content and b"TZID:America/Guayaquil" in r.content
    assert "30" in str(event.get("description"))  # arrive 30 minutes early
    pdf = client.get(f"/portal/visitas/{booking.public_id}/cita.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    other = Client()
    assert other.get(f"/portal/visitas/{booking.public_id}/cita.ics").status_code == 302


def test_r_reg_07_a_passport_holder_without_clave_books_a_visit_with_an_e_mailed_code(
        make_affiliate, office, django_capture_on_commit_callbacks):
    from ventanilla.scheduling.models import Booking

    centre, _service, slots = office
    person = make_affiliate(id_type="passport", id_number="AB123456", nationality="CO",
                            with_clave=False)
    client = Client()
    r = client.get("/portal/visitas/nueva/")
    assert r["Location"].startswith("/portal/visitas/identificarse/")
    wrong = {"document": "EC:passport", "id_number": "AB123456", "date_of_birth_day": "2",
             "date_of_birth_month": "1", "date_of_birth_year": "1980"}
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/portal/visitas/identificarse/", wrong)
    assert r["Location"].startswith("/portal/visitas/codigo/") and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/portal/visitas/identificarse/", {**wrong, "date_of_birth_day": "1"})
    assert r["Location"].startswith("/portal/visitas/codigo/")  # the same answer
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].subject).group(1)
    assert mail.outbox[-1].to == [person.email]
    assert client.post("/portal/visitas/codigo/", {"code": "000000"}).status_code == 422
    r = client.post("/portal/visitas/codigo/", {"code": code})
    assert r["Location"] == "/portal/visitas/nueva/"
    query = {"service": "document_submission", "centre": str(centre.public_id),
             "booked_for": str(person.public_id)}
    r = client.get("/portal/visitas/nueva/", query)
    assert r.status_code == 302
    day = slots[0].starts_at.astimezone(get_pack_tz()).date().isoformat()
    r = client.post(f"/portal/visitas/nueva/hora/?{r['Location'].split('?', 1)[1]}&date={day}",
                    {"slot": str(slots[0].public_id)})
    booking = Booking.objects.get()
    assert booking.person == person and r["Location"] == f"/portal/visitas/{booking.public_id}/"
    # the visitor is not signed in to the portal
    assert client.get("/portal/")["Location"].startswith("/portal/entrar/")
