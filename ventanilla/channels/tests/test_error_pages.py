"""A database outage is told as one ("try again in a minute", 503 with Retry-After), a bug as
a server error (500); pages in HTML without touching the database, the API in its JSON
error shape."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("ventanilla.channels.tests.urls_failing")]


def _get(path: str):
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en").get(path)


def test_a_database_outage_is_a_503_page_with_when_to_try_again():
    from ventanilla.core.api_errors import RETRY_AFTER_SECONDS

    page = _get("/fallo/db/")
    assert page.status_code == 503 and page["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "Try again in a minute" in page.content.decode()
    assert page["Cache-Control"] == "no-store"


def test_a_database_outage_under_the_api_is_the_json_error_shape():
    answer = _get("/api/v1/fallo/db/")
    assert answer.status_code == 503 and int(answer["Retry-After"]) >= 1
    assert answer.json() == {"code": "SERVICE_UNAVAILABLE", "fields": {}, "message":
                             "The service is briefly unavailable. Try again in a few seconds."}


def test_a_bug_is_a_500_page_and_json_under_the_api():
    page = _get("/fallo/bug/")
    assert page.status_code == 500 and "Retry-After" not in page
    assert "there is a problem with the service" in page.content.decode()
    answer = _get("/api/v1/fallo/bug/")
    assert answer.status_code == 500 and answer.json()["code"] == "SERVER_ERROR"
