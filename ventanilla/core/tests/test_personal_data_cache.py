"""Personal data is not cached (issue 11, item 12): every page of the portal, the back
office and the admin, every API answer of an authenticated request or of a private
operation, and every PDF or calendar carry ``Cache-Control: no-store``; public facts stay
cacheable. The walks below cover every URL name and every API operation, so a new page or
operation is checked the day it is added."""

from __future__ import annotations

import uuid

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import URLPattern, reverse
from django.urls.converters import IntConverter, UUIDConverter

from ventanilla.core.middleware import carries_personal_data

pytestmark = pytest.mark.django_db

CLAVE = "una clave larga 2026"
PUBLIC_OPERATIONS = {"/api/v1/countries", "/api/v1/countries/{code}",
                     "/api/v1/countries/{code}/subdivisions", "/api/v1/slots",
                     "/api/v1/slots/dates", "/api/v1/contributions/quote",
                     "/api/v1/dependants/checklist", "/api/v1/icd10", "/api/v1/icd10/{code}"}
SAMPLE = {"code": "EC", "reference": "EC-2026-000001"}


def _url_names(namespace: str):
    from importlib import import_module

    module = import_module(f"ventanilla.channels.{namespace}.urls")
    for pattern in module.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {}
        for name, converter in pattern.pattern.converters.items():
            kwargs[name] = (uuid.uuid4() if isinstance(converter, UUIDConverter)
                            else 1 if isinstance(converter, IntConverter) else "x")
        yield pytest.param(reverse(f"{namespace}:{pattern.name}", kwargs=kwargs),
                           id=f"{namespace}:{pattern.name}")


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.fixture
def ana(make_affiliate):
    return make_affiliate()


@pytest.mark.parametrize("url", list(_url_names("portal")))
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "affiliate"])
def test_every_portal_page_is_no_store(url, signed_in, ana):
    client = Client()
    if signed_in:
        client.force_login(ana.user)
    assert _no_store(client.get(url))


@pytest.mark.parametrize("url", list(_url_names("staff")))
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "agent"])
def test_every_staff_page_is_no_store(url, signed_in, agent):
    client = Client()
    if signed_in:
        client.force_login(agent)
    assert _no_store(client.get(url))


def test_the_admin_is_no_store(administrator):
    client = Client()
    assert _no_store(client.get("/admin/login/"))
    client.force_login(administrator)
    assert _no_store(client.get("/admin/"))


def test_an_applicants_draft_is_no_store_and_a_public_page_is_not():
    client = Client()
    home = client.get("/")
    assert home.status_code == 200 and not _no_store(home)
    client.post("/registro/", {"country": "EC"})
    page = client.get("/solicitud/")
    assert _no_store(page)


@pytest.mark.parametrize(("path", "content_type", "personal"), [
    ("/guias/afiliacion.pdf", "application/pdf", True),
    ("/cita.ics", "text/calendar; charset=utf-8", True),
    ("/tramites/", "text/html; charset=utf-8", False),
    ("/api/v1/slots", "application/json", False),
    ("/api/v1/new-operation", "application/json", True),   # private unless declared public
])
def test_the_rule_for_downloads_and_unknown_operations(path, content_type, personal):
    request = RequestFactory().get(path)
    response = HttpResponse(content_type=content_type)
    assert carries_personal_data(request, response) is personal


def _operations():
    from ventanilla.config.api import api

    for path, item in api.get_openapi_schema()["paths"].items():
        for method, operation in item.items():
            url = path
            for param in operation.get("parameters", []):
                if param["in"] == "path":
                    url = url.replace("{" + param["name"] + "}",
                                      SAMPLE.get(param["name"], str(uuid.uuid4())))
            yield pytest.param(method, url, path, id=f"{method.upper()} {path}")


@pytest.mark.parametrize(("method", "url", "path"), list(_operations()))
def test_every_api_answer_with_a_token_is_no_store(method, url, path, ana):
    client = Client()
    token = client.post("/api/v1/auth/token", {
        "country": "EC", "id_type": "cedula", "id_number": ana.id_number, "password": CLAVE},
        content_type="application/json")
    assert _no_store(token)   # the token itself (RFC 6749, section 5.1)
    response = client.generic(method.upper(), url, "{}", content_type="application/json",
                              HTTP_AUTHORIZATION=f"Bearer {token.json()['token']}")
    assert _no_store(response)
    assert "Authorization" in response.get("Vary", "")


@pytest.mark.parametrize(("method", "url", "path"), list(_operations()))
def test_every_private_api_operation_is_no_store_without_credentials(method, url, path):
    response = Client().generic(method.upper(), url, "{}", content_type="application/json")
    assert _no_store(response) is (path not in PUBLIC_OPERATIONS)
