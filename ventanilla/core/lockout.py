"""What a locked-out sign-in gets (django-axes): JSON for the API, a page for people."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, original_response=None, credentials=None):
    retry_after = str(int(settings.AXES_COOLOFF_TIME * 3600))
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": "SIGN_IN_LOCKED", "fields": {}, "message": _(
            "Too many failed attempts with this ID number. Wait 30 minutes and try again, "
            "or reset your clave.")}, status=429)
    else:
        template = ("portal/locked_out.html" if request.path.startswith("/portal/")
                    else "staff/locked_out.html")
        response = render(request, template, status=429)
    response["Retry-After"] = retry_after
    return response
