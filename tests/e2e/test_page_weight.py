"""The performance budgets of docs UX.md ("Performance budgets (slow phones)") on the task list
and on every question page: bytes per resource type, compressed; no third-party requests; no
blocking scripts.

Sizes are what a gzip-speaking phone would download on a first visit (every context routes its
requests, which turns off the HTTP cache, so each page load fetches all its resources). The
live server does not compress (WhiteNoise serves pre-compressed files only after
``collectstatic``, and no middleware gzips HTML), so each response body is compressed here with
gzip level 6, which is what a production server sends.
"""

from __future__ import annotations

import gzip
from collections import defaultdict
from urllib.parse import urlsplit

import pytest

from .support import PEOPLE, QUESTIONS, answer, path_of, question_path, start_application, submit

pytestmark = pytest.mark.browser

KB = 1024
BUDGETS = {"html": 30 * KB, "css": 40 * KB, "js": 60 * KB, "total": 150 * KB}
TYPES = {"document": "html", "stylesheet": "css", "script": "js"}

# The one inline script allowed: GOV.UK Frontend's body-class snippet (allowed by its CSP
# hash). An inline script cannot be deferred, and it neither fetches nor blocks anything.
GOVUK_SNIPPET = ("document.body.className += ' js-enabled' + ('noModule' in "
                 "HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');")

SCRIPTS = """() => Array.from(document.scripts).map(s => ({
    src: s.getAttribute('src'), type: s.getAttribute('type'), defer: s.hasAttribute('defer'),
    text: s.src ? '' : s.textContent.trim()}))"""


def weigh(page, path: str) -> tuple[dict[str, int], list[str], list[str]]:
    """Load ``path``; return (compressed bytes per type, the resources, script problems)."""
    # Requests, not responses: a late response to the previous page (its favicon) must
    # not be counted, and its body is gone once the page has been navigated away from.
    requests = []
    page.wait_for_load_state("networkidle")  # let the previous page finish (its favicon)

    def collect(request):
        requests.append(request)

    page.on("request", collect)
    try:
        page.goto(path, wait_until="load")
        page.wait_for_load_state("networkidle")  # the favicon is fetched after "load"
    finally:
        page.remove_listener("request", collect)
    responses = [r for r in (request.response() for request in requests) if r is not None]
    assert path_of(page) == path, f"{path} redirected to {page.url}"
    sizes: dict[str, int] = defaultdict(int)
    resources = []
    for response in responses:
        if 300 <= response.status < 400:
            continue  # a redirect has no body
        compressed = len(gzip.compress(response.body(), compresslevel=6))
        kind = TYPES.get(response.request.resource_type, "other")
        sizes[kind] += compressed
        sizes["total"] += compressed
        resources.append(f"{kind:5} {compressed / KB:6.1f} KB  {urlsplit(response.url).path}")
    script_problems = []
    for script in page.evaluate(SCRIPTS):
        if script["src"] is None:
            if script["text"] != GOVUK_SNIPPET:
                script_problems.append(f"an inline script: {script['text'][:80]!r}")
        elif script["type"] != "module" and not script["defer"]:
            script_problems.append(f"a blocking script: {script['src']}")
    return dict(sizes), resources, script_problems


def test_question_pages_and_task_list_stay_within_the_budgets(new_page):
    person = PEOPLE["EC"]
    page = new_page(extra_http_headers={"Accept-Encoding": "gzip"})
    start_application(page, "EC", "weight@example.com")

    report, over, scripts = [], [], []

    def measure(path: str) -> None:
        sizes, resources, script_problems = weigh(page, path)
        report.append(f"{path}: " + ", ".join(
            f"{k} {sizes.get(k, 0) / KB:.1f} KB" for k in ("html", "css", "js", "other",
                                                          "total")))
        report.extend(f"    {line}" for line in resources)
        over.extend(f"{path}: {kind} {sizes.get(kind, 0) / KB:.1f} KB > {limit / KB:.0f} KB"
                    for kind, limit in BUDGETS.items() if sizes.get(kind, 0) > limit)
        scripts.extend(f"{path}: {problem}" for problem in script_problems)

    measure("/solicitud/")
    for slug in QUESTIONS:
        # Each page is weighed on its own load, then answered (the next ones need the answer).
        measure(question_path(slug))
        answer(page, slug, person)
        submit(page)

    print("\n".join(report))
    assert page.browsing.external_requests == [], "requests to other hosts"
    assert not over, "over budget:\n" + "\n".join(over) + "\n\n" + "\n".join(report)
    assert not scripts, "\n".join(scripts)
