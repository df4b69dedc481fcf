"""The API's contract: every status an operation can answer is in the OpenAPI document,
with the one error schema, and every answer matches what the document says.

Two halves, one source of truth (the document ``config.api`` serves):

- **Said**: ``ContractAPI.get_openapi_schema`` adds to each operation the error statuses it
  answers by its nature (``derived_errors``: 401 when it takes credentials, 403 for a
  session's CSRF check on a change and for staff permissions, 400/422 when it reads a body
  or parameters, 404 when its path names something, 503 when the database is briefly
  unreachable), each with ``ErrorOut``. What an operation's own services refuse with
  (a 409 clash, a 429 rate limit, a domain 403/404/422) it declares in its decorator:
  ``response={201: BookingOut, **errors(409, 429)}``.
- **Kept**: ``ContractGuardMiddleware`` (in the test settings, so every API test of the
  suite and the schemathesis run pass through it) fails the request when an answer's
  status is not documented for its operation, or its body does not match the documented
  schema, or its media type is not the documented one. A new refusal in a service is
  therefore caught by the first test that provokes it, not by a client.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from .api_schema import OutputSchema

ERROR_DESCRIPTIONS = {
    400: "The request body could not be read (`BAD_REQUEST`).",
    401: "No credentials, or a token that is forged, expired or revoked (`UNAUTHENTICATED`).",
    403: "Not allowed: a session's CSRF check failed (`CSRF_FAILED`), the staff member lacks "
         "the permission or the country (`PERMISSION_DENIED`), or a rule of the service "
         "refuses it (its own `code`).",
    404: "No such thing for this caller (`NOT_FOUND` or the service's `code`); another "
         "person's record answers the same.",
    409: "It clashes with the current state (the service's `code`): already done, taken, "
         "or changed meanwhile.",
    422: "Some answers need correcting (`VALIDATION_FAILED` or the service's `code`); "
         "`fields` names each one.",
    429: "Too many attempts (`RATE_LIMITED` or the service's `code`); `Retry-After` says "
         "when to try again.",
    503: "The service is briefly unavailable (`SERVICE_UNAVAILABLE`); try again after "
         "`Retry-After` seconds.",
}
RETRY_AFTER_HEADER = {"Retry-After": {
    "description": "Seconds to wait before trying again.",
    "schema": {"type": "integer", "minimum": 0}}}
SESSIONS = frozenset({"StaffSession", "AffiliateSession"})
UNSAFE = frozenset({"post", "put", "patch", "delete"})


class ErrorOut(OutputSchema):
    """Every refusal: a stable code, a message in the request's language and, for answers
    that need correcting, a message per field."""

    code: str
    message: str
    fields: dict[str, str]


def errors(*statuses: int) -> dict[frozenset[int], type[ErrorOut]]:
    """The refusals an operation's services can answer, for its ``response=`` mapping."""
    unknown = set(statuses) - set(ERROR_DESCRIPTIONS)
    if unknown:
        raise ValueError(f"no description for {sorted(unknown)}")
    return {frozenset(statuses): ErrorOut}


def derived_errors(method: str, operation: dict[str, Any]) -> set[int]:
    """The error statuses an operation answers by its nature (see the module docstring)."""
    schemes = {name for requirement in operation.get("security", []) for name in requirement}
    parameters = operation.get("parameters", [])
    found = {503}
    if schemes:
        found.add(401)
    if (schemes & SESSIONS and method in UNSAFE) or "StaffSession" in schemes:
        found.add(403)
    if "requestBody" in operation:
        found |= {400, 422}
    if parameters:
        found.add(422)
    if any(p.get("in") == "path" for p in parameters):
        found.add(404)
    return found


# A query parameter never carries a NUL (core.middleware.ApiNulRefusalMiddleware: 422).
NO_NUL = "^[^\\x00]*$"


def _no_nul(schema: dict[str, Any]) -> None:
    for option in [schema, *schema.get("anyOf", [])]:
        if option.get("type") == "string" and "pattern" not in option and "format" not in option:
            option["pattern"] = NO_NUL


class ContractAPI(NinjaAPI):
    """django-ninja's API whose document lists every error status of every operation."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        document = super().get_openapi_schema(*args, **kwargs)
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        schemas.setdefault("ErrorOut", ErrorOut.model_json_schema(
            ref_template="#/components/schemas/{model}"))
        reference = {"$ref": "#/components/schemas/ErrorOut"}
        for operations in document["paths"].values():
            for method, operation in operations.items():
                for parameter in operation.get("parameters", []):
                    if parameter.get("in") == "query":
                        _no_nul(parameter.get("schema", {}))
                responses = {str(k): v for k, v in operation.get("responses", {}).items()}
                operation["responses"] = responses
                for derived in derived_errors(method, operation):
                    responses.setdefault(str(derived), {
                        "description": ERROR_DESCRIPTIONS[derived],
                        "content": {"application/json": {"schema": reference}}})
                for key, response in responses.items():
                    status = int(key) if key.isdigit() else 0
                    if status in ERROR_DESCRIPTIONS:
                        if response.get("description") in (
                                None, "", HTTPStatus(status).phrase):
                            response["description"] = ERROR_DESCRIPTIONS[status]
                        if status in (429, 503):
                            response.setdefault("headers", RETRY_AFTER_HEADER)
        return document


# --- the guard ----------------------------------------------------------------------------

class ContractViolation(AssertionError):
    pass


@cache
def _operations() -> tuple[tuple[re.Pattern[str], str, dict[str, Any]], ...]:
    from ventanilla.config.api import api

    document = api.get_openapi_schema(path_prefix="/api/v1")
    found = []
    for path, operations in document["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$")
        for method, operation in operations.items():
            found.append((pattern, method, operation))
    # literal segments before parameters: /review/queue is not /{reference}
    found.sort(key=lambda item: item[0].pattern.count("[^/]+"))
    return tuple(found)


@cache
def _validator(schema_json: str) -> Any:
    import jsonschema_rs

    from ventanilla.config.api import api

    document = api.get_openapi_schema(path_prefix="/api/v1")
    schema = {**json.loads(schema_json), "components": document["components"]}
    return jsonschema_rs.validator_for(schema)


def contract_violations(method: str, path: str, response: HttpResponse) -> list[str]:
    """What is wrong with this answer of the API against its OpenAPI document."""
    if response.status_code == 500:
        return []   # a bug, never a promise: the tests that provoke one assert its shape
    method = method.lower()
    template = next(((pattern, op) for pattern, m, op in _operations()
                     if m == method and pattern.match(path)), None)
    if template is None:
        return []   # not an operation (an unknown address, another method): 404 / 405
    operation = template[1]
    where = f"{method.upper()} {path} ({operation.get('operationId')})"
    documented = operation.get("responses", {}).get(str(response.status_code))
    if documented is None:
        return [f"{where} answered {response.status_code}, which its document does not list"]
    content = documented.get("content")
    media = response.get("Content-Type", "").split(";")[0].strip()
    if not content:
        return []
    if media not in content:
        return [f"{where} answered {response.status_code} as {media!r}, documented as "
                f"{sorted(content)}"]
    schema = content[media].get("schema")
    if media != "application/json" or not schema or getattr(response, "streaming", False):
        return []
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        return [f"{where} answered {response.status_code} with a body that is not JSON"]
    errs = [f"{e.instance_path}: {e.message}"
            for e in _validator(json.dumps(schema, sort_keys=True)).iter_errors(body)]
    if errs:
        return [f"{where} answered {response.status_code} with a body that does not match its "
                f"schema: " + "; ".join(errs[:5])]
    return []


class ContractGuardMiddleware:
    """Fails any API answer that breaks the document (the test settings put it outermost)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/v1/") and not request.path.endswith(
                ("/openapi.json", "/docs")):
            problems = contract_violations(request.method or "GET", request.path, response)
            if problems:
                raise ContractViolation("\n".join(problems))
        return response
