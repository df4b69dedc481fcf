"""Booking a medical appointment on a phone-sized screen (R-APT-03): contact details,
specialty and place, date (first available), time and doctor, confirmation, change and
cancel; axe on every step, in Spanish and in English."""

from __future__ import annotations

from datetime import timedelta

import pytest

from .support import follow, html_lang, path_of, submit

pytestmark = pytest.mark.browser
CLAVE = "una clave larga 2026"


def medical_slots():
    from django.utils import timezone

    from ventanilla.scheduling.defaults import medical_services_ensure
    from ventanilla.scheduling.models import Centre, Doctor, Slot

    services = {s.code: s for s in medical_services_ensure("EC")}
    centre = Centre.objects.create(country="EC", kind=Centre.Kind.MEDICAL, code="ec-hq",
                                   name="Hospital del Sur", subdivision_code="170150",
                                   address="Av. Maldonado", latitude=-0.28, longitude=-78.54)
    doctor = Doctor.objects.create(country="EC", given_names="María", family_names="López",
                                   registration_code="MSP-1")
    doctor.centres.add(centre)
    doctor.specialties.add(services["general_medicine"])
    start = (timezone.now() + timedelta(days=3)).replace(hour=14, minute=0, second=0,
                                                         microsecond=0)
    for i in range(4):
        Slot.objects.create(centre=centre, service=services["general_medicine"],
                            doctor=doctor, starts_at=start + timedelta(minutes=20 * i),
                            ends_at=start + timedelta(minutes=20 * (i + 1)), capacity=1)


@pytest.mark.parametrize("language", ["es", "en"])
def test_affiliate_books_changes_and_cancels_on_a_phone(new_page, a11y, make_affiliate,
                                                         language):
    from ventanilla.scheduling.models import Booking

    make_affiliate(affiliation_type="employee")
    medical_slots()
    page = new_page(language="en" if language == "en" else None)  # PHONE viewport
    page.goto("/portal/entrar/")
    page.select_option("#id_document", "EC:cedula")
    page.fill("#id_id_number", "1710034065")
    page.fill("#id_password", CLAVE)
    submit(page)

    page.goto("/portal/citas/")
    assert html_lang(page) == language
    a11y.check(page, f"[{language}] appointments, none yet")
    page.goto("/portal/citas/nueva/")
    a11y.check(page, f"[{language}] contact details")
    page.fill("#id_mobile_phone", "12")
    submit(page)
    a11y.check(page, f"[{language}] contact details, error state")
    page.fill("#id_mobile_phone", "0991234567")
    submit(page)
    assert path_of(page) == "/portal/citas/nueva/especialidad/"
    a11y.check(page, f"[{language}] specialty and place")
    submit(page, "main form[method=get] button[type=submit]")
    a11y.check(page, f"[{language}] specialty and place, error state")
    page.check("input[name=specialty][value=general_medicine]")
    page.select_option("#id_province", "17")
    page.select_option("#id_city", "1701")
    submit(page, "main form[method=get] button[type=submit]")
    assert path_of(page) == "/portal/citas/nueva/fecha/", page.locator("main").inner_text()
    a11y.check(page, f"[{language}] dates")
    assert page.locator("main ul.govuk-list a").count(), page.locator("main").inner_text()
    follow(page, "main ul.govuk-list a")
    assert path_of(page) == "/portal/citas/nueva/centro/"
    a11y.check(page, f"[{language}] centres")
    follow(page, "main ul.govuk-list a")
    assert path_of(page) == "/portal/citas/nueva/hora/"
    a11y.check(page, f"[{language}] times and doctors")
    submit(page)
    a11y.check(page, f"[{language}] times and doctors, error state")
    page.locator("input[name=time]").first.check()
    submit(page)
    assert path_of(page) == "/portal/citas/nueva/confirmar/"
    assert page.locator("#hold").is_visible()   # the 10-minute hold, said on the page
    a11y.check(page, f"[{language}] check the appointment")
    submit(page)
    booking = Booking.objects.get()
    assert path_of(page) == f"/portal/citas/{booking.public_id}/"
    assert page.locator(".govuk-panel--confirmation").count() == 1
    assert page.locator("[data-app-print]").is_visible()   # shown by print.js
    a11y.check(page, f"[{language}] confirmation")
    page.locator("button[name=medio][value=email]").click()   # a copy by e-mail
    page.wait_for_load_state()
    assert page.locator(".govuk-notification-banner--success").count() == 1
    a11y.check(page, f"[{language}] confirmation, copy sent")

    follow(page, "main a.govuk-button--secondary")  # change the date or time
    assert path_of(page) == "/portal/citas/nueva/fecha/"
    follow(page, "main ul.govuk-list a")
    follow(page, "main ul.govuk-list a")
    page.locator("input[name=time]").last.check()
    submit(page)
    submit(page)  # the check page
    booking.refresh_from_db()
    moved = Booking.objects.get(status="booked")
    assert path_of(page) == f"/portal/citas/{moved.public_id}/"
    follow(page, "main a.govuk-button--warning")
    a11y.check(page, f"[{language}] cancel: are you sure")
    submit(page)
    assert path_of(page) == "/portal/citas/"
    assert not Booking.objects.filter(status="booked").exists()
    a11y.check(page, f"[{language}] appointments, after cancelling")
    a11y.assert_clean()


@pytest.mark.parametrize("language", ["es", "en"])
def test_no_free_times_is_never_a_dead_end_on_a_phone(new_page, a11y, make_affiliate,
                                                       language):
    """UX "No slots": the sentence, other cities with times, "Notify me", then the alert
    on the appointments page with its stop button; axe on each page."""
    from ventanilla.scheduling.models import SlotAlert

    person = make_affiliate(affiliation_type="employee")
    medical_slots()  # General Medicine in Quito only
    page = new_page(language="en" if language == "en" else None)  # PHONE viewport
    page.goto("/portal/entrar/")
    page.select_option("#id_document", "EC:cedula")
    page.fill("#id_id_number", "1710034065")
    page.fill("#id_password", CLAVE)
    submit(page)

    page.goto(f"/portal/citas/nueva/fecha/?booked_for={person.public_id}"
              "&specialty=general_medicine&province=17&city=1702")  # Cayambe: none
    assert html_lang(page) == language
    assert page.locator("#no-slots").count() == 1
    assert page.locator("#other-cities a").count() == 1  # Quito
    a11y.check(page, f"[{language}] dates, no free times")
    submit(page, "main form[method=post] button[type=submit]")
    assert path_of(page) == "/portal/citas/"
    assert SlotAlert.objects.filter(person=person, place_code="1702").count() == 1
    a11y.check(page, f"[{language}] appointments, with an alert")
    submit(page, "#alerts button[type=submit]")
    assert path_of(page) == "/portal/citas/"
    assert not SlotAlert.objects.filter(cancelled_at=None).exists()
    a11y.assert_clean()
