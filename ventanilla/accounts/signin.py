"""Affiliates sign in with their ID number and their clave (R-AFF-04, R-APT-03).

One function for the web portal and the API. django-axes counts failures per user name and
IP address and locks after ``AXES_FAILURE_LIMIT``; a blocked account (R-APT-05) is refused
with the reason and what to do.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.core import signing
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import DomainError, RateLimited
from ventanilla.countries.base import IdInvalid
from ventanilla.countries.registry import UnknownCountry, get_pack

from .blocks import account_check_not_blocked

_TOKEN_SALT = "ventanilla.affiliate-api-token"


class SignInFailed(DomainError):
    code = "SIGN_IN_FAILED"
    status = 401
    default_message = _("The ID number or the clave is not right. Check both and try again. "
                        "If you have no clave yet, create it online or ask for it at a "
                        "service centre.")


class SignInLocked(RateLimited):
    code = "SIGN_IN_LOCKED"
    default_message = _("Too many failed attempts with this ID number. Wait 30 minutes and "
                        "try again, or reset your clave.")


def username_of(country: str, id_type: str, id_number: str) -> str:
    return f"{country}:{id_type}:{id_number}"


def affiliate_authenticate(request, *, country: str, id_type: str, id_number: str,
                           password: str):
    """Return the affiliate's user account, or raise ``SignInFailed`` / ``SignInLocked`` /
    ``AccountBlocked``. The same error for an unknown ID and a wrong clave."""
    try:
        pack = get_pack(country)
        number = pack.validate_id(id_type, id_number)
    except (IdInvalid, UnknownCountry):
        number = (id_number or "").strip()
        pack = None
    username = username_of(pack.code if pack else country, id_type, number)
    user = authenticate(request, username=username, password=password or "")
    if getattr(request, "axes_locked_out", False):
        raise SignInLocked(field="id_number")
    if user is None or user.is_staff or not hasattr(user, "person"):
        raise SignInFailed(field="id_number")
    account_check_not_blocked(user.person)
    return user


def _password_mark(user) -> str:
    # a token dies when the clave changes
    return salted_hmac(_TOKEN_SALT, user.password or "", algorithm="sha256").hexdigest()[:16]


def api_token_issue(user) -> str:
    """A bearer token for the API, valid ``AFFILIATE_TOKEN_TTL`` seconds."""
    return signing.dumps({"u": user.pk, "p": _password_mark(user)}, salt=_TOKEN_SALT)


def api_token_user(token: str):
    """The affiliate a token belongs to, or None when it is forged, expired or stale.

    One query: the user, their person and the cause of an active account block
    (``user.account_block_cause``, None when the account is not blocked), so the API's
    authenticator refuses a blocked account (R-APT-05) without asking again."""
    from django.contrib.auth import get_user_model
    from django.db.models import OuterRef

    from .blocks import account_block_cause

    try:
        data = signing.loads(token or "", salt=_TOKEN_SALT,
                             max_age=settings.AFFILIATE_TOKEN_TTL)
    except signing.BadSignature:
        return None
    user = (get_user_model().objects.select_related("person")
            .annotate(account_block_cause=account_block_cause(OuterRef("person__pk")))
            .filter(pk=data.get("u"), is_active=True, is_staff=False).first())
    if user is None or not hasattr(user, "person") or data.get("p") != _password_mark(user):
        return None
    return user
