"""Dependants and office visits in the back office, in a browser: an agent signs in, opens a
request from the queue of dependant requests and decides it (R-DEP-01), files a spouse
married abroad at the counter (R-DEP-02) and records who came to the centre's office visits
(R-REG-07); axe on each page and on the error states, in Spanish and in English."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
from playwright.sync_api import expect

from .support import (
    error_state_problems,
    follow,
    html_lang,
    open_menu,
    path_of,
)

pytestmark = pytest.mark.browser

PASSWORD = "Staff-password-123"
CHILD_ID = "1700000027"  # a valid cédula



def press(page, selector: str, *, status: int) -> None:
    with page.expect_navigation(wait_until="load") as navigation:
        page.locator(selector).first.click()
    assert navigation.value.status == status, (selector, navigation.value.status)


def local_today() -> date:
    from django.utils import timezone

    from ventanilla.countries.registry import get_pack

    return timezone.localdate(timezone=get_pack("EC").tz)


def book_visit(person, centre, day: date, at: str):
    """The person booked an office visit online two days before it."""
    from ventanilla.core.channels import Channel
    from ventanilla.countries.registry import get_pack
    from ventanilla.scheduling.defaults import office_services_ensure
    from ventanilla.scheduling.models import Slot
    from ventanilla.scheduling.services import booking_create

    service = {s.code: s for s in office_services_ensure("EC")}["dependant_registration"]
    starts_at = datetime.combine(day, time.fromisoformat(at), tzinfo=get_pack("EC").tz)
    slot = Slot.objects.create(centre=centre, service=service, starts_at=starts_at,
                               ends_at=starts_at + timedelta(minutes=20))
    return booking_create(slot=slot, person=person, channel=Channel.WEB,
                          now=starts_at - timedelta(days=2))


@pytest.mark.parametrize("language", ["es", "en"])
def test_agent_decides_a_dependant_request_files_one_at_the_counter_and_records_visits(
        new_page, a11y, make_affiliate, language):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create
    from ventanilla.cases.models import CaseStatus
    from ventanilla.core.channels import Channel
    from ventanilla.core.models import AuditEntry
    from ventanilla.dependants.models import DependantRequest
    from ventanilla.dependants.services import dependant_request_create
    from ventanilla.scheduling.models import Booking, BookingStatus, Centre

    centre = Centre.objects.create(country="EC", code="ec-quito", name="CAU Quito",
                                   subdivision_code="170150", address="Av. 10 de Agosto")
    staff_create(username="agente.ec", password=PASSWORD, role=Role.AGENT, country="EC",
                 centre=centre)
    holder = make_affiliate()
    born = local_today().replace(year=local_today().year - 9, day=1)
    request = dependant_request_create(
        holder_person=holder, relationship="child", channel=Channel.WEB, actor=holder.user,
        dependant={"id_type": "cedula", "id_number": CHILD_ID, "given_names": "Mateo",
                   "family_names": "Paz Vera", "date_of_birth": born, "nationality": "EC"})
    today = local_today()
    book_visit(holder, centre, today, "23:40")
    yesterday = today - timedelta(days=1)
    missed = book_visit(holder, centre, yesterday, "09:00")
    # Spanish comes from the browser's Accept-Language; English from the language cookie.
    page = new_page(language="en" if language == "en" else None)
    problems: list[str] = []

    page.goto("/staff/entrar/")
    page.fill("input[name=username]", "agente.ec")
    page.fill("input[name=password]", PASSWORD)
    press(page, "main form[method=post] button[type=submit]", status=200)
    expect(page.locator("#service-navigation a[href='/staff/dependientes/']")).to_have_count(1)
    expect(page.locator("#service-navigation a[href='/staff/visitas/']")).to_have_count(1)

    # the queue, oldest first
    open_menu(page)   # collapsed on a phone
    follow(page, "#service-navigation a[href='/staff/dependientes/']")
    assert html_lang(page) == language
    expect(page.locator("main table tbody tr")).to_have_count(1)
    a11y.check(page, f"[{language}] dependant requests")

    # the request's page, its error states, then the decision
    request_path = f"/staff/dependientes/{request.public_id}/"
    follow(page, f"main a[href='{request_path}']")
    assert path_of(page) == request_path
    expect(page.locator("h1")).to_contain_text(request.case.reference)
    a11y.check(page, f"[{language}] dependant request")
    decide = f"main form[action='{request_path}decidir/'] button[type=submit]"
    press(page, decide, status=422)
    problems += error_state_problems(page, language, "decision, empty")
    a11y.check(page, f"[{language}] dependant request, no decision")
    page.check("input[name=decision][value=reject]")
    press(page, decide, status=422)
    expect(page.locator(".govuk-error-summary a[href='#id_reason']")).to_have_count(1)
    problems += error_state_problems(page, language, "decision, reject without a reason")
    a11y.check(page, f"[{language}] dependant request, reject without a reason")
    page.check("input[name=decision][value=approve]")
    press(page, decide, status=200)
    assert path_of(page) == request_path
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    expect(page.locator(f"main form[action='{request_path}decidir/']")).to_have_count(0)
    a11y.check(page, f"[{language}] dependant request, approved")
    request.refresh_from_db()
    assert request.status == CaseStatus.APPROVED

    # at the counter: a spouse married abroad, from the affiliate's page (R-DEP-02)
    page.goto(f"/staff/personas/{holder.public_id}/")
    new_path = f"/staff/personas/{holder.public_id}/dependientes/nueva/"
    follow(page, f"main a[href='{new_path}']")
    assert path_of(page) == new_path
    expect(page.locator("#dependants-list")).to_contain_text("Mateo Paz Vera")
    a11y.check(page, f"[{language}] counter, add a dependant")
    file_it = "main form[method=post] button[type=submit]"
    press(page, file_it, status=422)
    problems += error_state_problems(page, language, "counter, empty")
    a11y.check(page, f"[{language}] counter, add a dependant, error state")
    page.check("input[name=relationship][value=spouse]")
    page.check("input[name=union_kind][value=marriage]")
    page.check("input[name=marriage_abroad][value=yes]")
    page.fill("input[name=given_names]", "Laura")
    page.fill("input[name=family_names]", "Gómez Díaz")
    for part, value in (("day", "3"), ("month", "11"), ("year", "1985")):
        page.fill(f"input[name=date_of_birth_{part}]", value)
    page.select_option("select[name=nationality]", "CO")
    page.select_option("select[name=id_type]", "passport")
    page.fill("input[name=id_number]", "AX123456")
    press(page, file_it, status=422)  # no inscription yet
    expect(page.locator(".govuk-error-summary a[href='#id_inscription_reference']")
           ).to_have_count(1)
    a11y.check(page, f"[{language}] counter, married abroad without the inscription")
    page.fill("input[name=inscription_reference]", "RC-2025-000123")
    press(page, file_it, status=200)
    filed = DependantRequest.objects.get(relationship="spouse")
    assert path_of(page) == f"/staff/dependientes/{filed.public_id}/"
    assert (filed.channel, filed.marriage_abroad) == ("in_person", True)
    expect(page.locator("main")).to_contain_text("RC-2025-000123")
    a11y.check(page, f"[{language}] counter, request filed")

    # the centre's office visits: today, then yesterday's no-show
    open_menu(page)   # collapsed on a phone
    follow(page, "#service-navigation a[href='/staff/visitas/']")
    assert html_lang(page) == language
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main table tbody")).to_contain_text("23:40")
    a11y.check(page, f"[{language}] visits, today")
    page.goto(f"/staff/visitas/?fecha={yesterday.isoformat()}")
    row = page.locator("main table tbody tr")
    expect(row).to_have_count(1)
    press(page, "main table tbody button[name=attended][value=no]", status=200)
    assert re.search(rf"fecha={yesterday.isoformat()}", page.url), page.url
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    expect(page.locator("main table tbody button")).to_have_count(0)
    a11y.check(page, f"[{language}] visits, attendance recorded")
    assert Booking.objects.get(pk=missed.pk).status == BookingStatus.NO_SHOW

    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"dependant_request.queue.view", "dependant_request.view",
            "dependant_request.approve", "dependant_request.create",
            "person.dependants.view", "visits.day.view", "booking.attendance"} <= actions
    assert page.browsing.external_requests == []
    assert page.browsing.page_errors == []
    assert not problems, f"[{language}] error states: {problems}"
    a11y.assert_clean()


@pytest.mark.parametrize("language", ["es", "en"])
def test_empty_queue_and_a_day_without_visits(new_page, a11y, language):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create
    from ventanilla.scheduling.models import Centre

    centre = Centre.objects.create(country="EC", code="ec-quito", name="CAU Quito",
                                   subdivision_code="170150", address="Av. 10 de Agosto")
    staff_create(username="agente.ec", password=PASSWORD, role=Role.AGENT, country="EC",
                 centre=centre)
    page = new_page(language="en" if language == "en" else None)
    page.goto("/staff/entrar/")
    page.fill("input[name=username]", "agente.ec")
    page.fill("input[name=password]", PASSWORD)
    press(page, "main form[method=post] button[type=submit]", status=200)
    page.goto("/staff/dependientes/")
    expect(page.locator("#no-requests")).to_be_visible()
    a11y.check(page, f"[{language}] dependant requests, none")
    page.goto("/staff/visitas/")
    expect(page.locator("#no-visits")).to_be_visible()
    a11y.check(page, f"[{language}] visits, none")
    page.goto("/staff/visitas/?fecha=2026-02-30")
    problems = error_state_problems(page, language, "visits, wrong date")
    a11y.check(page, f"[{language}] visits, wrong date")
    assert not problems, problems
    a11y.assert_clean()
