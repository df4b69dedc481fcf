"""The counter side of issue 3 in a browser: an agent signs in, finds a person, issues a clave
after checking the identity document (R-AFF-04), opens an in-person case (R-AFF-05) and
reads the list of foreign residents without coverage (R-ID-03); axe on each page and on the
error states, in Spanish and in English."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.utils import translation
from playwright.sync_api import expect

from .support import (
    error_state_problems,
    html_lang,
    path_of,
    submit,
)

pytestmark = pytest.mark.browser

PASSWORD = "Staff-password-123"
CODE = re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}$")



def press(page, form_selector: str, *, status: int) -> None:
    with page.expect_navigation(wait_until="load") as navigation:
        page.locator(f"{form_selector} button[type=submit]").click()
    assert navigation.value.status == status, (form_selector, navigation.value.status)


@pytest.mark.parametrize("language", ["es", "en"])
def test_agent_finds_a_person_issues_a_clave_and_sees_lapsed_residents(
        new_page, a11y, make_affiliate, language):
    from ventanilla.accounts.models import OneTimeSecret
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create
    from ventanilla.core.models import AuditEntry

    staff_create(username="agente.ec", password=PASSWORD, role=Role.AGENT, country="EC")
    person = make_affiliate(with_clave=False)
    make_affiliate(id_type="passport", id_number="AB123456", nationality="US",
                   residency_document="VR-2024-0099", given_names="John",
                   family_names="Smith", ends_on=date(2024, 12, 31))
    # Spanish comes from the browser's Accept-Language; English from the language cookie.
    page = new_page(language="en" if language == "en" else None)
    problems: list[str] = []

    page.goto("/staff/entrar/")
    page.fill("input[name=username]", "agente.ec")
    page.fill("input[name=password]", PASSWORD)
    submit(page)
    expect(page.locator("#service-navigation a[href='/staff/personas/']")).to_have_count(1)

    # find: the empty form, its error states, a person not found
    page.goto("/staff/personas/")
    assert html_lang(page) == language
    expect(page.locator("select[name=country]")).to_have_value("EC")
    a11y.check(page, f"[{language}] find")
    press(page, "main form[method=post]", status=422)
    problems += error_state_problems(page, language, "find, empty")
    a11y.check(page, f"[{language}] find, error state")
    page.select_option("select[name=id_type]", "cedula")
    page.fill("input[name=id_number]", "1710034066")
    press(page, "main form[method=post]", status=422)
    expect(page.locator(".govuk-error-summary a[href='#id_id_number']")).to_have_count(1)
    a11y.check(page, f"[{language}] find, invalid ID")
    page.fill("input[name=id_number]", "0926687856")
    press(page, "main form[method=post]", status=200)
    expect(page.locator("#not-found")).to_be_visible()
    a11y.check(page, f"[{language}] find, not found")

    # the person's page
    page.fill("input[name=id_number]", "1710034065")
    press(page, "main form[method=post]", status=200)
    person_path = f"/staff/personas/{person.public_id}/"
    assert path_of(page) == person_path
    expect(page.locator("h1")).to_have_text(person.full_name)
    a11y.check(page, f"[{language}] person")

    # clave: refused without the identity check, then issued once
    clave_form = f"main form[action='{person_path}clave/']"
    press(page, clave_form, status=422)
    problems += error_state_problems(page, language, "clave, box not ticked")
    a11y.check(page, f"[{language}] person, clave error state")
    assert not OneTimeSecret.objects.exists()
    page.check("input[name=clave-identity_checked]")
    press(page, clave_form, status=200)
    code = page.locator("#clave-code").inner_text().strip()
    assert CODE.match(code), code
    expect(page.locator("main a[href$='/portal/clave/']")).to_have_count(1)
    a11y.check(page, f"[{language}] clave issued")
    page.goto(person_path)
    expect(page.locator("main")).not_to_contain_text(code)

    # an in-person case for a complex matter
    case_form = f"main form[action='{person_path}casos/']"
    page.check("input[name=case-kind][value=visa_conflict]")
    page.fill("textarea[name=case-description]", "The residency visa lists another employer.")
    press(page, case_form, status=200)
    assert re.fullmatch(rf"{person_path}casos/[^/]+/", path_of(page)), page.url
    with translation.override(language):
        from ventanilla.cases.services import IN_PERSON_NOTICE

        notice = str(IN_PERSON_NOTICE)
    expect(page.locator("#in-person-notice")).to_have_text(notice)
    a11y.check(page, f"[{language}] case opened")

    # foreign residents without coverage
    page.goto("/staff/residentes-sin-cobertura/")
    assert html_lang(page) == language
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main table tbody")).to_contain_text("VR-2024-0099")
    a11y.check(page, f"[{language}] residents without coverage")

    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"person.find", "person.view", "clave.issue", "case.open_in_person",
            "residents.lapsed.view"} <= actions
    assert page.browsing.external_requests == []
    assert page.browsing.page_errors == []
    assert not problems, f"[{language}] error states: {problems}"
    a11y.assert_clean()


@pytest.mark.parametrize("language", ["es", "en"])
def test_lapsed_residents_empty_state(new_page, a11y, language):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create

    staff_create(username="agente.ec", password=PASSWORD, role=Role.AGENT, country="EC")
    page = new_page(language="en" if language == "en" else None)
    page.goto("/staff/entrar/")
    page.fill("input[name=username]", "agente.ec")
    page.fill("input[name=password]", PASSWORD)
    submit(page)
    page.goto("/staff/residentes-sin-cobertura/")
    expect(page.locator("main table")).to_have_count(0)
    a11y.check(page, f"[{language}] residents without coverage, none")
    a11y.assert_clean()
