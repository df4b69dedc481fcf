"""No input reaches a 500 (issue 11, item 10, the API half): every string of every request
body has a maximum length, the one of the column it fills (an e-mail of 312 characters was
a 500 from PostgreSQL), text that cannot be written as UTF-8 (a lone surrogate) is a 422
naming the field before any service sees it, and an e-mail address that cannot receive the
code (``notanemail``) is refused. The walks below take every operation and every string
field from the OpenAPI document, so a new one is covered the day it is added; schemathesis
(test_schemathesis.py) fuzzes the same document."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from ventanilla.core.api_schema import InputSchema

pytestmark = pytest.mark.django_db

CLAVE = "una clave larga 2026"
SAMPLE_PATH = {"reference": "EC-2026-000001"}
NOT_ALLOWED = "This value contains a character that is not allowed."
BAD_EMAIL = "Enter an e-mail address in the correct format, like name@example.com"


def _document():
    from ventanilla.config.api import api

    return api.get_openapi_schema()


def _resolve(document, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _strings(document, schema: dict):
    """(name, schema) of every string property of a body schema (nullable ones too)."""
    schema = _resolve(document, schema)
    for name, prop in schema.get("properties", {}).items():
        options = [_resolve(document, o) for o in [prop, *prop.get("anyOf", [])]]
        text = next((o for o in options if o.get("type") == "string"), None)
        if text is not None and text.get("format") not in ("uuid", "date", "date-time",
                                                           "binary"):
            yield name, text


def _bodies():
    document = _document()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            for media_type, body in content.items():
                yield path, method, operation, media_type, body["schema"]


def _string_cases():
    document = _document()
    for path, method, operation, media_type, schema in _bodies():
        for name, text in _strings(document, schema):
            yield pytest.param(path, method, operation, media_type, name, text,
                               id=f"{method.upper()} {path} {name}")


STRING_CASES = list(_string_cases())


def test_every_string_of_every_body_has_a_maximum_length():
    missing = [p.id for p in STRING_CASES if "maxLength" not in p.values[-1]]
    assert missing == []
    assert len(STRING_CASES) > 40   # the walk found the bodies


def _body_models():
    from ventanilla.config.api import api

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    for field in model.model_fields.values():
                        kind = field.annotation
                        if isinstance(kind, type) and issubclass(kind, BaseModel):
                            yield operation.view_func.__name__, kind


def test_every_body_and_query_schema_is_an_input_schema():
    models = list(_body_models())
    assert len(models) > 15
    assert [(view, m.__name__) for view, m in models if not issubclass(m, InputSchema)] == []


def test_the_maximum_lengths_are_the_columns():
    from ventanilla.registration.api.schemas import RegistrationIn
    from ventanilla.registration.models import Application

    for name in ("given_names", "id_number", "street", "social_security_number"):
        limit = Application._meta.get_field(name).max_length
        assert RegistrationIn.model_json_schema()["properties"][name]["anyOf"][0][
            "maxLength"] == limit


@pytest.fixture
def credentials(make_affiliate, agent):
    """Headers that get every operation past authentication: an affiliate's token, an
    applicant's token, a staff session (validation of the body comes next)."""
    ana = make_affiliate()
    client = Client()
    affiliate = client.post("/api/v1/auth/token", {
        "country": "EC", "id_type": "cedula", "id_number": ana.id_number, "password": CLAVE},
        content_type="application/json").json()["token"]
    created = client.post("/api/v1/registrations", {"country": "EC", "email": "a@example.com"},
                          content_type="application/json").json()
    staff = Client()
    staff.force_login(agent)
    return {"AffiliateToken": (Client(), {"HTTP_AUTHORIZATION": f"Bearer {affiliate}"}),
            "ApplicantToken": (Client(), {
                "HTTP_AUTHORIZATION": f"Bearer {created['access_token']}"}),
            "StaffSession": (staff, {})}


def _send(credentials, path, method, operation, media_type, body: dict):
    schemes = [name for alternative in operation.get("security", []) for name in alternative]
    client, headers = next((credentials[s] for s in schemes if s in credentials),
                           (Client(), {}))
    url = path
    for param in operation.get("parameters", []):
        if param["in"] == "path":
            url = url.replace("{" + param["name"] + "}", SAMPLE_PATH.get(
                param["name"], "00000000-0000-4000-8000-000000000000"))
    if media_type == "application/json":
        return client.generic(method.upper(), url, json.dumps(body),
                              content_type="application/json", HTTP_ACCEPT_LANGUAGE="en",
                              **headers)
    return client.post(url, body, HTTP_ACCEPT_LANGUAGE="en", **headers)


@pytest.mark.parametrize(("path", "method", "operation", "media_type", "name", "text"),
                         STRING_CASES)
def test_a_string_too_long_is_a_422_naming_the_field(path, method, operation, media_type,
                                                     name, text, credentials):
    limit = text["maxLength"]
    response = _send(credentials, path, method, operation, media_type,
                     {name: "a" * (limit + 1)})
    assert response.status_code == 422, response.content
    assert response.json()["fields"][name] == f"Use at most {limit} characters."


@pytest.mark.parametrize(("path", "method", "operation", "media_type", "name", "text"),
                         [p for p in STRING_CASES if p.values[3] == "application/json"])
def test_a_lone_surrogate_is_a_422_naming_the_field(path, method, operation, media_type,
                                                    name, text, credentials):
    # json.dumps writes "\ud800" as the escape JSON allows; no UTF-8 text can hold it
    response = _send(credentials, path, method, operation, media_type, {name: "An\ud800a"})
    assert response.status_code == 422, response.content
    assert response.json()["fields"][name] == NOT_ALLOWED


@given(st.lists(st.one_of(st.characters(), st.sampled_from(["\ud800", "\udbff", "\udc00",
                                                           "\udfff"])),
                max_size=12).map("".join))
def test_input_schemas_take_text_exactly_when_it_is_encodable_without_controls(value):
    class Probe(InputSchema):
        text: str

    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        with pytest.raises(ValidationError) as refused:
            Probe(text=value)
        assert refused.value.errors()[0]["type"] == "text_unencodable"
    else:   # taken, less the control characters that are not line breaks or tabs
        assert Probe(text=value).text == "".join(
            c for c in value if c in "\t\n\r" or not (c < " " or c == "\x7f"))


@pytest.mark.parametrize("email", ["notanemail", "ana@localhost", "a" * 300 + "@example.com",
                                   "ana@example", "two@@example.com"])
def test_an_email_that_cannot_receive_the_code_is_refused(email):
    from ventanilla.registration.models import Application

    response = Client().post("/api/v1/registrations", {"country": "EC", "email": email},
                             content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    field = response.json()["fields"]["email"]
    assert field in (BAD_EMAIL, "Use at most 254 characters.")
    assert not Application.objects.exists()


def test_the_email_refusal_is_translated():
    response = Client().post("/api/v1/registrations", {"country": "EC", "email": "notanemail"},
                             content_type="application/json", HTTP_ACCEPT_LANGUAGE="es")
    assert response.json()["fields"]["email"] == (
        "Ingrese un correo electrónico con el formato correcto, por ejemplo "
        "nombre@example.com")
