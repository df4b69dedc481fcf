"""Medical appointments on the web (R-APT-03): contact details, specialty and place, date,
centre, time and doctor, confirmation; eligibility from the coverage function (R-APT-01);
cancel and change within the window (R-APT-04)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db
CLAVE = "una clave larga 2026"


def sign_in(client, person):
    r = client.post("/portal/entrar/", {"document": f"{person.country}:{person.id_type}",
                                        "id_number": person.id_number, "password": CLAVE})
    assert r.status_code == 302
    return client


@pytest.fixture
def medical(db):
    from ventanilla.scheduling.defaults import medical_services_ensure
    from ventanilla.scheduling.models import Centre, Doctor, Slot

    services = {s.code: s for s in medical_services_ensure("EC")}
    near = Centre.objects.create(country="EC", kind=Centre.Kind.MEDICAL, code="ec-hq-sur",
                                 name="Hospital del Sur", subdivision_code="170150",
                                 address="Av. Maldonado", latitude=-0.28, longitude=-78.54)
    far = Centre.objects.create(country="EC", kind=Centre.Kind.MEDICAL, code="ec-hq-norte",
                                name="Centro Médico Norte", subdivision_code="170150",
                                address="Av. Prensa", latitude=-0.13, longitude=-78.49)
    doctor = Doctor.objects.create(country="EC", given_names="María", family_names="López",
                                   registration_code="MSP-1")
    doctor.centres.add(near, far)
    doctor.specialties.add(services["dentistry"])
    start = (timezone.now() + timedelta(days=3)).replace(hour=14, minute=0, second=0,
                                                         microsecond=0)
    slots = []
    for centre in (near, far):
        for i in range(3):
            slots.append(Slot.objects.create(
                centre=centre, service=services["dentistry"], doctor=doctor,
                starts_at=start + timedelta(minutes=20 * i),
                ends_at=start + timedelta(minutes=20 * (i + 1)), capacity=1))
    return {"near": near, "far": far, "slots": slots, "services": services,
            "day": timezone.localtime(start, timezone.get_fixed_timezone(-300)).date()}


def what_query(person, specialty="dentistry"):
    return (f"booked_for={person.public_id}&specialty={specialty}&province=17&city=1701")


def test_r_apt_03_the_whole_flow_books_with_a_doctor_and_the_confirmation_says_30_minutes(
        make_affiliate, medical):
    from ventanilla.scheduling.models import Booking

    person = make_affiliate(affiliation_type="employee")
    client = sign_in(Client(), person)
    page = client.get("/portal/citas/nueva/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Ana Paz Vera" in page and "1710034065" in page and "Employee" in page
    r = client.post("/portal/citas/nueva/", {"mobile_phone": "0991234567", "carrier": "",
                                             "email": "ana.nueva@example.com"})
    assert r["Location"] == "/portal/citas/nueva/especialidad/"
    person.refresh_from_db()
    assert person.email == "ana.nueva@example.com" and person.carrier
    r = client.get(f"/portal/citas/nueva/especialidad/?{what_query(person)}")
    assert r["Location"].startswith("/portal/citas/nueva/fecha/?")
    day = medical["day"].isoformat()
    assert f"date={day}" in client.get(r["Location"]).content.decode()
    # centres nearest first when the browser gives a location (near the south hospital)
    centres = client.get(f"/portal/citas/nueva/centro/?{what_query(person)}&date={day}"
                         "&lat=-0.29&lng=-78.55").content.decode()
    assert centres.index("Hospital del Sur") < centres.index("Centro Médico Norte")
    centres = client.get(f"/portal/citas/nueva/centro/?{what_query(person)}&date={day}"
                         "&lat=-0.12&lng=-78.48").content.decode()
    assert centres.index("Centro Médico Norte") < centres.index("Hospital del Sur")
    time_url = (f"/portal/citas/nueva/hora/?{what_query(person)}&date={day}"
                f"&centre={medical['near'].public_id}")
    page = client.get(time_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "María López" in page and "Morning" in page and "Any doctor" in page
    slot = medical["slots"][1]
    at = timezone.localtime(slot.starts_at, timezone.get_fixed_timezone(-300))
    assert client.post(time_url, {"time": ""}).status_code == 422
    r = client.post(time_url, {"time": f"{at:%H:%M}", "doctor": ""})
    check_url = r["Location"]
    assert check_url.startswith("/portal/citas/nueva/confirmar/?")
    assert f"slot={slot.public_id}" in check_url
    assert not Booking.objects.exists()  # nothing is booked before the check page
    page = client.get(check_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Check the appointment" in page and "María López" in page
    r = client.post(check_url)
    booking = Booking.objects.get()
    assert r["Location"] == f"/portal/citas/{booking.public_id}/"
    assert booking.channel == "web" and booking.slot == slot
    page = client.get(r["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Arrive 30 minutes early" in page
    assert client.get(f"/portal/citas/{booking.public_id}/cita.pdf").content.startswith(b"%PDF")
    assert b"BEGIN:VEVENT" in client.get(f"/portal/citas/{booking.public_id}/cita.ics").content


def test_r_apt_01_peasant_insurance_is_told_why_and_cannot_book(make_affiliate, medical):
    person = make_affiliate(affiliation_type="peasant")
    client = sign_in(Client(), person)
    page = client.get("/portal/citas/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "does not include this appointment service" in page
    assert "/portal/citas/nueva/" not in page
    r = client.post(f"/portal/citas/nueva/confirmar/?{what_query(person)}"
                    f"&slot={medical['slots'][0].public_id}", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 422 and "does not include this appointment service" in \
        re.sub(r"\s+", " ", r.content.decode())


def test_r_apt_04_cancel_frees_the_time_and_change_moves_the_appointment(make_affiliate,
                                                                         medical):
    from ventanilla.scheduling.models import Booking
    from ventanilla.scheduling.services import booking_create

    person = make_affiliate(affiliation_type="employee")
    first, second = medical["slots"][0], medical["slots"][2]
    booking = booking_create(slot=first, person=person, channel="web")
    client = sign_in(Client(), person)
    r = client.post(f"/portal/citas/nueva/confirmar/?{what_query(person)}"
                    f"&cambiar={booking.public_id}&slot={second.public_id}")
    moved = Booking.objects.get(status="booked")
    assert moved.slot == second and r["Location"] == f"/portal/citas/{moved.public_id}/"
    first.refresh_from_db()
    assert first.booked_count == 0
    assert client.get(f"/portal/citas/{moved.public_id}/cancelar/").status_code == 200
    assert Booking.objects.get(pk=moved.pk).status == "booked"  # the question page only
    r = client.post(f"/portal/citas/{moved.public_id}/cancelar/")
    assert r["Location"] == "/portal/citas/"
    second.refresh_from_db()
    assert second.booked_count == 0


def test_another_persons_appointment_is_not_found(make_affiliate, medical):
    from ventanilla.scheduling.services import booking_create

    other = make_affiliate(id_number="0926687856", email="o@example.com",
                           affiliation_type="employee")
    booking = booking_create(slot=medical["slots"][0], person=other, channel="web")
    me = make_affiliate(id_number="1713175071", email="m@example.com",
                        affiliation_type="employee")
    client = sign_in(Client(), me)
    for path in (f"/portal/citas/{booking.public_id}/",
                 f"/portal/citas/{booking.public_id}/cita.pdf"):
        assert client.get(path).status_code == 404
    assert client.post(f"/portal/citas/{booking.public_id}/cancelar/").status_code == 404


def test_r_apt_03_contact_details_are_checked(make_affiliate, medical):
    person = make_affiliate(affiliation_type="employee")
    client = sign_in(Client(), person)
    r = client.post("/portal/citas/nueva/", {"mobile_phone": "123", "carrier": "",
                                             "email": "x"})
    assert r.status_code == 422
    assert date.today()  # the page is not a dead end: it shows the errors
