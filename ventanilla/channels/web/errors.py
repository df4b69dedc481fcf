"""The site's error pages. Under ``/api/`` an error is JSON of the API's one shape
(``{"code", "message", "fields"}``), never an HTML page: Django calls these handlers for
what goes wrong outside an operation (an unknown address, a middleware that fails). For
pages, the 500 handler tells a database outage (a connection refused or dropped, the pool
exhausted) from a bug: the first answers 503 "try again in a minute" with Retry-After, the
second 500. Neither page touches the database, the session or a context processor:
whatever failed must not fail them too."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def _api(request) -> bool:
    return request is not None and request.path_info.startswith(API_PREFIX)


def _api_error(status: int, code: str, message: str):
    from ventanilla.core.api_errors import error_body
    from ventanilla.core.api_json import json_response

    return json_response(error_body(code, message), status=status)


def bad_request(request, exception=None):
    if _api(request):
        return _api_error(400, "BAD_REQUEST", _("The request could not be read."))
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    if _api(request):
        return _api_error(403, "PERMISSION_DENIED", _("You do not have permission to do this."))
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    if _api(request):
        return _api_error(404, "NOT_FOUND", _("Not found."))
    return render(request, "404.html", status=404)


def database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request):
    from ventanilla.core.api_errors import RETRY_AFTER_SECONDS, unexpected_error_response

    # Django calls this while it handles the exception: sys.exc_info() holds it.
    exc = sys.exc_info()[1]
    if _api(request):
        response = unexpected_error_response(request, exc)
    elif database_unavailable(exc):
        response = HttpResponse(loader.get_template("500.html").render(
            {"unavailable": True}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    else:
        response = HttpResponse(loader.get_template("500.html").render(), status=500)
    response["Cache-Control"] = "no-store"
    return response
