"""The call centre console (R-APT-06): an operator finds the caller by their ID, reads their
coverage and appointments, and books, changes or cancels on their behalf, on the days the
caller's ID allows only. Eligibility (R-APT-01) and the notice window (R-APT-04) come from
the services. Browser tests with axe: tests/e2e/test_callcentre.py."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone, translation

from ventanilla.core.dates import day_text
from ventanilla.core.models import AuditEntry

pytestmark = pytest.mark.django_db

EVEN_ID = "0926687856"   # last digit 6: Tuesday, Thursday, Saturday
ODD_ID = "1710034065"    # last digit 5: Monday, Wednesday, Friday
DAYS_AHEAD = 15
EC_TZ = timezone.get_fixed_timezone(-300)


@pytest.fixture
def operator(db):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import roles_sync, staff_create

    roles_sync()
    return staff_create(username="operador.ec", password="Staff-password-123",
                        role=Role.OPERATOR, country="EC")


@pytest.fixture
def medical(db):
    """Dentistry in Quito every day of the next weeks at 10:00 and 10:20, with a doctor."""
    from ventanilla.scheduling.defaults import medical_services_ensure
    from ventanilla.scheduling.models import Centre, Doctor, Slot

    services = {s.code: s for s in medical_services_ensure("EC")}
    centre = Centre.objects.create(country="EC", kind=Centre.Kind.MEDICAL, code="ec-hq-sur",
                                   name="Hospital del Sur", subdivision_code="170150",
                                   address="Av. Maldonado S11-122")
    doctor = Doctor.objects.create(country="EC", given_names="María", family_names="López",
                                   registration_code="MSP-1")
    doctor.centres.add(centre)
    doctor.specialties.add(services["dentistry"])
    today = timezone.localdate(timezone=EC_TZ)
    slots = []
    for n in range(1, DAYS_AHEAD + 1):
        for minute in (0, 20):
            starts = datetime.combine(today + timedelta(days=n), time(10, minute),
                                      tzinfo=EC_TZ)
            slots.append(Slot.objects.create(
                centre=centre, service=services["dentistry"], doctor=doctor, starts_at=starts,
                ends_at=starts + timedelta(minutes=20), capacity=1))
    return {"centre": centre, "doctor": doctor, "slots": slots, "services": services}


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def caller_url(person) -> str:
    return f"/staff/llamadas/{person.public_id}/"


def what_query(booked_for, specialty="dentistry") -> str:
    return f"booked_for={booked_for.public_id}&specialty={specialty}&province=17&city=1701"


def slots_url(caller, booked_for=None, **extra) -> str:
    query = what_query(booked_for or caller)
    query += "".join(f"&{k}={v}" for k, v in extra.items())
    return f"{caller_url(caller)}cita/horas/?{query}"


def offered(html: str) -> list[str]:
    return re.findall(r'name="slot" value="([0-9a-f-]{36})"', html)


def local_weekday(slot) -> int:
    return timezone.localtime(slot.starts_at, EC_TZ).weekday()


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def actions_of(user) -> list[str]:
    return list(AuditEntry.objects.filter(actor=user).order_by("id")
                .values_list("action", flat=True))


# --- R-APT-06: the phone days -----------------------------------------------------------------

def test_r_apt_06_even_id_is_offered_tuesday_thursday_saturday_only(operator, make_affiliate,
                                                                      medical):
    from ventanilla.scheduling.models import Slot

    caller = make_affiliate(id_number=EVEN_ID)
    client = signed_in(operator)
    page = text(client.get(caller_url(caller)))
    assert "By phone: Tuesday, Thursday, Saturday" in page
    response = client.get(slots_url(caller))
    assert response.status_code == 200
    ids = offered(response.content.decode())
    assert ids, "some slots are offered"
    assert len(ids) <= 15
    days = {local_weekday(Slot.objects.get(public_id=i)) for i in ids}
    assert days <= {1, 3, 5}
    # the earliest slots on those days, in order
    expected = [s for s in medical["slots"] if local_weekday(s) in {1, 3, 5}][:15]
    assert ids == [str(s.public_id) for s in expected]


def test_r_apt_06_odd_id_is_offered_monday_wednesday_friday_only(operator, make_affiliate,
                                                                 medical):
    from ventanilla.scheduling.models import Slot

    caller = make_affiliate(id_number=ODD_ID)
    client = signed_in(operator)
    assert "By phone: Monday, Wednesday, Friday" in text(client.get(caller_url(caller)))
    ids = offered(client.get(slots_url(caller)).content.decode())
    assert ids
    assert {local_weekday(Slot.objects.get(public_id=i)) for i in ids} <= {0, 2, 4}


def test_r_apt_06_a_time_on_another_day_is_refused_by_the_service(operator, make_affiliate,
                                                                  medical):
    from ventanilla.scheduling.models import Booking

    caller = make_affiliate(id_number=EVEN_ID)
    monday = next(s for s in medical["slots"] if local_weekday(s) == 0)
    response = signed_in(operator).post(slots_url(caller), {"slot": str(monday.public_id)})
    assert response.status_code == 422
    assert "By phone, appointments for this ID number are given on Tuesday, Thursday, " \
           "Saturday." in text(response)
    assert not Booking.objects.exists()
    refused = AuditEntry.objects.get(actor=operator, action="callcentre.refused")
    assert refused.details["code"] == "PHONE_DAY_REFUSED" and refused.details["action"] == "book"


def test_r_apt_06_operator_books_changes_and_cancels_for_the_caller(operator, make_affiliate,
                                                                    medical):
    from ventanilla.scheduling.models import Booking, BookingStatus

    caller = make_affiliate(id_number=ODD_ID, mobile_phone="+593991234567")
    client = signed_in(operator)

    # find the caller
    response = client.post("/staff/llamadas/", {"country": "EC", "id_type": "cedula",
                                                "id_number": ODD_ID})
    assert response.status_code == 302 and response["Location"] == caller_url(caller)
    page = text(client.get(caller_url(caller)))
    assert "Ana Paz Vera" in page and ODD_ID in page and "Employee" in page
    assert "has no appointments booked" in page

    # what, for whom, where → the free times
    book = f"{caller_url(caller)}cita/"
    form = client.get(book)
    assert form.status_code == 200 and 'name="specialty"' in form.content.decode()
    empty = client.get(f"{book}?specialty=")
    assert empty.status_code == 422 and "Select a specialty" in text(empty)
    response = client.get(f"{book}?{what_query(caller)}")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{book}horas/?")
    slots_page = client.get(response["Location"])
    ids = offered(slots_page.content.decode())
    first = next(s for s in medical["slots"] if str(s.public_id) == ids[0])

    # book the first one
    response = client.post(response["Location"], {"slot": ids[0]})
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{caller_url(caller)}citas/{booking.public_id}/"
    assert booking.channel == "phone" and booking.booked_by == operator
    assert booking.person == caller and booking.booked_for == caller and booking.slot == first

    # the summary read back to the caller
    summary = text(client.get(response["Location"]))
    starts = timezone.localtime(first.starts_at, EC_TZ)
    assert "Appointment booked" in summary
    assert f"{starts:%H:%M}" in summary and str(starts.day) in summary
    assert "Hospital del Sur" in summary and "Av. Maldonado S11-122" in summary
    assert "María López" in summary
    # issue 12 item 10: a reference the operator reads out, the one the PDF and API show
    assert re.search(r"Reference</dt>\s*<dd[^>]*><strong>" + str(booking.public_id)[:8].upper(),
                     client.get(response["Location"]).content.decode())
    arrive = starts - timedelta(minutes=30)
    assert f"Arrive 30 minutes early, by {arrive:%H:%M}" in summary

    # change it: the same list of times, then the move
    response = client.get(f"{caller_url(caller)}citas/{booking.public_id}/cambiar/")
    assert response.status_code == 302
    change_url = response["Location"]
    assert parse_qs(urlsplit(change_url).query)["cambiar"] == [str(booking.public_id)]
    ids = offered(client.get(change_url).content.decode())
    assert str(first.public_id) not in ids  # taken by this very booking
    response = client.post(change_url, {"slot": ids[0]})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert str(booking.slot.public_id) == ids[0] and booking.status == BookingStatus.BOOKED
    first.refresh_from_db()
    assert first.booked_count == 0
    assert "The appointment is moved" in text(client.get(response["Location"]))

    # cancel it: a confirmation page, then the POST
    cancel = f"{caller_url(caller)}citas/{booking.public_id}/cancelar/"
    confirm = client.get(cancel)
    assert confirm.status_code == 200 and "Cancel the appointment?" in text(confirm)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED  # a GET changes nothing
    response = client.post(cancel)
    assert response.status_code == 302 and response["Location"] == caller_url(caller)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.cancelled_by == operator
    page = text(client.get(caller_url(caller)))
    assert "The appointment is cancelled" in page and "Cancelled" in page


def test_r_apt_06_operator_books_for_a_dependant_on_the_callers_days(operator, make_affiliate,
                                                                     medical):
    from ventanilla.scheduling.models import Booking

    caller = make_affiliate(id_number=ODD_ID)
    child = make_affiliate(id_number=EVEN_ID, given_names="Lucía", email="l@example.com",
                           date_of_birth=date(2016, 5, 5), with_clave=False,
                           holder=caller.affiliations.get(), relationship="child")
    client = signed_in(operator)
    page = text(client.get(caller_url(caller)))
    assert "Lucía Paz Vera" in page
    what = text(client.get(f"{caller_url(caller)}cita/"))
    assert "The caller (Ana Paz Vera)" in what and "Lucía Paz Vera" in what
    url = slots_url(caller, booked_for=child)
    ids = offered(client.get(url).content.decode())
    # the caller's ID decides the days, not the child's
    assert {local_weekday(s) for s in medical["slots"] if str(s.public_id) in ids} <= {0, 2, 4}
    client.post(url, {"slot": ids[0]})
    booking = Booking.objects.get()
    assert booking.person == caller and booking.booked_for == child
    assert booking.channel == "phone"


def test_r_apt_06_every_operator_action_is_audited(operator, make_affiliate, medical):
    caller = make_affiliate(id_number=ODD_ID)
    client = signed_in(operator)
    client.post("/staff/llamadas/", {"country": "EC", "id_type": "cedula", "id_number": ODD_ID})
    client.get(caller_url(caller))
    client.get(f"{caller_url(caller)}cita/")
    url = slots_url(caller)
    ids = offered(client.get(url).content.decode())
    client.post(url, {"slot": ids[0]})
    from ventanilla.scheduling.models import Booking

    booking = Booking.objects.get()
    client.get(f"{caller_url(caller)}citas/{booking.public_id}/")
    change = client.get(f"{caller_url(caller)}citas/{booking.public_id}/cambiar/")["Location"]
    client.post(change, {"slot": offered(client.get(change).content.decode())[0]})
    client.get(f"{caller_url(caller)}citas/{booking.public_id}/cancelar/")
    client.post(f"{caller_url(caller)}citas/{booking.public_id}/cancelar/")

    assert actions_of(operator) == [
        "callcentre.lookup", "callcentre.view", "callcentre.book.start", "callcentre.slots",
        "booking.create", "callcentre.booking.view", "callcentre.slots", "booking.reschedule",
        "callcentre.cancel.view", "booking.cancel",
    ]
    entries = AuditEntry.objects.filter(actor=operator)
    assert set(entries.values_list("channel", flat=True)) == {"phone"}
    lookup = entries.get(action="callcentre.lookup")
    assert lookup.subject_ref == f"EC:cedula:{ODD_ID}" and lookup.details == {"found": True}
    assert set(entries.exclude(action="callcentre.lookup")
               .values_list("subject_ref", flat=True)) == {caller.subject_ref}


# --- R-APT-01: eligibility, from the coverage function -----------------------------------------

def test_r_apt_01_peasant_insurance_caller_is_refused_with_the_reason(operator, make_affiliate,
                                                                      medical):
    """R-APT-14: the refusal comes when the operator chooses the specialty, with where the
    caller is seen instead; no time is offered that the booking would refuse."""
    from ventanilla.scheduling.models import Booking

    caller = make_affiliate(id_number=ODD_ID, affiliation_type="peasant")
    client = signed_in(operator)
    page = text(client.get(caller_url(caller)))
    assert "Not covered" in page and "does not include this appointment service" in page
    what = client.get(f"{caller_url(caller)}cita/?{what_query(caller)}")
    assert what.status_code == 422
    page = text(what)
    assert "This appointment cannot be booked for this patient" in page
    assert "does not include this appointment service" in page
    assert "Seguro Social Campesino" in page
    # the times page sends the operator back to that explanation instead of listing times
    response = client.get(slots_url(caller))
    assert response.status_code == 302 and "/cita/?" in response["Location"]
    assert offered(client.get(slots_url(caller), follow=True).content.decode()) == []
    assert not Booking.objects.exists()
    start = AuditEntry.objects.filter(actor=operator, action="callcentre.book.start").last()
    assert start.details["refused"] == "peasant_insurance"


def test_blocked_web_account_is_shown_with_its_cause_and_the_operator_still_books(
        operator, make_affiliate, medical):
    from ventanilla.accounts import blocks
    from ventanilla.accounts.models import AccountBlock
    from ventanilla.scheduling.models import Booking

    caller = make_affiliate(id_number=ODD_ID)
    blocks.account_block(person=caller, cause=AccountBlock.Cause.NO_SHOWS,
                         detail="3 missed appointments")
    client = signed_in(operator)
    page = text(client.get(caller_url(caller)))
    assert "Blocked" in page and "Missed appointments" in page
    assert "3 missed appointments" in page
    url = slots_url(caller)
    client.post(url, {"slot": offered(client.get(url).content.decode())[0]})
    assert Booking.objects.filter(channel="phone").count() == 1


# --- R-APT-04: the notice window holds by phone too ---------------------------------------------

def test_r_apt_04_cancel_too_late_is_refused_by_phone_too(operator, make_affiliate, medical):
    from ventanilla.scheduling.models import BookingStatus, Slot
    from ventanilla.scheduling.services import booking_create

    caller = make_affiliate(id_number=ODD_ID)
    soon = timezone.now() + timedelta(hours=5)
    slot = Slot.objects.create(centre=medical["centre"], service=medical["services"]["dentistry"],
                               starts_at=soon, ends_at=soon + timedelta(minutes=20))
    booking = booking_create(slot=slot, person=caller, channel="web")
    client = signed_in(operator)
    cancel = f"{caller_url(caller)}citas/{booking.public_id}/cancelar/"
    response = client.post(cancel)
    assert response.status_code == 422
    page = text(response)
    assert "can be cancelled or changed only up to 12 hours before they start" in page
    assert "There is a problem" in page
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    refused = AuditEntry.objects.get(actor=operator, action="callcentre.refused")
    assert refused.details["action"] == "cancel" and refused.details["code"] == "CANCEL_TOO_LATE"
    # changing it is refused for the same reason
    change = client.get(f"{caller_url(caller)}citas/{booking.public_id}/cambiar/")["Location"]
    ids = offered(client.get(change).content.decode())
    response = client.post(change, {"slot": ids[0]})
    assert response.status_code == 422
    assert "only up to 12 hours before" in text(response)


# --- lookup -----------------------------------------------------------------------------------

def test_lookup_invalid_id_shows_the_error_and_not_found_says_so(operator, make_affiliate):
    client = signed_in(operator)
    response = client.post("/staff/llamadas/", {"country": "EC", "id_type": "cedula",
                                                "id_number": "1710034066"})
    assert response.status_code == 422
    assert "There is a problem" in text(response) and 'href="#id_id_number"' in text(response)
    response = client.post("/staff/llamadas/", {"country": "EC", "id_type": "cedula",
                                                "id_number": EVEN_ID})
    assert response.status_code == 200 and 'id="not-found"' in text(response)
    entry = AuditEntry.objects.get(actor=operator, action="callcentre.lookup")
    assert entry.details == {"found": False} and entry.subject_ref == f"EC:cedula:{EVEN_ID}"


def test_peru_has_no_phone_day_restriction(make_affiliate):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create

    operator_pe = staff_create(username="operador.pe", password="Staff-password-123",
                               role=Role.OPERATOR, country="PE")
    caller = make_affiliate(country="PE", id_type="dni", id_number="10117410",
                            affiliation_type="essalud_regular", mobile_phone="+51912345678")
    assert "By phone: any day" in text(signed_in(operator_pe).get(caller_url(caller)))


# --- access -----------------------------------------------------------------------------------

def console_paths(person, booking_id="00000000-0000-0000-0000-000000000000") -> list[str]:
    base = caller_url(person)
    return ["/staff/llamadas/", base, f"{base}cita/", f"{base}cita/horas/?{what_query(person)}",
            f"{base}citas/{booking_id}/", f"{base}citas/{booking_id}/cambiar/",
            f"{base}citas/{booking_id}/cancelar/"]


def test_console_needs_sign_in(make_affiliate):
    person = make_affiliate()
    for path in console_paths(person):
        response = Client().get(path)
        assert response.status_code == 302 and response["Location"].startswith("/staff/entrar/")


def test_reviewer_gets_403_everywhere_in_the_console(reviewer, make_affiliate, medical):
    from ventanilla.scheduling.services import booking_create

    person = make_affiliate()
    booking = booking_create(slot=medical["slots"][0], person=person, channel="web")
    client = signed_in(reviewer)
    for path in console_paths(person, booking.public_id):
        assert client.get(path).status_code == 403, path
    assert client.post(f"{caller_url(person)}citas/{booking.public_id}/cancelar/"
                       ).status_code == 403
    assert not AuditEntry.objects.filter(action__startswith="callcentre.").exists()
    assert 'href="/staff/llamadas/"' not in client.get("/staff/cola/").content.decode()


def test_caller_of_another_country_is_404(operator, make_affiliate):
    peruvian = make_affiliate(country="PE", id_type="dni", id_number="10117410",
                              affiliation_type="essalud_regular", mobile_phone="+51912345678")
    client = signed_in(operator)
    for path in console_paths(peruvian)[1:]:
        assert client.get(path).status_code == 404, path
    # looking them up from Ecuador finds nobody (the form offers Ecuador only)
    response = client.post("/staff/llamadas/", {"country": "PE", "id_type": "dni",
                                                "id_number": "10117410"})
    assert response.status_code == 422
    assert not AuditEntry.objects.filter(subject_ref=peruvian.subject_ref).exists()


def test_another_persons_booking_is_404_from_the_callers_page(operator, make_affiliate,
                                                              medical):
    from ventanilla.scheduling.services import booking_create

    caller = make_affiliate(id_number=ODD_ID)
    other = make_affiliate(id_number=EVEN_ID, email="o@example.com")
    booking = booking_create(slot=medical["slots"][0], person=other, channel="web")
    client = signed_in(operator)
    base = caller_url(caller)
    for suffix in ("", "cambiar/", "cancelar/"):
        assert client.get(f"{base}citas/{booking.public_id}/{suffix}").status_code == 404
    assert client.post(f"{base}citas/{booking.public_id}/cancelar/").status_code == 404


def test_operator_lands_on_the_console_and_sees_its_link(operator):
    client = signed_in(operator)
    response = client.get("/staff/")
    assert response.status_code == 302 and response["Location"] == "/staff/llamadas/"
    page = client.get("/staff/llamadas/").content.decode()
    assert 'href="/staff/llamadas/"' in page
    assert '<option value="EC" selected>' in page and 'value="PE"' not in page


def test_r_apt_08_operator_sees_the_callers_referrals(operator, make_affiliate, medical):
    """A second-level specialty is booked only with a referral (R-APT-08): the operator
    reads the caller's referrals on their page (read-only: no "issue" button), and the
    reading is audited."""
    from ventanilla.scheduling.models import Referral

    caller = make_affiliate(id_number=EVEN_ID)
    client = signed_in(operator)
    html = text(client.get(caller_url(caller)))
    assert 'id="referrals"' in html and "The caller has no referrals" in html
    today = timezone.localdate(timezone=EC_TZ)
    Referral.objects.create(person=caller, specialty=medical["services"]["ophthalmology"],
                            issued_by="Centro de Salud N.º 1", issued_on=today,
                            expires_on=today + timedelta(days=90))
    html = text(client.get(caller_url(caller)))
    section = html.split('id="referrals"')[1].split("<h2")[0]
    assert "Ophthalmology" in section and "Can be used" in section
    with translation.override("en"):
        assert day_text(today + timedelta(days=90)) in section
    assert "Issue a referral" not in html
    entry = AuditEntry.objects.filter(actor=operator, action="callcentre.view").order_by(
        "-id").first()
    assert entry.details["referrals"] == 1


# --- R-APT-14: the operator is offered only what the caller may book --------------------------

def test_r_apt_14_a_caller_at_the_daily_limit_is_not_offered_that_day_by_phone(
        operator, make_affiliate, medical):
    """Two appointments on the caller's next phone day: that day's times are not read out,
    so the operator cannot walk the caller into a refusal and a warning."""
    from ventanilla.scheduling.models import QuotaAttempt, Slot
    from ventanilla.scheduling.services import booking_create

    caller = make_affiliate(id_number=ODD_ID)
    first_day = next(s for s in medical["slots"] if local_weekday(s) in (0, 2, 4))
    day = timezone.localtime(first_day.starts_at, EC_TZ).date()
    for code, hour in (("general_medicine", 8), ("family_medicine", 9)):
        starts = datetime.combine(day, time(hour), tzinfo=EC_TZ)
        slot = Slot.objects.create(centre=medical["centre"], service=medical["services"][code],
                                   starts_at=starts, ends_at=starts + timedelta(minutes=20))
        booking_create(slot=slot, person=caller, channel="web")
    client = signed_in(operator)
    page = client.get(slots_url(caller)).content.decode()
    ids = offered(page)
    day_ids = {str(s.public_id) for s in medical["slots"]
               if timezone.localtime(s.starts_at, EC_TZ).date() == day}
    assert ids and not day_ids & set(ids)
    assert "at most 2 medical appointments a day" in text(client.get(slots_url(caller)))
    assert not QuotaAttempt.objects.exists()


def test_r_apt_14_more_times_pages_through_every_free_time(operator, make_affiliate, medical):
    """Item 10 of issue 12: fifteen at a time, then "More times" until the last one."""
    from ventanilla.scheduling.models import Slot

    for slot in [s for s in medical["slots"] if s.starts_at.minute == 0]:
        for minutes in (40, 60):               # two more times a day at 10:40 and 11:00
            starts = slot.starts_at + timedelta(minutes=minutes)
            Slot.objects.create(centre=slot.centre, service=slot.service, starts_at=starts,
                                ends_at=starts + timedelta(minutes=20))
    medical["slots"] = list(Slot.objects.all())
    caller = make_affiliate(id_number=ODD_ID)
    client = signed_in(operator)
    seen: list[str] = []
    url = slots_url(caller)
    for _page in range(5):
        page = client.get(url).content.decode()
        ids = offered(page)
        assert len(ids) <= 15 and not set(ids) & set(seen)
        seen += ids
        more = re.search(r'href="\?([^"]*pagina=\d+)">More times', page)
        if more is None:
            break
        url = f"{urlsplit(url).path}?{more.group(1).replace('&amp;', '&')}"
    phone_day_slots = [s for s in medical["slots"] if local_weekday(s) in (0, 2, 4)]
    assert len(seen) == len(phone_day_slots) > 15


def test_r_apt_14_an_empty_city_on_the_phone_lists_the_nearest_cities_with_times(
        operator, make_affiliate, medical):
    """The caller's city has no Dentistry: the operator is given the nearest cities that
    do, across provinces, each leading to its times (issue 12 item 6)."""
    from ventanilla.scheduling.models import Centre

    Centre.objects.filter(pk=medical["centre"].pk).update(latitude=-0.2, longitude=-78.5)
    Centre.objects.create(country="EC", kind=Centre.Kind.MEDICAL, code="ec-cue",
                          name="Centro Cuenca", subdivision_code="010150",
                          address="Av. Solano", latitude=-2.90, longitude=-79.00)
    caller = make_affiliate(id_number=ODD_ID)
    client = signed_in(operator)
    url = (f"{caller_url(caller)}cita/horas/?booked_for={caller.public_id}"
           "&specialty=dentistry&province=01&city=0101")
    page = client.get(url).content.decode()
    assert offered(page) == []
    assert "The nearest cities with free times" in page
    link = re.search(r'id="other-cities">\s*<li><a class="govuk-link" href="\?([^"]+)">Quito',
                     page)
    assert link is not None, page[page.find("other-cities") - 200:][:600]
    quito = client.get(f"{urlsplit(url).path}?{link.group(1).replace('&amp;', '&')}")
    assert offered(quito.content.decode())       # the link leads to Quito's times
