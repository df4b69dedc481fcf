"""Rate limiting shared by web views and API handlers (django-ratelimit's counter)."""

from __future__ import annotations

from django.conf import settings
from django_ratelimit.core import is_ratelimited

from .errors import RateLimited
from .middleware import client_ip


def _ip_key(group, request) -> str:
    # Requests with no peer address (a unix socket, a test client) share one bucket.
    return client_ip(request) or "no-address"


def ensure_not_rate_limited(request, *, group: str, rate: str | None = None) -> None:
    """Count this request against ``group`` and raise ``RateLimited`` past the rate."""
    if is_ratelimited(request, group=group, key=_ip_key, rate=rate or settings.CASE_LOOKUP_RATE,
                      method=is_ratelimited.ALL, increment=True):
        raise RateLimited()
