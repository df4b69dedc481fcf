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
