from __future__ import annotations

import functools
import ipaddress
import uuid

from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _

from . import request_context


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or, when that is one of ``TRUSTED_PROXIES`` (the
    TLS proxy in front, docs/deploy.md), the last address of X-Forwarded-For that is not a
    trusted proxy. A client can write anything into X-Forwarded-For, so only what the
    trusted proxies appended is believed; without trusted proxies it is ignored. Rate
    limits, lock-outs and the audit log key on this address."""
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = _trusted_proxies()
    if remote is None or not trusted or not _in(remote, trusted):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([h for h in hops if h]):
        if not _in(hop, trusted):
            return hop if _valid(hop) else remote
    return remote


@functools.cache
def _trusted_networks(spec: tuple[str, ...]) -> tuple[ipaddress.IPv4Network
                                                      | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(s, strict=False) for s in spec)


def _trusted_proxies():
    from django.conf import settings

    return _trusted_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def _in(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


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


# Pages that show one person's data whoever asks: the affiliates' portal, the back office,
# Django's admin, and an applicant's application in progress.
PRIVATE_PAGE_PREFIXES = ("/portal/", "/staff/", "/admin/", "/solicitud/")
# The only API answers a cache may keep: country facts, free times and the ICD-10
# classification, asked anonymously.
PUBLIC_API_PREFIXES = ("/api/v1/countries", "/api/v1/slots", "/api/v1/contributions/quote",
                       "/api/v1/dependants/checklist", "/api/v1/icd10", "/api/v1/openapi.json",
                       "/api/v1/docs")
# Downloads of a booking or a card: personal wherever they are served.
PRIVATE_CONTENT_TYPES = ("application/pdf", "text/calendar")


def _signed_in_session(request) -> bool:
    """The answer was built from a session holding someone (a signed-in person, or an
    applicant's draft): SessionMiddleware marks it ``Vary: Cookie``; no cache may keep it."""
    session = getattr(request, "session", None)
    return session is not None and session.accessed and not session.is_empty()


def carries_personal_data(request, response) -> bool:
    path = request.path_info
    if path.startswith(API_PREFIX):
        return ("HTTP_AUTHORIZATION" in request.META or _signed_in_session(request)
                or not path.startswith(PUBLIC_API_PREFIXES))
    return (path.startswith(PRIVATE_PAGE_PREFIXES) or _signed_in_session(request)
            or response.get("Content-Type", "").startswith(PRIVATE_CONTENT_TYPES))


class PersonalDataCacheMiddleware:
    """``Cache-Control: no-store`` (with Django's other never-cache headers) on every answer
    that carries personal data, so neither a shared cache nor the browser of a shared
    computer keeps it (issue 11, item 12). One rule, ``carries_personal_data``: under
    ``/api/`` everything is private unless it is one of the few public prefixes asked
    without credentials (a new operation is private by default); for pages, the private
    prefixes, any page built from a session holding someone, and every PDF or calendar.
    An answer that depends on the bearer token says so with ``Vary: Authorization``.

    It sits outside SessionMiddleware so that it sees whether the session was used."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if carries_personal_data(request, response):
            add_never_cache_headers(response)
            if "HTTP_AUTHORIZATION" in request.META:
                patch_vary_headers(response, ("Authorization",))
        return response
