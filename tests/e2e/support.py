"""Constants and helpers shared by the browser tests (``from .support import ...``)."""

from __future__ import annotations

import contextlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 375, "height": 812}
NARROW = {"width": 320, "height": 640}
LOCALE = "es-EC"  # the browser of a person in Ecuador sends Accept-Language: es-EC
DEFAULT_TIMEOUT_MS = 10_000

# A one-page PDF: uploads are parsed and rewritten (registration.pdf_clean), so it must be one
# a reader can open (the missing cross-reference table is rebuilt, as every reader does).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 120]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}
BLOCKING_IMPACTS = ("serious", "critical")

ERROR_SUMMARY_TITLE = {"es": "Hay un problema", "en": "There is a problem"}


@dataclass
class Browsing:
    """What a context saw: requests to other hosts (aborted), JS errors and console errors."""

    origin: str
    external_requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


class A11y:
    """Runs axe on pages and keeps the serious and critical violations; ``assert_clean()``
    fails with each failing page's ``generate_report()``, so one run lists them all."""

    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe

        self._axe = Axe()
        self.failures: list[str] = []
        self.pages_checked: list[str] = []

    def check(self, page, label: str = "") -> None:
        results = self._axe.run(page, options=AXE_OPTIONS)
        where = f"{label} {urlsplit(page.url).path}".strip()
        self.pages_checked.append(where)
        violations = results.response["violations"]
        blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
        if blocking:
            minor = sorted(f"{v['id']} ({v['impact']})" for v in violations
                           if v.get("impact") not in BLOCKING_IMPACTS)
            self.failures.append(
                f"=== {where} [{page.title()}]: {len(blocking)} serious/critical\n"
                + results.generate_report()
                + (f"\n(of which not blocking: {', '.join(minor)})" if minor else ""))

    def assert_clean(self) -> None:
        assert not self.failures, (
            f"axe: serious or critical WCAG 2.2 AA violations on {len(self.failures)} of "
            f"{len(self.pages_checked)} pages checked:\n\n" + "\n\n".join(self.failures))


def outbox_size() -> int:
    from django.core import mail

    return len(mail.outbox)


def wait_for_code(*, after: int = 0, timeout: float = 5.0) -> str:
    """The 6-digit code at the end of the subject of the newest e-mail (locmem backend; the
    live server runs in this process). ``after``: how many e-mails there were before."""
    from django.core import mail

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(mail.outbox) > after:
            subject = mail.outbox[-1].subject
            match = re.search(r"(\d{6})\s*$", subject)
            assert match, f"no code at the end of the e-mail subject {subject!r}"
            return match.group(1)
        time.sleep(0.05)
    raise AssertionError("no e-mail with a code was sent")


def path_of(page) -> str:
    return urlsplit(page.url).path


def submit(page, selector: str = "main form[method=post] button[type=submit]") -> None:
    """Press the page's (first) submit button and wait for the next page."""
    with page.expect_navigation(wait_until="load"):
        page.locator(selector).first.click()


def follow(page, selector: str) -> None:
    """Click a link (or a link styled as a button) and wait for the next page."""
    with page.expect_navigation(wait_until="load"):
        page.locator(selector).first.click()


def open_menu(page) -> None:
    """Open the collapsed service navigation ("Menu" below 640 px), if it is collapsed."""
    toggle = page.locator(".govuk-service-navigation__toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()


def html_lang(page) -> str:
    return page.locator("html").get_attribute("lang") or ""


def error_summary_focused(page) -> bool:
    return page.evaluate(
        "document.activeElement.classList.contains('govuk-error-summary')")

def error_state_problems(page, language: str, where: str) -> list[str]:
    """What the error state of a page must show, as a list of what is wrong (empty when
    right): the page's language, a title starting "Error:", the error summary's title in
    that language, and the focus on the summary."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    problems = []
    if html_lang(page) != language:
        problems.append(f"{where}: <html lang={html_lang(page)!r}>")
    if not page.title().startswith("Error:"):
        problems.append(f"{where}: title {page.title()!r} does not start with 'Error:'")
    heading = page.locator(".govuk-error-summary .govuk-error-summary__title").inner_text()
    if heading.strip() != ERROR_SUMMARY_TITLE[language]:
        problems.append(f"{where}: error summary titled {heading!r}")
    with contextlib.suppress(PlaywrightTimeoutError):  # GOV.UK Frontend moves the focus
        page.wait_for_function(
            "document.activeElement.classList.contains('govuk-error-summary')", timeout=2_000)
    if not error_summary_focused(page):
        problems.append(f"{where}: the error summary does not have focus")
    return problems



def start_application(page, country: str, email: str) -> None:
    """Home page → country → e-mail → the code from the e-mail → the task list."""
    page.goto("/")
    follow(page, "main a[href='/registro/']")
    page.check(f"input[name=country][value={country}]")
    submit(page)
    page.fill("input[name=email]", email)
    sent = outbox_size()
    submit(page)
    assert path_of(page) == "/solicitud/codigo/", page.url
    page.fill("input[name=code]", wait_for_code(after=sent))
    submit(page)
    assert path_of(page) == "/solicitud/", page.url


# --- the answers of two applicants, one per country -----------------------------------------

PEOPLE = {
    "EC": {
        "given_names": "María José", "family_names": "Guamán Quishpe",
        "dob": ("12", "4", "1988"), "nationality": "EC", "id_type": "cedula",
        "id_number": "1710034065", "mobile_phone": "0991234567",
        "places": ("17", "1701", "170150"), "street": "Av. Amazonas N24-03",
        "documents": ("identity", "residence"), "affiliation_type": "voluntary",
    },
    "PE": {
        "given_names": "Rosa Elvira", "family_names": "Quispe Mamani",
        "dob": ("28", "7", "1990"), "nationality": "PE", "id_type": "dni",
        "id_number": "10117410", "mobile_phone": "912345678",
        "places": ("15", "1501", "150113"), "street": "Av. Brasil 1234",
        "documents": ("identity", "address"), "affiliation_type": "sis_para_todos",
    },
}

# The question pages in the order the task list leads through them.
QUESTIONS = ("nombre", "fecha-de-nacimiento", "nacionalidad", "tipo-de-documento",
             "numero-de-documento", "celular", "lugar-1", "lugar-2", "lugar-3", "calle",
             "situacion", "tipo-de-afiliacion")


def question_path(slug: str) -> str:
    return f"/solicitud/preguntas/{slug}/"


def answer(page, slug: str, person: dict) -> None:
    """Fill in the question page ``slug`` (the page is open) as ``person`` would."""
    if slug == "nombre":
        page.fill("input[name=given_names]", person["given_names"])
        page.fill("input[name=family_names]", person["family_names"])
    elif slug == "fecha-de-nacimiento":
        for part, value in zip(("day", "month", "year"), person["dob"], strict=True):
            page.fill(f"input[name=date_of_birth_{part}]", value)
    elif slug == "nacionalidad":
        page.select_option("select[name=nationality]", person["nationality"])
    elif slug == "tipo-de-documento":
        page.check(f"input[name=id_type][value={person['id_type']}]")
    elif slug == "numero-de-documento":
        page.fill("input[name=id_number]", person["id_number"])
    elif slug == "celular":
        page.fill("input[name=mobile_phone]", person["mobile_phone"])
    elif slug.startswith("lugar-"):
        page.select_option("select[name=place]", person["places"][int(slug[-1]) - 1])
    elif slug == "calle":
        page.fill("input[name=street]", person["street"])
    elif slug == "situacion":
        pass  # every box is optional: no box ticked is a valid answer
    elif slug == "tipo-de-afiliacion":
        page.check(f"input[name=affiliation_type][value={person['affiliation_type']}]")
    else:
        raise ValueError(slug)
