"""Errors are honest (issue 11, item 13): a bad bearer token is 401 on every operation that
takes one, whatever the method (it was a 403 CSRF_FAILED "reload the page" on a POST); a
request with no credentials is 401 too; an unexpected exception under /api/ is the JSON
error shape, and an unreachable database a 503 with Retry-After."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from ventanilla.core.api_errors import RETRY_AFTER_SECONDS

pytestmark = pytest.mark.django_db

CLAVE = "una clave larga 2026"
SAMPLE = {"reference": "EC-2026-000001", "public_id": "00000000-0000-4000-8000-000000000000",
          "document_id": "00000000-0000-4000-8000-000000000000"}
UNAUTHENTICATED = {"code": "UNAUTHENTICATED",
                   "message": "Sign in, or send the access token of this application.",
                   "fields": {}}


def _operations(*schemes: str):
    from ventanilla.config.api import api

    for path, item in api.get_openapi_schema()["paths"].items():
        for method, operation in item.items():
            names = {name for alternative in operation.get("security", [])
                     for name in alternative}
            if names & set(schemes) or (not schemes and names):
                url = path
                for param in operation.get("parameters", []):
                    if param["in"] == "path":
                        url = url.replace("{" + param["name"] + "}",
                                          SAMPLE.get(param["name"], SAMPLE["public_id"]))
                yield pytest.param(method, url, id=f"{method.upper()} {path}")


BEARER_OPERATIONS = list(_operations("AffiliateToken", "ApplicantToken"))
AFFILIATE_OPERATIONS = list(_operations("AffiliateToken"))
SECURED_OPERATIONS = list(_operations())


def _call(method: str, url: str, **headers):
    client = Client(enforce_csrf_checks=True)
    return client.generic(method.upper(), url, "{}", content_type="application/json",
                          HTTP_ACCEPT_LANGUAGE="en", **headers)


@pytest.fixture
def ana(make_affiliate):
    return make_affiliate()


def _token(person) -> str:
    r = Client().post("/api/v1/auth/token", {
        "country": person.country, "id_type": person.id_type, "id_number": person.id_number,
        "password": CLAVE}, content_type="application/json")
    assert r.status_code == 200, r.content
    return r.json()["token"]


@pytest.mark.parametrize(("method", "url"), BEARER_OPERATIONS)
@pytest.mark.parametrize("header", ["Bearer forged-token", "Bearer ", "Basic YTpi",
                                    "Bearer x\x00y"])
def test_a_forged_bearer_token_is_401_on_every_method(method, url, header):
    response = _call(method, url, HTTP_AUTHORIZATION=header)
    assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)


@pytest.mark.parametrize(("method", "url"), AFFILIATE_OPERATIONS)
def test_an_expired_affiliate_token_is_401(method, url, ana, settings):
    token = _token(ana)
    settings.AFFILIATE_TOKEN_TTL = -1   # every token is now older than its lifetime
    response = _call(method, url, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)


@pytest.mark.parametrize(("method", "url"), AFFILIATE_OPERATIONS)
def test_a_revoked_affiliate_token_is_401(method, url, ana):
    """A token dies when its clave changes (accounts.signin)."""
    token = _token(ana)
    ana.user.set_password("otra clave distinta 2027")
    ana.user.save()
    response = _call(method, url, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)


@pytest.mark.parametrize(("method", "url"), SECURED_OPERATIONS)
def test_no_credentials_at_all_is_401_not_a_csrf_refusal(method, url):
    response = _call(method, url)
    assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)


def test_a_signed_in_session_without_csrf_token_is_still_refused(ana):
    """The CSRF check stays for the session it protects: an affiliate's browser session
    posting without the token is 403 CSRF_FAILED."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(ana.user)
    response = client.post("/api/v1/dependants/requests", {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "CSRF_FAILED"


def test_a_bearer_token_beats_a_session_cookie(ana):
    """A request carrying Authorization is judged on it alone, session or not."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(ana.user)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer forged",
                          HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)
    response = client.post("/api/v1/dependants/requests", {}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {_token(ana)}")
    assert response.status_code == 422   # past authentication, on to the answers


# --- unexpected errors --------------------------------------------------------------------

def _break_countries(monkeypatch, exc: Exception):
    from ventanilla.countries.api import router

    def broken():
        raise exc

    monkeypatch.setattr(router, "all_packs", broken)


def test_an_unexpected_exception_is_a_json_500_logged_with_traceback(monkeypatch, caplog):
    _break_countries(monkeypatch, RuntimeError("boom"))
    with caplog.at_level(logging.ERROR, logger="ventanilla.api"):
        response = Client(raise_request_exception=False).get(
            "/api/v1/countries", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"code": "SERVER_ERROR",
                               "message": "Something went wrong on our side. Try again later.",
                               "fields": {}}
    record = next(r for r in caplog.records if r.name == "ventanilla.api")
    assert record.exc_info is not None and "boom" in str(record.exc_info[1])


def test_the_server_error_message_is_translated(monkeypatch):
    _break_countries(monkeypatch, RuntimeError("boom"))
    response = Client(raise_request_exception=False).get("/api/v1/countries",
                                                         HTTP_ACCEPT_LANGUAGE="es")
    assert response.json()["message"] == ("Algo salió mal de nuestro lado. Inténtelo más "
                                          "tarde.")


@pytest.mark.parametrize("error", ["OperationalError", "InterfaceError"])
def test_a_lost_database_connection_is_503_with_retry_after(monkeypatch, error):
    from django import db

    _break_countries(monkeypatch, getattr(db, error)("server closed the connection"))
    response = Client(raise_request_exception=False).get(
        "/api/v1/countries", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json() == {
        "code": "SERVICE_UNAVAILABLE",
        "message": "The service is briefly unavailable. Try again in a few seconds.",
        "fields": {}}


def test_an_exception_before_the_operation_is_json_too(monkeypatch):
    """A middleware that fails (here the request context) goes through handler500, which
    answers the same shape under /api/ and the HTML page elsewhere."""
    from django import db

    from ventanilla.core import request_context

    def broken(info):
        raise db.OperationalError("the database is restarting")

    monkeypatch.setattr(request_context, "set_current", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/countries", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503 and response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json()["code"] == "SERVICE_UNAVAILABLE"
    monkeypatch.setattr(request_context, "set_current", lambda info: 1 / 0)
    response = client.get("/api/v1/countries", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500 and response.json()["code"] == "SERVER_ERROR"
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


def test_an_unknown_api_address_is_a_json_404():
    response = Client().get("/api/v1/no-such-thing", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"code": "NOT_FOUND", "message": "Not found.", "fields": {}}


def test_a_malformed_request_body_stays_a_400_in_the_json_shape():
    """Django refuses a multipart body without a boundary (found by schemathesis on POST
    /auth/token, where the sign-in's failure counter reads the form): 400, not a 500."""
    response = Client(raise_request_exception=False).generic(
        "POST", "/api/v1/auth/token", "x", content_type="multipart/form-data",
        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"code": "BAD_REQUEST", "message": "The request could not be read.",
                               "fields": {}}
