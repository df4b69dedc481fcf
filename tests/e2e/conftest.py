"""Browser tests: one headless Debian Chromium per session, a new context per test, and
pytest-django's ``live_server`` (a thread in this process, on a transactional test database,
so ``transaction.on_commit`` fires and ``django.core.mail.outbox`` is shared).

Nothing leaves the machine: every context routes all requests and aborts (and records) any
request to a host other than the live server. Routing also turns off Chromium's HTTP cache, so
every page load fetches all its resources (the page-weight test relies on it).

Run: ``uv run pytest tests/e2e -q``. Never ``playwright install``: we use /usr/bin/chromium.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest

from .support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DEFAULT_TIMEOUT_MS,
    LOCALE,
    PHONE,
    A11y,
    Browsing,
)

# Playwright's sync API runs an event loop in the main thread; without this Django refuses
# ORM calls made from the test body.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def pytest_collection_modifyitems(config, items):
    """Browser tests run once per CI run, on the SQLite pass: they test pages, not the
    database engine, and on PostgreSQL each one pays a full flush of the test database.
    ``E2E_ON_POSTGRES=1`` runs them on PostgreSQL too."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    if os.environ.get("E2E_ON_POSTGRES"):
        return
    skip = pytest.mark.skip(reason="browser tests run on the SQLite pass "
                                   "(E2E_ON_POSTGRES=1 to run them on PostgreSQL)")
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = (f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y "
                  "chromium); these tests never download a browser with `playwright install`")
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                     headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable]:
    """``new_page(viewport=PHONE, language=None, **context_options) -> page``.

    Each call opens a new context (a new person, no cookies) whose base URL is the live
    server. By default the browser asks for Spanish (Accept-Language es-EC);
    ``language="en"`` also sets the ``django_language`` cookie. ``page.browsing`` records
    aborted requests to other hosts and JavaScript errors.
    """
    contexts = []
    origin = live_server.url.rstrip("/")
    netloc = urlsplit(origin).netloc

    def make(*, viewport=PHONE, language=None, **options):
        options.setdefault("locale", LOCALE)
        context = browser.new_context(viewport=viewport, base_url=origin, **options)
        contexts.append(context)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
        if language:
            context.add_cookies([{"name": "django_language", "value": language,
                                  "url": origin}])
        browsing = Browsing(origin=origin)

        def only_the_live_server(route):
            url = route.request.url
            if urlsplit(url).netloc == netloc:
                route.continue_()
            else:
                browsing.external_requests.append(url)
                route.abort()

        context.route("**/*", only_the_live_server)
        page = context.new_page()
        page.on("pageerror", lambda exc: browsing.page_errors.append(f"{page.url}: {exc}"))
        page.on("console", lambda msg: browsing.console_errors.append(f"{page.url}: {msg.text}")
                if msg.type == "error" else None)
        page.browsing = browsing
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def a11y() -> A11y:
    return A11y()
