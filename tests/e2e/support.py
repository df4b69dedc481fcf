"""Constants and helpers shared by the browser tests (``from .support import ...``)."""

from __future__ import annotations

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

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
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


def wait_for_code(timeout: float = 5.0) -> str:
    """The 6-digit code at the end of the last e-mail's subject (locmem backend)."""
    from django.core import mail

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if mail.outbox:
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


def html_lang(page) -> str:
    return page.locator("html").get_attribute("lang") or ""


def error_summary_focused(page) -> bool:
    return page.evaluate(
        "document.activeElement.classList.contains('govuk-error-summary')")


def start_application(page, country: str, email: str) -> None:
    """Home page → country → e-mail → the code from the e-mail → the task list."""
    page.goto("/")
    follow(page, "main a[href='/registro/']")
    page.check(f"input[name=country][value={country}]")
    submit(page)
    page.fill("input[name=email]", email)
    submit(page)
    assert path_of(page) == "/solicitud/codigo/", page.url
    page.fill("input[name=code]", wait_for_code())
    submit(page)
    assert path_of(page) == "/solicitud/", page.url
