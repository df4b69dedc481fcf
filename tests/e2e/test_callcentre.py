"""The call centre console in a browser (R-APT-06): an operator signs in, finds the caller
(with the error states), reads the caller's page, picks specialty and place, chooses one of
the free times on the caller's phone days, reads the booking back, and cancels it after a
confirmation; axe on every page, in Spanish and in English."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from playwright.sync_api import expect

from .support import (
    error_state_problems,
    follow,
    html_lang,
    path_of,
)

pytestmark = pytest.mark.browser

PASSWORD = "Staff-password-123"
ODD_ID = "1710034065"  # Monday, Wednesday, Friday
DESKTOP = {"width": 1280, "height": 900}  # operators work at a desk


def medical_slots() -> None:
    from django.utils import timezone

    from ventanilla.scheduling.defaults import medical_services_ensure
    from ventanilla.scheduling.models import Centre, Doctor, Slot

    tz = timezone.get_fixed_timezone(-300)
    services = {s.code: s for s in medical_services_ensure("EC")}
    centre = Centre.objects.create(country="EC", kind=Centre.Kind.MEDICAL, code="ec-hq",
                                   name="Hospital del Sur", subdivision_code="170150",
                                   address="Av. Maldonado S11-122")
    doctor = Doctor.objects.create(country="EC", given_names="María", family_names="López",
                                   registration_code="MSP-1")
    doctor.centres.add(centre)
    doctor.specialties.add(services["general_medicine"])
    today = timezone.localdate(timezone=tz)
    for n in range(1, 10):
        starts = datetime.combine(today + timedelta(days=n), time(9, 0), tzinfo=tz)
        Slot.objects.create(centre=centre, service=services["general_medicine"],
                            doctor=doctor, starts_at=starts,
                            ends_at=starts + timedelta(minutes=20), capacity=1)


def press(page, selector: str, *, status: int) -> None:
    with page.expect_navigation(wait_until="load") as navigation:
        page.locator(selector).first.click()
    assert navigation.value.status == status, (selector, navigation.value.status)



@pytest.mark.parametrize("language", ["es", "en"])
def test_operator_books_and_cancels_for_a_caller(new_page, a11y, make_affiliate, language):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create
    from ventanilla.core.models import AuditEntry
    from ventanilla.scheduling.models import Booking, BookingStatus

    staff_create(username="operador.ec", password=PASSWORD, role=Role.OPERATOR, country="EC")
    caller = make_affiliate(id_number=ODD_ID)
    medical_slots()
    page = new_page(viewport=DESKTOP, language="en" if language == "en" else None)
    problems: list[str] = []
    titles: list[str] = []

    # sign in: the operator lands on the console
    page.goto("/staff/entrar/")
    page.fill("input[name=username]", "operador.ec")
    page.fill("input[name=password]", PASSWORD)
    press(page, "main form[method=post] button[type=submit]", status=200)
    assert path_of(page) == "/staff/llamadas/", page.url
    expect(page.locator("#service-navigation a[href='/staff/llamadas/']")).to_have_count(1)
    assert html_lang(page) == language
    titles.append(page.title())
    a11y.check(page, f"[{language}] find the caller")

    # the error states of the lookup, and a caller not found
    find = "main form[method=post] button[type=submit]"
    press(page, find, status=422)
    problems += error_state_problems(page, language, "find, empty")
    a11y.check(page, f"[{language}] find, error state")
    page.select_option("select[name=id_type]", "cedula")
    page.fill("input[name=id_number]", "1710034066")
    press(page, find, status=422)
    expect(page.locator(".govuk-error-summary a[href='#id_id_number']")).to_have_count(1)
    a11y.check(page, f"[{language}] find, invalid ID")
    page.fill("input[name=id_number]", "0926687856")
    press(page, find, status=200)
    expect(page.locator("#not-found")).to_be_visible()
    a11y.check(page, f"[{language}] find, not found")

    # the caller's page
    page.fill("input[name=id_number]", ODD_ID)
    press(page, find, status=200)
    assert path_of(page) == f"/staff/llamadas/{caller.public_id}/"
    expect(page.locator("h1")).to_have_text(caller.full_name)
    expect(page.locator("#phone-days")).to_be_visible()
    titles.append(page.title())
    a11y.check(page, f"[{language}] caller")

    # specialty and place (a GET form), with its error state
    follow(page, "main a#book")
    titles.append(page.title())
    a11y.check(page, f"[{language}] specialty and place")
    press(page, "main form[method=get] button[type=submit]", status=422)
    problems += error_state_problems(page, language, "specialty and place, empty")
    a11y.check(page, f"[{language}] specialty and place, error state")
    page.check("input[name=specialty][value=general_medicine]")
    page.select_option("#id_province", "17")
    page.select_option("#id_city", "1701")
    press(page, "main form[method=get] button[type=submit]", status=200)
    assert path_of(page) == f"/staff/llamadas/{caller.public_id}/cita/horas/"
    titles.append(page.title())
    a11y.check(page, f"[{language}] free times")
    assert page.locator("input[name=slot]").count() > 0, page.locator("main").inner_text()
    press(page, "main form[method=post] button[type=submit]", status=422)
    problems += error_state_problems(page, language, "free times, none chosen")
    a11y.check(page, f"[{language}] free times, error state")

    # book the first free time; the summary to read back
    page.locator("input[name=slot]").first.check()
    press(page, "main form[method=post] button[type=submit]", status=200)
    booking = Booking.objects.get()
    assert path_of(page) == f"/staff/llamadas/{caller.public_id}/citas/{booking.public_id}/"
    expect(page.locator(".govuk-panel")).to_be_visible()
    expect(page.locator("#booking-summary")).to_contain_text("Av. Maldonado S11-122")
    expect(page.locator("#booking-summary")).to_contain_text("María López")
    expect(page.locator("#arrive-early")).to_be_visible()
    titles.append(page.title())
    a11y.check(page, f"[{language}] booking summary")

    # cancel, after the confirmation page
    follow(page, f"main a[href$='/citas/{booking.public_id}/cancelar/']")
    titles.append(page.title())
    a11y.check(page, f"[{language}] cancel, are you sure")
    press(page, "main form[method=post] button[type=submit]", status=200)
    assert path_of(page) == f"/staff/llamadas/{caller.public_id}/"
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    a11y.check(page, f"[{language}] caller, after cancelling")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.channel == "phone"

    assert len(set(titles)) == len(titles), titles  # every step has its own title
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"callcentre.lookup", "callcentre.view", "callcentre.book.start",
            "callcentre.slots", "booking.create", "callcentre.booking.view",
            "callcentre.cancel.view", "booking.cancel"} <= actions
    assert page.browsing.external_requests == []
    assert page.browsing.page_errors == []
    assert not problems, f"[{language}] error states: {problems}"
    a11y.assert_clean()
