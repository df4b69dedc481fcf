from __future__ import annotations

import uuid

from django.utils.translation import gettext as _

from . import request_context


def client_ip(request) -> str | None:
    # Behind a proxy the deployment sets REMOTE_ADDR correctly (see docs/deploy.md);
    # X-Forwarded-For is not trusted here because clients can forge it.
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        info = request_context.RequestInfo(
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:256],
            request_id=request.META.get("HTTP_X_REQUEST_ID", "") or uuid.uuid4().hex,
        )
        token = request_context.set_current(info)
        try:
            return self.get_response(request)
        finally:
            request_context.reset(token)


API_PREFIX = "/api/"


class ApiNulRefusalMiddleware:
    """The API refuses a NUL character (U+0000, ``%00``) in a query parameter: PostgreSQL
    cannot store or compare it in text, so a parameter carrying one would reach the
    database as a server error. One check for every operation, cheap on the way that passes
    (the raw query string is searched; it is parsed only to name the fields): 422
    ``VALIDATION_FAILED`` naming each parameter, as for any other invalid value. Path
    parameters and JSON bodies are the services' to clean (``core.text.clean_text``): an
    unknown reference with a NUL is simply not found."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if ("%00" in request.META.get("QUERY_STRING", "")
                and request.path_info.startswith(API_PREFIX)):
            from .api_json import json_response

            message = _("This value contains a character that is not allowed.")
            return json_response({
                "code": "VALIDATION_FAILED", "message": _("Some answers need correcting."),
                "fields": {name: message for name, values in request.GET.lists()
                           if any("\x00" in v for v in values)}}, status=422)
        return self.get_response(request)
