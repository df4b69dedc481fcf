"""The hooks of the certificates benchmark (``bench/certificates.py``) for what another part
of issue 13 builds: the validators' staff pages and ``POST /api/v1/certificates/check``.

When a path resolves in this checkout, its scenarios are measured through Django's test
client (in this process, one core) beside the selectors'; when it answers otherwise than
expected, the output says so and names the hook to adjust (``STAFF_VIEWS``,
``api_check_body``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from certificates_load import centre_queries

# The hooks for the pages and the endpoint another part of issue 13 builds: path templates
# tried through the test client (signed in as the country's validator). When a path does
# not resolve, the selectors are measured instead. Change them here if the pages differ.
STAFF_VIEWS = {
    "queue": "/staff/certificados/",
    "certificate": "/staff/certificados/{reference}/",
}
API_CHECK_PATH = "/api/v1/certificates/check"


def api_check_body(patient, data) -> dict:
    """The JSON body of ``POST /api/v1/certificates/check``: the typed fields and the
    patient (the hook to adjust once the endpoint exists)."""
    from dataclasses import asdict

    return {**asdict(data), "patient": str(patient.public_id)}


def _resolves(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(path.split("?")[0])
    except Resolver404:
        return False
    return True


class HookMismatch(Exception):
    """A page or endpoint answered otherwise than the hooks expect: adjust them."""


def view_scenarios(country: str, facts: dict) -> dict[str, Callable[[int], object]]:
    """The same scenarios through the staff pages, when they exist (``STAFF_VIEWS``)."""
    if not _resolves(STAFF_VIEWS["queue"]):
        return {}
    from urllib.parse import urlencode

    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="es", HTTP_HOST="127.0.0.1")
    client.force_login(facts["validators"][country])
    centres = centre_queries(facts["places"][country])
    refs = facts["references"][country]
    queue = STAFF_VIEWS["queue"]

    def get(path: str, **query) -> None:
        url = f"{path}?{urlencode(query)}" if query else path
        r = client.get(url)
        if r.status_code != 200:
            raise HookMismatch(f"{url} answered {r.status_code}: adjust STAFF_VIEWS")

    return {
        "view: first page": lambda i: get(queue),
        # the desk's own query names (a GET form in Spanish) and its keyset pages
        "view: filter by kind": lambda i: get(queue, tipo="maternity"),
        "view: filter by centre": lambda i: get(queue, centro=centres[i % len(centres)]),
        "view: deep page": lambda i: get(queue, despues=refs[(len(refs) // 2 + i)
                                                             % len(refs)]),
        "view: open one certificate": lambda i: get(
            STAFF_VIEWS["certificate"].format(reference=refs[i % len(refs)])),
    }


def measure_api_check(facts: dict, inputs: list, *, out) -> float | None:
    if not _resolves(API_CHECK_PATH):
        out(f"CHECKS {API_CHECK_PATH} is not in this checkout: the service was measured "
            "(the endpoint calls it); api_check_body() is the hook")
        return None
    from django.test import Client

    from ventanilla.accounts.signin import api_token_issue

    holders = [p for p in facts["patients"]["EC"] + facts["patients"]["PE"] if p.user_id]
    tokens = {p.pk: api_token_issue(p.user) for p in holders}
    sample = [(p, d) for p, d in inputs if p.pk in tokens] or []
    if not sample:
        return None
    client = Client()
    statuses: dict[int, int] = {}
    t0 = time.perf_counter()
    for person, data in sample:
        r = client.post(API_CHECK_PATH, json.dumps(api_check_body(person, data)),
                        content_type="application/json",
                        HTTP_AUTHORIZATION=f"Bearer {tokens[person.pk]}")
        statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
    seconds = time.perf_counter() - t0
    rate = len(sample) / seconds
    out(f"CHECKS POST {API_CHECK_PATH}  {rate:8.1f} /s  ({len(sample)} requests, statuses "
        f"{dict(sorted(statuses.items()))})")
    if set(statuses) != {200}:
        out("CHECKS the endpoint did not answer 200 to every request: adjust api_check_body(); "
            "the service's rate is the one judged")
        return None
    return rate
