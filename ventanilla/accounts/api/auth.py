"""API authentication (every app's routers use it; applicants' tokens are
``registration.api.auth``): affiliates by a bearer token, signed-in people by
their session (CSRF-checked).

One rule for every operation: **a request carrying an ``Authorization`` header is judged
on that header alone.** A bad, expired or revoked token answers 401 ``UNAUTHENTICATED``
whatever the method; it is never handed on to the session authenticators, whose CSRF
check would answer a POST with 403 "reload the page" (django-ninja's ``APIKeyCookie``
checks CSRF before it even looks for a session). A request without that header is judged
on its session, and CSRF is checked only when the session is a signed-in one and the
method changes something: a request with no credentials at all is 401, not 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from ventanilla.core.errors import PermissionDenied

from ..blocks import account_block_active
from ..signin import api_token_user

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class CsrfFailed(PermissionDenied):
    code = "CSRF_FAILED"
    default_message = _("The request was refused: reload the page and try again.")


class BearerAuth(HttpBearer):
    """A bearer authenticator whose refusal is final (401), see the module's docstring."""

    def __call__(self, request: HttpRequest) -> Any:
        value = request.headers.get(self.header)
        if not value:
            return None
        scheme, _sep, token = value.partition(" ")
        if scheme.lower() != self.openapi_scheme or not token.strip():
            raise AuthenticationError()
        result = self.authenticate(request, token.strip())
        if not result:
            raise AuthenticationError()
        return result


class _Session(APIKeyCookie):
    """A session authenticator: ``session_user`` says whom the session signs in (or None);
    CSRF is checked only then, and only for a method that changes something."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=False)   # checked below, once the session is known to count

    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get("Authorization"):
            return None
        result = self.authenticate(request, None)
        if result and request.method not in SAFE_METHODS and not getattr(
                request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise CsrfFailed()
        return result

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        raise NotImplementedError


class StaffSession(_Session):
    """A signed-in staff member's session (CSRF-checked like every form)."""

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            return user
        return None


def actor_of(request):
    """The staff member acting, only when this request was authenticated as staff (session
    and CSRF checked by ``StaffSession``); a bearer-token request never acts as staff."""
    auth = getattr(request, "auth", None)
    if isinstance(auth, AbstractBaseUser) and auth.is_authenticated and auth.is_staff:
        return auth
    return None


class AffiliateToken(BearerAuth):
    """An affiliate's bearer token from ``POST /api/v1/auth/token`` (ID number + clave).
    ``request.auth`` is the Person; every object an affiliate can reach is filtered by it."""

    def authenticate(self, request, token):
        user = api_token_user(token)
        if user is None:
            return None
        blocked = (user.account_block_cause is not None
                   if hasattr(user, "account_block_cause")
                   else account_block_active(user.person) is not None)
        if blocked:
            return None
        request.user = user
        return user.person


class AffiliateSession(_Session):
    """A signed-in affiliate's portal session (CSRF-checked)."""

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and not user.is_staff
                and hasattr(user, "person")):
            return user.person
        return None


AFFILIATE_AUTH = [AffiliateToken(), AffiliateSession()]


def person_of(request):
    """The affiliate this request acts for (only set by the affiliate authenticators)."""
    from ventanilla.people.models import Person

    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, Person) else None
