"""PostgreSQL refuses NUL (U+0000) in text, so a NUL in any parameter of any API operation
must end in a clean 4xx, never a 500 (schemathesis found one in the slot search; this walks
every operation of the OpenAPI document deterministically instead of by chance). Runs on
both databases; only PostgreSQL would fail with a 500."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

VALUES = {"integer": "1", "number": "1", "boolean": "true"}
# valid values of the common string parameters, so that the NUL in another one gets as far
# as it can (an unknown country would stop the request before the database)
GOOD = {"country": "EC", "kind": "medical", "specialty": "general_medicine",
        "service": "general_medicine", "province": "17", "city": "1701", "code": "EC",
        "id_type": "cedula", "id_number": "1705551230", "plan": "sis"}


def _operations():
    from ventanilla.config.api import api

    document = api.get_openapi_schema()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def _kind(param: dict) -> tuple[str, str | None]:
    schema = param.get("schema", {})
    options = [schema, *schema.get("anyOf", [])]
    kind = next((o["type"] for o in options if o.get("type") not in (None, "null")), "string")
    return kind, next((o["format"] for o in options if o.get("format")), None)


def _cases():
    """One request per string parameter of each operation: that parameter with a NUL in
    it, the others valid."""
    for path, method, operation in _operations():
        params = operation.get("parameters", [])
        text = [p["name"] for p in params if p["in"] in ("path", "query")
                and _kind(p) == ("string", None)]
        for bad in text or [None]:
            url, query = path, {}
            for param in params:
                kind, fmt = _kind(param)
                name = param["name"]
                if not (param.get("required") or name == bad or name in GOOD):
                    continue  # an optional date or number could refuse the request first
                value = ("EC\x00x" if name == bad else GOOD.get(name) or (
                    "2030-05-06" if fmt == "date" else
                    "00000000-0000-4000-8000-000000000000" if fmt == "uuid" else
                    VALUES.get(kind, "x")))
                if param["in"] == "path":
                    url = url.replace("{" + name + "}", value.replace("\x00", "%00"))
                elif param["in"] == "query":
                    query[name] = value
            yield pytest.param(method, url, query, id=f"{method.upper()} {path} {bad or ''}")


@pytest.mark.parametrize(("method", "url", "query"), list(_cases()))
def test_nul_in_any_parameter_is_a_4xx_not_a_500(method, url, query, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "cases.lookup": "100000/m"}
    url += "?" + urlencode(query) if query else ""
    client = Client(raise_request_exception=False)
    body = ""
    if method in ("post", "put", "patch"):
        # NUL in the usual string fields of a JSON body (the services clean text input)
        body = json.dumps({name: "EC\x00x" for name in (
            "id_number", "password", "reference", "country", "id_type", "slot", "email",
            "given_names", "family_names", "code", "reason", "note", "booked_for")})
    response = client.generic(method.upper(), url, body, content_type="application/json",
                              HTTP_AUTHORIZATION="Bearer x\x00y")
    assert response.status_code < 500, (method, url, response.content[:300])


def test_nul_in_the_url_is_refused_naming_the_parameter(db):
    """One check for every operation's query parameters
    (``core.middleware.ApiNulRefusalMiddleware``): 422 ``VALIDATION_FAILED`` with the
    parameter named, in the request's language."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.get("/api/v1/slots?country=EC&specialty=dent%00istry&city=1701")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "VALIDATION_FAILED"
    assert body["fields"] == {
        "specialty": "This value contains a character that is not allowed."}
    spanish = Client().get("/api/v1/slots?country=EC&city=17%0001").json()
    assert spanish["fields"] == {"city": "Este valor contiene un carácter que no se admite."}
    # the same request without the NUL is answered
    assert client.get("/api/v1/slots?country=EC&specialty=dentistry").status_code == 200
