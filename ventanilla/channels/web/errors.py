"""The site's error pages. Under ``/api/`` an error is JSON of the API's one shape
(``{"code", "message", "fields"}``), never an HTML page: Django calls these handlers for
what goes wrong outside an operation (an unknown address, a middleware that fails)."""

import sys

from django.shortcuts import render
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def _api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


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


def server_error(request):
    if _api(request):
        from ventanilla.core.api_errors import unexpected_error_response

        # Django calls this while it handles the exception: sys.exc_info() holds it.
        return unexpected_error_response(request, sys.exc_info()[1])
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())
