from __future__ import annotations

import functools
import ipaddress
import uuid

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
