"""Property-based API testing from the OpenAPI document: whatever a client sends, the API
answers with a documented shape and never with a 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from ventanilla.config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _db(db, settings):
    """The WSGI app is called directly (not through Django's test client), so keep Django
    from closing the test transaction's connection at the end of each request."""
    from django.core import signals
    from django.db import close_old_connections

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "cases.lookup": "100000/m"}
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_api_never_answers_5xx(case):
    response = case.call()
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
    if response.status_code >= 400 and response.headers.get("content-type", [""])[0].startswith(
            "application/json"):
        body = response.json()
        assert {"code", "message", "fields"} <= set(body), body
