"""Error pages. The 500 handler tells a database outage (a connection refused or dropped, the
pool exhausted) from a bug: the first answers 503 "try again in a minute" with Retry-After,
the second 500; under /api/ both in the API's JSON error shape. Neither page touches the
database, the session or a context processor: whatever failed must not fail them too."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 30


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request):
    unavailable = database_unavailable(sys.exc_info()[1])
    status = 503 if unavailable else 500
    if request is not None and request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({
            "code": "SERVICE_UNAVAILABLE" if unavailable else "SERVER_ERROR",
            "message": (_("The service is unavailable for a moment. Try again in a minute.")
                        if unavailable else
                        _("Sorry, there is a problem with the service. Try again later.")),
            "fields": {}}, status=status)
    else:
        page = "503_standalone.html" if unavailable else "500.html"
        response = HttpResponse(loader.get_template(page).render(), status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
