"""An applicant's bearer token: the one returned when an application is created."""

from __future__ import annotations

from ventanilla.accounts.api.auth import BearerAuth

from ..selectors import applicant_token_known


class ApplicantToken(BearerAuth):
    """The token returned when an application is created. A token that belongs to no
    application is 401; one that belongs to another application is that application's
    business: the reference then answers 404 (``registration.selectors``)."""

    def authenticate(self, request, token):
        if not applicant_token_known(token):
            return None
        request.applicant_token = token
        return token
