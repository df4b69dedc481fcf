"""The clave: the affiliate's own password (R-AFF-04).

At a counter an agent checks the identity document and issues a one-time code, handed over
in person; the person turns it into their own password. Passwords are hashed with Argon2.
Sign-in uses the ID (as ``country:id_type:id_number``, the user name) and the password,
throttled and locked by django-axes like every sign-in.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ventanilla.core.audit import audit_record
from ventanilla.core.errors import PermissionDenied, ValidationFailed

from . import one_time
from .models import OneTimeSecret

CLAVE_TTL = timedelta(hours=24)
# Crockford's alphabet: a code read out or copied from paper survives O/0 and I/1 mix-ups.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def username_for(person) -> str:
    return f"{person.country}:{person.id_type}:{person.id_number}"


def clave_issue(*, person, actor) -> str:
    """An agent, having checked the identity document, issues a one-time code (24 hours,
    single use). Earlier unused codes of the person stop working."""
    if not (actor and actor.is_authenticated and actor.has_perm("people.issue_clave")):
        raise PermissionDenied()
    if not person.registration_number:
        raise ValidationFailed(_("Only people registered with the health system get a clave."),
                               field="person")
    code = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    with transaction.atomic():
        one_time.secret_store(purpose=OneTimeSecret.Purpose.CLAVE,
                              subject=str(person.public_id), secret=code, ttl=CLAVE_TTL)
        audit_record(actor=actor, action="clave.issue", obj=person,
                     subject_ref=person.subject_ref, channel="in_person")
    return f"{code[:4]}-{code[4:]}"


def clave_set(*, person, code: str, password: str):
    """The person turns the code into their own password; returns their user account."""
    typed = code.upper().replace("-", "").replace(" ", "").translate(
        str.maketrans("OIL", "011"))
    one_time.secret_redeem(purpose=OneTimeSecret.Purpose.CLAVE,
                           subject=str(person.public_id), secret=typed)
    User = get_user_model()
    user = person.user or User(username=username_for(person), is_staff=False)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), field="password") from exc
    with transaction.atomic():
        user.set_password(password)
        user.first_name = person.given_names[:150]
        user.last_name = person.family_names[:150]
        user.email = person.email
        user.save()
        if person.user_id != user.pk:
            person.user = user
            person.save(update_fields=["user", "updated_at"])
    return user
