"""The online registration in a phone-sized browser, from the home page to the confirmation,
typed and clicked as a person would, with axe on every page and on every question page in its
error state (an empty submit first)."""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from .support import (
    ERROR_SUMMARY_TITLE,
    PDF,
    PEOPLE,
    error_summary_focused,
    follow,
    html_lang,
    outbox_size,
    path_of,
    question_path,
    submit,
    wait_for_code,
)

pytestmark = pytest.mark.browser


class Journey:
    """Walks the pages and checks each one as it arrives.

    What the next step depends on (where the page is, the HTTP status) is asserted at once;
    what a page shows (language, title, error summary, focus, axe) is collected, and the test
    fails at the end with every problem of the whole journey.
    """

    def __init__(self, page, a11y, language):
        self.page = page
        self.a11y = a11y
        self.language = language
        self.titles: list[tuple[str, str]] = []
        self.problems: list[str] = []

    def check(self, ok: bool, problem: str) -> None:
        if not ok:
            self.problems.append(problem)

    def arrived(self, expected_path: str, *, language: str | None = None) -> None:
        """A new page (after a GET or a POST-redirect-GET): language, a new title, axe."""
        page = self.page
        assert path_of(page) == expected_path, f"expected {expected_path}, at {page.url}"
        lang = html_lang(page)
        self.check(lang == (language or self.language),
                   f"{expected_path}: <html lang={lang!r}>, expected {language or self.language}")
        title = page.title()
        self.check(not title.startswith("Error:"), f"{expected_path}: title {title!r}")
        if self.titles:
            previous_path, previous = self.titles[-1]
            self.check(title != previous, f"{expected_path}: the <title> is still {title!r}, "
                                          f"as on {previous_path}")
        self.titles.append((expected_path, title))
        self.a11y.check(page, f"[{self.language}]")

    def empty_submit(self) -> None:
        """Send the page's form empty: the same page, with HTTP 422 and the error pattern."""
        page = self.page
        where = path_of(page)
        with page.expect_navigation(wait_until="load") as navigation:
            page.locator("main form[method=post] button[type=submit]").first.click()
        assert navigation.value.status == 422, f"{where}: HTTP {navigation.value.status}"
        assert path_of(page) == where
        where = f"{where} (error state)"
        lang = html_lang(page)
        self.check(lang == self.language, f"{where}: <html lang={lang!r}>")
        title = page.title()
        self.check(title.startswith("Error:"), f"{where}: the title {title!r} does not start "
                                               "with 'Error:'")
        summary = page.locator(".govuk-error-summary")
        assert summary.count() == 1, f"{where}: no error summary"
        heading = summary.locator(".govuk-error-summary__title").inner_text().strip()
        self.check(heading == ERROR_SUMMARY_TITLE[self.language],
                   f"{where}: the error summary is titled {heading!r}, expected "
                   f"{ERROR_SUMMARY_TITLE[self.language]!r}")
        self.check(page.locator(".govuk-error-message").count() > 0,
                   f"{where}: no inline error message")
        # GOV.UK Frontend moves the focus when it starts, just after the page loads.
        with contextlib.suppress(PlaywrightTimeoutError):
            page.wait_for_function(
                "document.activeElement.classList.contains('govuk-error-summary')",
                timeout=2_000)
        self.check(error_summary_focused(page), f"{where}: the error summary does not have "
                   "focus (active element: " + page.evaluate(
                       "document.activeElement.outerHTML.slice(0, 80)") + ")")
        self.a11y.check(page, f"[{self.language}] error state")

    def save(self, expected_path: str) -> None:
        submit(self.page)
        self.arrived(expected_path)


@pytest.mark.parametrize(("language", "country"), [("es", "EC"), ("en", "PE")])
def test_online_registration_from_home_to_confirmation(new_page, a11y, language, country):
    from ventanilla.cases.models import CaseStatus
    from ventanilla.registration.models import Application

    person = PEOPLE[country]
    email = f"e2e-{language}-{country.lower()}@example.com"
    page = new_page()
    journey = Journey(page, a11y, language)

    # Home page; an English speaker uses the header's language switcher.
    page.goto("/")
    journey.arrived("/", language="es")
    if language == "en":
        with page.expect_navigation(wait_until="load"):
            page.locator(".ventanilla-language-switcher button[value=en]").click()
        journey.arrived("/")

    # Country, e-mail and the code from the e-mail.
    follow(page, "main a[href='/registro/']")
    journey.arrived("/registro/")
    journey.empty_submit()
    page.check(f"input[name=country][value={country}]")
    journey.save(f"/registro/{country}/correo/")
    journey.empty_submit()
    page.fill("input[name=email]", email)
    sent = outbox_size()
    journey.save("/solicitud/codigo/")
    journey.empty_submit()
    page.fill("input[name=code]", wait_for_code(after=sent))
    journey.save("/solicitud/")

    def task(slug: str) -> None:
        follow(page, f"main a.govuk-task-list__link[href='{question_path(slug)}']")
        journey.arrived(question_path(slug))

    # Personal details.
    task("nombre")
    journey.empty_submit()
    page.fill("input[name=given_names]", person["given_names"])
    page.fill("input[name=family_names]", person["family_names"])
    journey.save(question_path("fecha-de-nacimiento"))
    journey.empty_submit()
    for part, value in zip(("day", "month", "year"), person["dob"], strict=True):
        page.fill(f"input[name=date_of_birth_{part}]", value)
    journey.save(question_path("nacionalidad"))
    journey.empty_submit()
    page.select_option("select[name=nationality]", person["nationality"])
    journey.save("/solicitud/")

    # Identity document.
    task("tipo-de-documento")
    journey.empty_submit()
    page.check(f"input[name=id_type][value={person['id_type']}]")
    journey.save(question_path("numero-de-documento"))
    journey.empty_submit()
    page.fill("input[name=id_number]", person["id_number"])
    journey.save("/solicitud/")

    # Contact and address.
    task("celular")
    journey.empty_submit()
    page.fill("input[name=mobile_phone]", person["mobile_phone"])
    journey.save(question_path("lugar-1"))
    for level, code in enumerate(person["places"], start=1):
        journey.empty_submit()
        page.select_option("select[name=place]", code)
        journey.save(question_path(f"lugar-{level + 1}" if level < 3 else "calle"))
    journey.empty_submit()
    page.fill("input[name=street]", person["street"])
    journey.save("/solicitud/")

    # Your situation: every box is optional, so an empty answer is a valid answer; then how
    # the person will be insured.
    task("situacion")
    journey.save(question_path("tipo-de-afiliacion"))
    journey.empty_submit()
    page.check(f"input[name=affiliation_type][value={person['affiliation_type']}]")
    journey.save("/solicitud/")

    # Documents: one upload page each, first sent with no file.
    follow(page, "main a.govuk-task-list__link[href='/solicitud/documentos/']")
    journey.arrived("/solicitud/documentos/")
    for kind in person["documents"]:
        follow(page, f"main a[href='/solicitud/documentos/{kind}/']")
        journey.arrived(f"/solicitud/documentos/{kind}/")
        journey.empty_submit()
        page.set_input_files("input[name=file]", files=[
            {"name": f"{kind}.pdf", "mimeType": "application/pdf", "buffer": PDF}])
        journey.save("/solicitud/documentos/")
    follow(page, "main a.govuk-button[href='/solicitud/']")
    journey.arrived("/solicitud/")
    # Everything is done except "Check and send".
    expect(page.locator(".govuk-task-list .govuk-tag")).to_have_count(1)

    # Check answers, declaration, confirmation.
    follow(page, "main a.govuk-task-list__link[href='/solicitud/revisar/']")
    journey.arrived("/solicitud/revisar/")
    expect(page.locator("main .govuk-summary-list").first).to_contain_text(
        person["family_names"])
    follow(page, "main a.govuk-button[href='/solicitud/declaracion/']")
    journey.arrived("/solicitud/declaracion/")
    journey.empty_submit()
    page.check("input[name=declaration]")
    journey.save("/solicitud/confirmacion/")

    shown = page.locator(".govuk-panel--confirmation .govuk-panel__body strong").inner_text()
    application = Application.objects.select_related("case").get(email=email)
    assert shown.strip() == application.case.reference
    assert application.status == CaseStatus.SUBMITTED
    assert application.country == country and application.language == language

    assert page.browsing.external_requests == []
    assert page.browsing.page_errors == []
    # The console's only errors are the 422 responses of the error states (no CSP
    # violations, no missing files).
    assert [m for m in page.browsing.console_errors if "status of 422" not in m] == []
    problems = journey.problems
    if a11y.failures:
        problems = [*problems, "", *a11y.failures]
    assert not problems, (f"{len(journey.problems)} page problem(s) and axe failures on "
                          f"{len(a11y.failures)} of {len(a11y.pages_checked)} pages:\n"
                          + "\n".join(problems))
