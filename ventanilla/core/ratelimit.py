"""Rate limits: one policy for every channel, counted in the shared cache.

The services that send something or reveal something (start an application, send an e-mail
code, look up a case…) call ``limit(group)`` before they act, so the web, the API and any
other channel share one limit per group and client; views and handlers never count
attempts themselves. The rates are ``settings.RATE_LIMITS`` (overridable per deployment,
``RATE_LIMITS="cases.lookup=20/m,..."``). The counters live in the ``default`` cache, which
production requires to be shared by every process (Redis; ``check --deploy`` refuses a
process-local cache), and are django-ratelimit's fixed windows. While the cache is down,
attempts are not counted (and not refused): sign-in keeps its lock-outs in the database.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django_ratelimit.core import get_usage

from . import request_context
from .errors import RateLimited

logger = logging.getLogger(__name__)


def client_key() -> str:
    """The client's address of the current request (requests with no peer address, a unix
    socket or a test client, share one bucket)."""
    return request_context.current().ip_address or "no-address"


def limit(group: str, *, key: str | None = None, rate: str | None = None) -> None:
    """Count one attempt of ``group`` for ``key`` (by default the client's address) and
    raise ``RateLimited`` (with the seconds until the window ends) past the group's rate."""
    rate = rate or settings.RATE_LIMITS[group]
    value = f"{key}" if key is not None else client_key()
    try:
        usage = get_usage(None, group=group, key=lambda _group, _request: value, rate=rate,
                          increment=True)
    except Exception:  # the cache is down: serve people rather than fail them all
        # (sign-in stays protected by its lock-outs, which live in the database)
        logger.warning("rate limit %s not counted: the cache is unavailable", group,
                       exc_info=True)
        return
    if usage is not None and usage["should_limit"]:
        raise RateLimited(retry_after=max(1, int(usage["time_left"])))
