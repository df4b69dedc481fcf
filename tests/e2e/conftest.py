"""Browser tests: one headless Debian Chromium per session, a new context per test, and
pytest-django's ``live_server`` (a thread in this process, on a transactional test database,
so ``transaction.on_commit`` fires and ``django.core.mail.outbox`` is shared).

Nothing leaves the machine: every context routes all requests and aborts (and records) any
request to a host other than the live server. Routing also turns off Chromium's HTTP cache, so
every page load fetches all its resources (the page-weight test relies on it).

Run: ``uv run pytest tests/e2e -q``. Never ``playwright install``: we use /usr/bin/chromium.
"""

from __future__ import annotations

import contextlib
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


@pytest.fixture(scope="session")
def production_server(tmp_path_factory) -> Iterator[str]:
    """``ventanilla serve`` as a newcomer runs it, in a child process: the production server
    (granian), DEBUG off, demo data, static files collected, hashed and pre-compressed, on its
    own SQLite database in a temporary folder. Yields its origin (``http://127.0.0.1:port``).

    It takes half a minute to start (migrations, demo data, slots, collectstatic), so only the
    tests that measure what production serves use it (tests/e2e/test_production_server.py,
    tests/e2e/test_page_speed.py). Its pages are not on the live server's host: open them in
    a context of your own (``browser.new_context()``), not with ``new_page``.
    """
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    var = tmp_path_factory.mktemp("serve")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE",
                        "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_HOST", "REDIS_URL"}}
    env["VENTANILLA_VAR_DIR"] = str(var)
    log = (var / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "ventanilla.config.cli", "serve", "--addr", f"127.0.0.1:{port}",
         "--workers", "1", "--threads", "4", "--no-worker"],
        cwd=Path(__file__).resolve().parents[2], env=env, stdout=log,
        stderr=subprocess.STDOUT, start_new_session=True)
    origin = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                pytest.fail(f"ventanilla serve exited: {(var / 'serve.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{origin}/", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("ventanilla serve did not answer in 180 s: "
                                + (var / "serve.log").read_text()[-2000:])
                time.sleep(0.5)
        yield origin
    finally:
        # serve's supervisor and granian's workers share the session started for it
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
