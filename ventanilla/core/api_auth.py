"""API authentication: staff by session (CSRF-checked), applicants by a bearer token."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from ninja.security import APIKeyCookie, HttpBearer


class ApplicantToken(HttpBearer):
    """The token returned when an application is created. Resolved per reference later."""

    def authenticate(self, request, token):
        request.applicant_token = token
        return token or None


class StaffSession(APIKeyCookie):
    """A signed-in staff member's session (csrf-protected like every form)."""

    param_name = "sessionid"

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


class AffiliateToken(HttpBearer):
    """An affiliate's bearer token from ``POST /api/v1/auth/token`` (ID number + clave).
    ``request.auth`` is the Person; every object an affiliate can reach is filtered by it."""

    def authenticate(self, request, token):
        from ventanilla.accounts.blocks import account_block_active
        from ventanilla.accounts.signin import api_token_user

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


class AffiliateSession(APIKeyCookie):
    """A signed-in affiliate's portal session (CSRF-checked)."""

    param_name = "sessionid"

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
