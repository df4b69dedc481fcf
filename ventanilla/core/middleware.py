from __future__ import annotations

import uuid

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
