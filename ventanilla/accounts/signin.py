"""Affiliates sign in with their ID number and their clave (R-AFF-04, R-APT-03).

One function for the web portal and the API. django-axes counts failures per user name and
IP address and locks after ``AXES_FAILURE_LIMIT``; ``throttle`` counts them per ID number
from every address, with growing delays and a lock; a blocked account (R-APT-05) is refused
with the reason and what to do.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib.auth import authenticate
from django.core import signing
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import DomainError
from ventanilla.core.ratelimit import limit
from ventanilla.core.text import clean_text
from ventanilla.countries.base import IdInvalid
from ventanilla.countries.registry import UnknownCountry, get_pack

from .blocks import account_check_not_blocked
from .throttle import SignInLocked, signin_forget

_TOKEN_SALT = "ventanilla.affiliate-api-token"


class SignInFailed(DomainError):
    code = "SIGN_IN_FAILED"
    status = 401
    default_message = _("The ID number or the clave is not right. Check both and try again. "
                        "If you have no clave yet, create it online or ask for it at a "
                        "service centre.")


def username_of(country: str, id_type: str, id_number: str) -> str:
    return f"{country}:{id_type}:{id_number}"


def affiliate_authenticate(request, *, country: str, id_type: str, id_number: str,
                           password: str):
    """Return the affiliate's user account, or raise ``SignInFailed`` / ``SignInLocked`` /
    ``AccountBlocked``. The same error for an unknown ID and a wrong clave."""
    # Control characters never belong to a username; PostgreSQL refuses NUL in text, so
    # left in they would turn a wrong sign-in into a server error (the lock-out lookup).
    limit("accounts.signin")  # per client address, whatever the ID (every channel)
    country, id_type, id_number = (clean_text(v, max_length=64)
                                   for v in (country, id_type, id_number))
    try:
        pack = get_pack(country)
        number = pack.validate_id(id_type, id_number)
    except (IdInvalid, UnknownCountry):
        number = id_number
        pack = None
    username = username_of(pack.code if pack else country, id_type, number)
    user = authenticate(request, username=username, password=password or "")
    refusal = getattr(request, "signin_refusal", None)
    if refusal is not None:  # this ID must wait, or is locked (throttle, every address)
        raise refusal
    if getattr(request, "axes_locked_out", False):  # this ID from this address (axes)
        raise SignInLocked(field="id_number",
                           retry_after=int(settings.AXES_COOLOFF_TIME * 3600))
    if user is None or user.is_staff or not hasattr(user, "person"):
        raise SignInFailed(field="id_number")
    account_check_not_blocked(user.person)
    signin_forget(username)
    return user


def _password_mark(user) -> str:
    # a token dies when the clave changes
    return salted_hmac(_TOKEN_SALT, user.password or "", algorithm="sha256").hexdigest()[:16]


def api_token_issue(user) -> str:
    """A bearer token for the API, valid ``AFFILIATE_TOKEN_TTL`` seconds."""
    return signing.dumps({"u": user.pk, "p": _password_mark(user)}, salt=_TOKEN_SALT)


@functools.cache
def _token_user_sql(vendor: str) -> str:
    from django.contrib.auth import get_user_model

    from ventanilla.core import rawsql
    from ventanilla.people.models import Person

    from .models import AccountBlock

    user, person = rawsql.columns(get_user_model()), rawsql.columns(Person)
    block = rawsql.columns(AccountBlock).table
    # Table names come from the models; the id is a parameter.
    return (f"SELECT {user.select('u')}, {person.select('p')},"  # noqa: S608
            f" (SELECT b.cause FROM {block} b WHERE b.person_id = p.id"
            " AND b.unblocked_at IS NULL LIMIT 1)"
            f" FROM {user.table} u JOIN {person.table} p ON p.user_id = u.id"
            " WHERE u.id = %s AND u.is_active AND NOT u.is_staff")


def api_token_user(token: str):
    """The affiliate a token belongs to, or None when it is forged, expired or stale.

    One statement, written once (every API request of an affiliate starts here): the user,
    their person and the cause of an active account block (``user.account_block_cause``,
    None when the account is not blocked), so the API's authenticator refuses a blocked
    account (R-APT-05) without asking again."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from ventanilla.core import rawsql
    from ventanilla.people.models import Person

    try:
        data = signing.loads(token or "", salt=_TOKEN_SALT,
                             max_age=settings.AFFILIATE_TOKEN_TTL)
    except signing.BadSignature:
        return None
    pk = data.get("u") if isinstance(data, dict) else None
    if not isinstance(pk, int):
        return None
    with connection.cursor() as cursor:
        cursor.execute(_token_user_sql(connection.vendor), [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    user, person = rawsql.load_row(row, get_user_model(), Person)
    if data.get("p") != _password_mark(user):
        return None
    Person.user.field.set_cached_value(person, user)
    Person.user.field.remote_field.set_cached_value(user, person)
    user.account_block_cause = row[-1]  # type: ignore[attr-defined]
    return user
