"""The API's one answer to an error nobody expected.

Every answer under ``/api/`` is JSON of the shape ``{"code", "message", "fields"}``, the
unexpected ones too: a client never has to parse Django's HTML error page. Two callers,
one function: django-ninja's exception handler for anything raised inside an operation
(``config.api``), and the site's ``handler500`` for what is raised before the operation
runs (a middleware, the session or the database behind it).

A database that cannot be reached (a dropped or refused connection: ``OperationalError``
or ``InterfaceError``) is not a bug of the request but a moment of the service: it answers
503 ``SERVICE_UNAVAILABLE`` with ``Retry-After``, so the client tries again instead of
giving up. Django's own refusals of a malformed request (``BadRequest``,
``SuspiciousOperation``, a broken multipart body) stay the 400 Django gives them, and its
``PermissionDenied`` a 403. Anything else is 500 ``SERVER_ERROR``, logged with its
traceback.
"""

from __future__ import annotations

import logging

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from .api_json import json_response

logger = logging.getLogger("ventanilla.api")

RETRY_AFTER_SECONDS = 5   # a pool reconnects within seconds; a client waits that long


def error_body(code: str, message: str, fields: dict[str, str] | None = None) -> dict:
    return {"code": code, "message": message, "fields": fields or {}}


def unexpected_error_response(request: HttpRequest, exc: BaseException | None
                              ) -> HttpResponse:
    where = f"{request.method} {request.path}"
    if isinstance(exc, BadRequest | SuspiciousOperation | MultiPartParserError):
        logger.info("Malformed request refused: %s (%s)", where, exc)
        return json_response(error_body("BAD_REQUEST", _("The request could not be read.")),
                             status=400)
    if isinstance(exc, PermissionDenied):
        return json_response(error_body(
            "PERMISSION_DENIED", _("You do not have permission to do this.")), status=403)
    if isinstance(exc, OperationalError | InterfaceError):
        logger.warning("Database unavailable during %s", where, exc_info=exc)
        response = json_response(error_body(
            "SERVICE_UNAVAILABLE",
            _("The service is briefly unavailable. Try again in a few seconds.")), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    logger.error("Unexpected error during %s", where, exc_info=exc)
    return json_response(error_body(
        "SERVER_ERROR", _("Something went wrong on our side. Try again later.")), status=500)
