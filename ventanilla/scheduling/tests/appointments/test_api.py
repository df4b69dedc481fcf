"""The appointments API: free medical times with filters, booking, the person's own
appointments, 404 for anyone else's, 401 without a token, idempotency, 409."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from ventanilla.scheduling.models import Booking, ChannelBlock, Slot

from ..conftest import cedula
from ..test_api import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def soon(clinic_ec, clinic_gye, general_ec, doctor_ec, make_med_slot, specialties_ec):
    """Medical times three and four days from now (real clock) in Quito with Dr Núñez, one
    in Guayaquil (Dentistry, no doctor)."""
    start = (timezone.now() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    return (make_med_slot(clinic_ec, general_ec, start, doctor=doctor_ec),
            make_med_slot(clinic_ec, general_ec, start + timedelta(days=1), doctor=doctor_ec),
            make_med_slot(clinic_gye, specialties_ec["dentistry"], start + timedelta(hours=1)))


def book(client, person, slot, **body):
    headers = bearer(person)
    if "key" in body:
        headers["HTTP_IDEMPOTENCY_KEY"] = body.pop("key")
    return client.post("/api/v1/appointments", {"slot": str(slot.public_id), **body},
                       content_type="application/json", **headers)


def test_r_apt_03_slots_filter_by_specialty_place_centre_doctor_and_kind(
        client, soon, slot, clinic_ec, doctor_ec):
    quito, quito_later, guayaquil = soon

    def ids(**params):
        r = client.get("/api/v1/slots", {"country": "EC", **params})
        assert r.status_code == 200, r.content
        return [s["id"] for s in r.json()]

    assert ids(kind="medical") == [str(s.public_id) for s in (quito, guayaquil, quito_later)]
    assert ids(specialty="general_medicine") == [str(quito.public_id),
                                                 str(quito_later.public_id)]
    assert ids(kind="medical", province="09") == [str(guayaquil.public_id)]
    assert ids(kind="medical", province="17", city="1701") == [
        str(quito.public_id), str(quito_later.public_id)]
    assert ids(kind="medical", centre=str(clinic_ec.public_id), limit=1) == [
        str(quito.public_id)]
    assert ids(doctor=str(doctor_ec.public_id)) == [str(quito.public_id),
                                                    str(quito_later.public_id)]
    assert ids(kind="office") == []      # the office slot is in 2030, past the default range
    first = client.get("/api/v1/slots", {"country": "EC", "specialty": "general_medicine"},
                       HTTP_ACCEPT_LANGUAGE="en").json()[0]
    assert first["doctor"] == {"id": str(doctor_ec.public_id), "name": "Gabriela Núñez Ortiz"}
    assert first["service"] == {"code": "general_medicine", "kind": "medical",
                                "name": "General Medicine"}
    dates = client.get("/api/v1/slots/dates", {"country": "EC", "kind": "medical",
                                               "city": "0901"}).json()
    assert len(dates) == 1


@pytest.mark.parametrize(("params", "status"), [
    ({"province": "99"}, 422), ({"province": "17", "city": "0901"}, 422),
    ({"kind": "dental"}, 422), ({"doctor": "8d6f1c1e-3c39-4a43-9a43-0a8a1b2c3d4e"}, 404),
    ({"doctor": "nope"}, 422),
], ids=["unknown-province", "city-not-in-province", "bad-kind", "unknown-doctor",
        "bad-doctor-id"])
def test_bad_slot_filters_get_a_clear_error(client, db, params, status):
    r = client.get("/api/v1/slots", {"country": "EC", **params})
    assert r.status_code == status, r.content
    assert set(r.json()) == {"code", "message", "fields"}


def test_r_apt_09_book_list_and_read_an_appointment(client, soon, ana, doctor_ec):
    r = book(client, ana, soon[0])
    assert r.status_code == 201, r.content
    appt = r.json()
    assert appt["status"] == "booked" and appt["channel"] == "api"
    assert appt["specialty"]["code"] == "general_medicine"
    assert appt["doctor"]["name"] == "Gabriela Núñez Ortiz"
    assert appt["starts_at"].endswith("-05:00") and appt["can_change"] is True
    starts = soon[0].starts_at
    assert appt["arrive_by"] == (starts - timedelta(minutes=30)).astimezone(
        timezone.get_fixed_timezone(-300)).isoformat()
    listed = client.get("/api/v1/appointments", **bearer(ana)).json()
    assert [a["id"] for a in listed] == [appt["id"]]
    r = client.get(f"/api/v1/appointments/{appt['id']}", **bearer(ana))
    assert r.status_code == 200 and r.json() == listed[0]
    # office visits and medical appointments stay apart
    assert client.get("/api/v1/visits", **bearer(ana)).json() == []
    assert client.get(f"/api/v1/visits/{appt['id']}", **bearer(ana)).status_code == 404


def test_appointments_need_an_affiliate_token(client, soon, agent):
    assert client.get("/api/v1/appointments").status_code == 401
    r = client.post("/api/v1/appointments", {"slot": str(soon[0].public_id)},
                    content_type="application/json")
    assert r.status_code == 401 and r.json()["code"] == "UNAUTHENTICATED"
    client.force_login(agent)
    assert client.get("/api/v1/appointments").status_code == 401


def test_another_person_s_appointment_is_not_found(client, soon, ana, stranger):
    appt = book(client, ana, soon[0]).json()
    headers = bearer(stranger)
    for r in (client.get(f"/api/v1/appointments/{appt['id']}", **headers),
              client.post(f"/api/v1/appointments/{appt['id']}/cancel", **headers),
              client.post(f"/api/v1/appointments/{appt['id']}/reschedule",
                          {"slot": str(soon[1].public_id)}, content_type="application/json",
                          **headers)):
        assert r.status_code == 404, r.content
        assert r.json()["code"] == "NOT_FOUND"
    for suffix in (".ics", ".pdf"):
        assert client.get(f"/api/v1/appointments/{appt['id']}{suffix}",
                          **headers).status_code == 404
    assert client.get("/api/v1/appointments", **headers).json() == []
    assert Booking.objects.get().status == "booked"


def test_r_apt_09_the_appointment_as_ics_in_the_centre_time_zone_and_as_pdf(client, soon,
                                                                           ana):
    from icalendar import Calendar

    appt = book(client, ana, soon[0]).json()
    r = client.get(f"/api/v1/appointments/{appt['id']}.ics", **bearer(ana))
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(r.content).walk("VEVENT")[0]
    assert str(event.decoded("dtstart").tzinfo) == "America/Guayaquil"
    assert event.decoded("dtstart") == soon[0].starts_at
    pdf = client.get(f"/api/v1/appointments/{appt['id']}.pdf", **bearer(ana))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_idempotency_key_books_once(client, soon, ana):
    first = book(client, ana, soon[0], key="med-1")
    again = book(client, ana, soon[0], key="med-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Booking.objects.count() == 1
    r = book(client, ana, soon[1], key="med-1")
    assert r.status_code == 409 and r.json()["code"] == "IDEMPOTENCY_KEY_REUSED"


def test_r_apt_10_a_taken_time_answers_409(client, soon, ana, stranger):
    assert book(client, ana, soon[0]).status_code == 201
    r = book(client, stranger, soon[0])
    assert r.status_code == 409 and r.json()["code"] == "SLOT_TAKEN"
    assert r.json()["fields"].keys() == {"slot"}


def test_r_apt_04_cancel_and_reschedule_free_the_time_at_once(client, soon, ana, stranger):
    appt = book(client, ana, soon[0]).json()
    r = client.post(f"/api/v1/appointments/{appt['id']}/reschedule",
                    {"slot": str(soon[1].public_id)}, content_type="application/json",
                    **bearer(ana))
    assert r.status_code == 200 and r.json()["id"] == appt["id"]
    assert book(client, stranger, soon[0]).status_code == 201
    r = client.post(f"/api/v1/appointments/{appt['id']}/cancel", **bearer(ana),
                    HTTP_IDEMPOTENCY_KEY="c-1")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    again = client.post(f"/api/v1/appointments/{appt['id']}/cancel", **bearer(ana),
                        HTTP_IDEMPOTENCY_KEY="c-1")
    assert again.status_code == 200 and again.json() == r.json()
    assert [s.booked_count for s in Slot.objects.filter(pk__in=[soon[0].pk, soon[1].pk])
            .order_by("starts_at")] == [1, 0]


def test_r_apt_01_and_r_apt_12_refusals_are_422_with_the_reason(client, soon, clinic_ec,
                                                                 eyes_ec, make_med_slot,
                                                                 make_affiliate, ana):
    peasant = make_affiliate(id_number=cedula("170000002"), affiliation_type="peasant")
    r = book(client, peasant, soon[0])
    assert r.status_code == 422 and r.json()["code"] == "NOT_COVERED"
    eyes = make_med_slot(clinic_ec, eyes_ec, soon[0].starts_at + timedelta(hours=2))
    r = book(client, ana, eyes)
    assert r.status_code == 422 and r.json()["code"] == "REFERRAL_REQUIRED"


def test_r_apt_11_the_web_account_is_the_channel_blocked(client, clinic_ec, specialties_ec,
                                                        general_ec, make_med_slot, ana):
    # three times of three specialties on the same local day of the centre (10:00, 11:00,
    # 12:00 in Ecuador), whatever the time of day the test runs
    tz = timezone.get_fixed_timezone(-300)
    day = (timezone.now().astimezone(tz) + timedelta(days=3)).date()
    start = datetime.combine(day, time(10), tzinfo=tz)
    codes = ("general_medicine", "family_medicine", "dentistry")
    slots = [make_med_slot(clinic_ec, specialties_ec[codes[h]], start + timedelta(hours=h))
             for h in range(3)]
    assert book(client, ana, slots[0]).status_code == 201
    assert book(client, ana, slots[1]).status_code == 201
    for attempt in range(3):    # warned twice, blocked at the third refused attempt
        r = book(client, ana, slots[2])
        assert r.status_code == 422 and r.json()["code"] == "QUOTA_EXCEEDED"
        assert ChannelBlock.objects.exists() == (attempt == 2)
    block = ChannelBlock.objects.get()
    assert (block.kind, block.key) == ("web", str(ana.public_id))
    later = make_med_slot(clinic_ec, general_ec, start + timedelta(days=5))
    r = book(client, ana, later)
    assert r.status_code == 403 and r.json()["code"] == "CHANNEL_BLOCKED"


def test_office_and_medical_endpoints_refuse_each_other_s_times(client, soon, slot, ana):
    r = book(client, ana, slot)
    assert r.status_code == 404
    r = client.post("/api/v1/visits", {"slot": str(soon[0].public_id)},
                    content_type="application/json", **bearer(ana))
    assert r.status_code == 404


@pytest.mark.parametrize(("body", "status"), [
    ({"slot": "not-a-uuid"}, 422), ({}, 422),
    ({"slot": "8d6f1c1e-3c39-4a43-9a43-0a8a1b2c3d4e"}, 404),
    ({"slot": "8d6f1c1e-3c39-4a43-9a43-0a8a1b2c3d4e", "booked_for": "x"}, 422),
], ids=["bad-uuid", "missing", "unknown-slot", "bad-booked-for"])
def test_bad_appointment_requests_never_500(client, soon, ana, body, status):
    r = client.post("/api/v1/appointments", body, content_type="application/json",
                    **bearer(ana))
    assert r.status_code == status, r.content
    assert client.get("/api/v1/appointments/not-a-uuid", **bearer(ana)).status_code == 422


# --- R-APT-14: what an affiliate may book, for API clients --------------------------------------

def test_r_apt_14_bookable_slots_leave_out_what_the_booking_would_refuse(client, soon, ana,
                                                                       peasant):
    quito, quito_later, _guayaquil = soon
    assert book(client, ana, quito).status_code == 201
    r = client.get("/api/v1/appointments/bookable/slots",
                   {"specialty": "general_medicine"}, **bearer(ana))
    assert r.status_code == 200, r.content
    ids = [s["id"] for s in r.json()]
    assert str(quito.public_id) not in ids and str(quito_later.public_id) in ids
    assert r.json()[0]["final"] is False
    # the same day is closed for a second General Medicine, and says which one is booked
    r = client.get("/api/v1/appointments/bookable", {"specialty": "general_medicine"},
                   HTTP_ACCEPT_LANGUAGE="en", **bearer(ana))
    body = r.json()
    assert r.status_code == 200 and body["refusal"] is None
    day = timezone.localtime(quito.starts_at, timezone.get_fixed_timezone(-300)).date()
    closed = next(c for c in body["closed_days"] if c["date"] == day.isoformat())
    assert closed["reason"] == "same_specialty" and closed["appointment_id"]
    assert {r["days"]: r["left"] for r in body["quota_room_today"]}[30] == 9
    # a peasant-insurance member is refused up front, with the reason, and offered nothing
    r = client.get("/api/v1/appointments/bookable", {"specialty": "general_medicine"},
                   HTTP_ACCEPT_LANGUAGE="en", **bearer(peasant))
    assert r.json()["refusal"]["reason"] == "peasant_insurance"
    assert client.get("/api/v1/appointments/bookable/slots",
                      {"specialty": "general_medicine"}, **bearer(peasant)).json() == []


def test_r_apt_14_bookable_asks_for_a_known_specialty_and_ones_own_dependant(client, ana,
                                                                           stranger, soon):
    r = client.get("/api/v1/appointments/bookable", {"specialty": "astrology"}, **bearer(ana))
    assert r.status_code == 404 and r.json()["fields"] == {"specialty": r.json()["message"]}
    r = client.get("/api/v1/appointments/bookable",
                   {"specialty": "general_medicine", "booked_for": str(stranger.public_id)},
                   **bearer(ana))
    assert r.status_code == 422 and r.json()["code"] == "BOOKED_FOR_REFUSED"
    assert client.get("/api/v1/appointments/bookable",
                      {"specialty": "general_medicine"}).status_code == 401
