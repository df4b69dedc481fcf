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
    # R-APT-14: starting the booking anyway, the refusal comes first, with where to go
    start = client.get("/portal/citas/nueva/", HTTP_ACCEPT_LANGUAGE="en")
    text = re.sub(r"\s+", " ", start.content.decode())
    assert start.status_code == 200 and "You cannot book this appointment online" in text
    assert "does not include this appointment service" in text
    assert "Seguro Social Campesino" in text and 'href="tel:' in text
    assert "/portal/citas/nueva/especialidad/" not in text      # no way back into it
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


def test_choosing_a_time_holds_it_for_10_minutes_and_others_get_the_nearest_times(
        make_affiliate, medical):
    """UX.md "Booking": the check page holds the time and says so; someone else reaching
    the same time is told plainly and offered the three nearest free times."""
    from ventanilla.scheduling.models import Booking, Slot
    from ventanilla.scheduling.tests.conftest import cedula

    ana = make_affiliate(affiliation_type="employee")
    luis = make_affiliate(id_number=cedula("090000001"), given_names="Luis",
                          email="luis@example.com", affiliation_type="employee")
    slot = medical["slots"][0]
    mine = sign_in(Client(), ana)
    page = mine.get(f"/portal/citas/nueva/confirmar/?{what_query(ana)}&slot={slot.public_id}",
                    HTTP_ACCEPT_LANGUAGE="en").content.decode()
    held = Slot.objects.get(pk=slot.pk)
    until = timezone.localtime(held.held_until, timezone.get_fixed_timezone(-300))
    assert held.held_by == ana
    assert (f"We are keeping this time for you for 10 minutes, until {until:%H:%M}"
            in re.sub(r"\s+", " ", page))
    # the time is no longer offered to anyone else; the one holding it still sees it
    day = medical["day"].isoformat()
    time_url = (f"&date={day}&centre={medical['near'].public_id}")
    theirs = sign_in(Client(), luis)
    at = f"{timezone.localtime(slot.starts_at, timezone.get_fixed_timezone(-300)):%H:%M}"
    assert f'value="{at}"' in mine.get(
        f"/portal/citas/nueva/hora/?{what_query(ana)}{time_url}").content.decode()
    assert f'value="{at}"' not in theirs.get(
        f"/portal/citas/nueva/hora/?{what_query(luis)}{time_url}").content.decode()
    # reaching the check page anyway (an old link): told plainly, three nearest offered
    r = theirs.get(f"/portal/citas/nueva/confirmar/?{what_query(luis)}&slot={slot.public_id}",
                   HTTP_ACCEPT_LANGUAGE="en")
    page = r.content.decode()
    assert r.status_code == 409 and "Someone is confirming this time right now" in page
    listed = page.split("The nearest free times:")[1].split("</ul>")[0]
    offered = re.findall(r"slot=([0-9a-f-]{36})", listed)
    nearest = sorted((s for s in medical["slots"] if s.pk != slot.pk),
                     key=lambda s: (s.starts_at, s.centre.name))[:3]
    assert offered == [str(s.public_id) for s in nearest]
    assert theirs.post(f"/portal/citas/nueva/confirmar/?{what_query(luis)}"
                       f"&slot={slot.public_id}").status_code == 409
    # the holder books it; the hold is used up
    r = mine.post(f"/portal/citas/nueva/confirmar/?{what_query(ana)}&slot={slot.public_id}")
    assert Booking.objects.get().booked_for == ana
    held.refresh_from_db()
    assert (held.booked_count, held.held_by) == (1, None)


def test_the_confirmation_sends_a_copy_by_email_and_whatsapp(make_affiliate, medical,
                                                             smtp_server,
                                                             django_capture_on_commit_callbacks):
    """UX.md "Booking": the confirmation offers print, PDF, calendar and e-mail or WhatsApp
    copies; the e-mail is real (SMTP) with the calendar file; WhatsApp only to a registered
    mobile that opted in; a few copies an hour at most."""
    from ventanilla.scheduling.services import booking_create
    from ventanilla.whatsapp.models import WhatsAppConversation, WhatsAppMessage

    person = make_affiliate(affiliation_type="employee")
    booking = booking_create(slot=medical["slots"][0], person=person, channel="web")
    client = sign_in(Client(), person)
    url = f"/portal/citas/{booking.public_id}/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Reference: " + str(booking.public_id)[:8].upper() in page
    assert "data-app-print" in page and "What to bring" in page
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"{url}copia/", {"medio": "email"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r["Location"] == url
    assert "A copy is on its way to a•••@e•••.com" in client.get(
        url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    mail = smtp_server.wait_for(1)[0]
    assert mail["To"] == "ana@example.com"
    attachments = [p.get_filename() for p in mail.walk() if p.get_filename()]
    assert attachments == ["cita.ics"]
    # WhatsApp: refused with what to do until the registered mobile has opted in
    client.post(f"{url}copia/", {"medio": "whatsapp"}, HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # R-HLP-01: the message names the number to write to
    assert "has written to our WhatsApp number, 096 730 0000. Write to it once" in page
    assert not WhatsAppMessage.objects.exists()
    WhatsAppConversation.objects.create(phone="593991234567", whatsapp_opt_in=True,
                                        language="en")
    client.post(f"{url}copia/", {"medio": "whatsapp"}, HTTP_ACCEPT_LANGUAGE="en")
    sent = WhatsAppMessage.objects.get()
    assert sent.phone == "593991234567" and "Your appointment:" in sent.body
    assert "•••567" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # an unknown medium names the field; the sixth copy in an hour is refused
    client.post(f"{url}copia/", {"medio": "fax"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Choose e-mail or WhatsApp" in client.get(
        url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.post(f"{url}copia/", {"medio": "whatsapp"}, HTTP_ACCEPT_LANGUAGE="en")  # 5th
    assert WhatsAppMessage.objects.count() == 2
    client.post(f"{url}copia/", {"medio": "whatsapp"}, HTTP_ACCEPT_LANGUAGE="en")
    assert WhatsAppMessage.objects.count() == 2
    assert "Too many attempts" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # someone else's appointment: not found
    other = make_affiliate(id_number="0926687856", email="o@example.com")
    assert sign_in(Client(), other).post(f"{url}copia/", {"medio": "email"}).status_code == 404
