"""Issue 11, item 14: the OpenAPI document lists every status an operation answers, with the
one error schema, and the guard that holds every API test to it can fail."""

from __future__ import annotations

import json

import pytest
from django.http import HttpResponse, JsonResponse
from ninja import Schema

from ventanilla.config.api import api
from ventanilla.core.api_contract import (
    ERROR_DESCRIPTIONS,
    ContractGuardMiddleware,
    ContractViolation,
    contract_violations,
    derived_errors,
    errors,
)

DOCUMENT = api.get_openapi_schema(path_prefix="/api/v1")
OPERATIONS = [(path, method, op) for path, ops in DOCUMENT["paths"].items()
              for method, op in ops.items()]


@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS,
                         ids=[f"{m.upper()} {p}" for p, m, _o in OPERATIONS])
def test_every_operation_documents_the_refusals_of_its_kind(path, method, operation):
    responses = operation["responses"]
    for status in derived_errors(method, operation):
        assert str(status) in responses, (method, path, status)
    for status, response in responses.items():
        if int(status) >= 400:
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, status)
            assert response["description"] == ERROR_DESCRIPTIONS[int(status)]
        if status in ("429", "503"):
            assert "Retry-After" in response["headers"]
    assert any(int(s) < 400 for s in responses), (method, path)


def test_the_secured_the_bodied_and_the_named_have_their_statuses():
    ops = {(m, p): o for p, m, o in OPERATIONS}
    assert {"401", "403", "404", "409", "422", "503"} <= set(
        ops[("post", "/api/v1/dependants/requests/{public_id}/decision")]["responses"])
    assert {"400", "401", "403", "404", "409", "422", "429"} <= set(
        ops[("post", "/api/v1/appointments")]["responses"])
    assert "401" not in ops[("get", "/api/v1/countries")]["responses"]   # public
    assert "422" not in ops[("get", "/api/v1/countries")]["responses"]   # takes nothing


def test_error_out_is_the_error_shape():
    error = DOCUMENT["components"]["schemas"]["ErrorOut"]
    assert set(error["required"]) == {"code", "message", "fields"}
    with pytest.raises(ValueError):
        errors(418)


def _schema_classes(base=Schema):
    for sub in base.__subclasses__():
        yield sub
        yield from _schema_classes(sub)


def test_no_two_schemas_share_a_name():
    """django-ninja names a component after its class: two ``ChecklistItemOut`` made the 201
    of ``POST /registrations`` be checked against the dependants' checklist item."""
    by_name: dict[str, set[str]] = {}
    for cls in _schema_classes():
        if cls.__module__.startswith("ventanilla."):
            by_name.setdefault(cls.__name__, set()).add(cls.__module__)
    assert {n: m for n, m in by_name.items() if len(m) > 1} == {}
    used = {ref.rsplit("/", 1)[-1] for ref in _refs(DOCUMENT["paths"])}
    assert used <= set(DOCUMENT["components"]["schemas"])


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_the_guard_fails_an_undocumented_status_a_wrong_body_and_a_wrong_media_type():
    quote = "/api/v1/contributions/quote"
    teapot = JsonResponse({"code": "X", "message": "m", "fields": {}}, status=409)
    assert "does not list" in contract_violations("GET", quote, teapot)[0]
    bad = JsonResponse({"code": "NOT_FOUND", "message": 3}, status=404)
    assert "does not match" in contract_violations("GET", quote, bad)[0]
    html = HttpResponse("<p>", status=404, content_type="text/html")
    assert "documented as" in contract_violations("GET", quote, html)[0]
    good = JsonResponse({"code": "NOT_FOUND", "message": "m", "fields": {}}, status=404)
    assert contract_violations("GET", quote, good) == []
    # literal segments win over parameters: /review/queue is its own operation
    queue = JsonResponse([{"nope": 1}], safe=False)
    assert "review_queue" in contract_violations("GET", "/api/v1/dependants/review/queue",
                                                 queue)[0]


def test_the_guard_raises_on_the_way_out(rf):
    guard = ContractGuardMiddleware(lambda request: JsonResponse(
        {"code": "X", "message": "m", "fields": {}}, status=409))
    with pytest.raises(ContractViolation):
        guard(rf.get("/api/v1/countries"))
    assert json.loads(guard(rf.get("/portal/")).content)["code"] == "X"   # pages: not its job
