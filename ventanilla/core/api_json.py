"""JSON responses for the API's busiest requests, written straight with orjson.

A handler that returns ``json_response(data)`` skips django-ninja's validation of the
result against its response schema (one pydantic object per item): the handler builds the
schema's shape itself and a test validates it against the declared schema. The OpenAPI
document still shows the declared schema. The bytes are those of the API's renderer
(``config.api.ORJSONRenderer``), so a client sees no difference.
"""

from __future__ import annotations

import orjson
from django.http import HttpResponse

_OPTIONS = orjson.OPT_PASSTHROUGH_SUBCLASS   # as config.api.ORJSONRenderer


def json_response(data, *, status: int = 200) -> HttpResponse:
    return HttpResponse(orjson.dumps(data, option=_OPTIONS, default=str), status=status,
                        content_type="application/json; charset=utf-8")
