"""The back office in a browser: a reviewer signs in, opens an application from the queue,
accepts both documents and approves it; axe on each page, in Spanish and in English."""

from __future__ import annotations

import contextlib

import pytest
from django.utils import translation
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from .support import ERROR_SUMMARY_TITLE, error_summary_focused, html_lang, path_of, submit

pytestmark = pytest.mark.browser

PASSWORD = "Staff-password-123"


def sign_in_page_problems(page, language) -> list[str]:
    """The error state of the sign-in page (an empty submit), as in the registration pages."""
    problems = []
    with page.expect_navigation(wait_until="load") as navigation:
        page.locator("main form[method=post] button[type=submit]").click()
    assert navigation.value.status == 422
    assert path_of(page) == "/staff/entrar/"
    if html_lang(page) != language:
        problems.append(f"<html lang={html_lang(page)!r}>")
    if not page.title().startswith("Error:"):
        problems.append(f"title {page.title()!r} does not start with 'Error:'")
    heading = page.locator(".govuk-error-summary .govuk-error-summary__title").inner_text()
    if heading.strip() != ERROR_SUMMARY_TITLE[language]:
        problems.append(f"error summary titled {heading!r}")
    with contextlib.suppress(PlaywrightTimeoutError):  # GOV.UK Frontend moves the focus
        page.wait_for_function(
            "document.activeElement.classList.contains('govuk-error-summary')", timeout=2_000)
    if not error_summary_focused(page):
        problems.append("the error summary does not have focus")
    return problems


@pytest.mark.parametrize("language", ["es", "en"])
def test_reviewer_accepts_the_documents_and_approves(new_page, a11y, make_application,
                                                      language):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create
    from ventanilla.cases.models import CaseStatus

    application = make_application("EC", state="submitted")
    staff_create(username="rev", password=PASSWORD, role=Role.REVIEWER)
    reference = application.case.reference
    # Spanish comes from the browser's Accept-Language; English from the language cookie.
    page = new_page(language="en" if language == "en" else None)

    page.goto("/staff/")
    assert path_of(page) == "/staff/entrar/"
    assert html_lang(page) == language
    a11y.check(page, f"[{language}] sign-in")
    problems = sign_in_page_problems(page, language)
    a11y.check(page, f"[{language}] sign-in, error state")

    page.fill("input[name=username]", "rev")
    page.fill("input[name=password]", PASSWORD)
    submit(page)
    assert path_of(page) == "/staff/cola/"
    a11y.check(page, f"[{language}] queue")
    row_link = page.locator(f"main table a[href='/staff/solicitudes/{application.public_id}/']")
    expect(row_link).to_have_text(reference)

    with page.expect_navigation(wait_until="load"):
        row_link.click()
    detail = f"/staff/solicitudes/{application.public_id}/"
    assert path_of(page) == detail
    assert html_lang(page) == language
    a11y.check(page, f"[{language}] application")

    for kind in ("identity", "residence"):
        form = page.locator(f"main form[action='{detail}documentos/{kind}/decidir/']")
        form.locator("input[type=radio][value=accept]").check()
        with page.expect_navigation(wait_until="load"):
            form.locator("button[type=submit]").click()
        assert path_of(page) == detail
        a11y.check(page, f"[{language}] application, {kind} accepted")
    application.refresh_from_db()
    assert {d.kind: d.status for d in application.documents.filter(is_current=True)} == {
        "identity": "accepted", "residence": "accepted"}

    with page.expect_navigation(wait_until="load"):
        page.locator(f"main form[action='{detail}approve/'] button[type=submit]").click()
    assert path_of(page) == detail
    with translation.override(language):
        approved_message = translation.gettext("Application approved.")
        approved_status = str(CaseStatus.APPROVED.label)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        approved_message)
    expect(page.locator("main")).to_contain_text(approved_status)
    a11y.check(page, f"[{language}] application, approved")

    application.refresh_from_db()
    assert application.status == CaseStatus.APPROVED
    assert page.browsing.external_requests == []
    assert page.browsing.page_errors == []
    assert not problems, f"sign-in page, error state [{language}]: {problems}"
    a11y.assert_clean()
