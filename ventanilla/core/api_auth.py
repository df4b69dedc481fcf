"""API authentication: staff by session (CSRF-checked), applicants by a bearer token."""

from __future__ import annotations

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
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated and user.is_staff else None
