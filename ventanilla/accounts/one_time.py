"""One-time codes and link tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import ValidationFailed

from .models import OneTimeSecret


class CodeInvalid(ValidationFailed):
    code = "CODE_INVALID"


def _hash(secret: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), secret.encode(), hashlib.sha256).hexdigest()


def code_issue(*, purpose: str, subject: str, email: str = "", ttl: timedelta) -> str:
    """A 6-digit code. Earlier unused codes for the same subject and purpose stop working."""
    code = f"{secrets.randbelow(1_000_000):06d}"
    _issue(purpose=purpose, subject=subject, email=email, secret=code, ttl=ttl)
    return code


def token_issue(*, purpose: str, subject: str, email: str = "", ttl: timedelta) -> str:
    token = secrets.token_urlsafe(32)
    _issue(purpose=purpose, subject=subject, email=email, secret=token, ttl=ttl)
    return token


def _issue(*, purpose, subject, email, secret, ttl) -> None:
    now = timezone.now()
    OneTimeSecret.objects.filter(purpose=purpose, subject=subject, used_at__isnull=True).update(
        used_at=now)
    OneTimeSecret.objects.create(purpose=purpose, subject=subject, email=email,
                                 secret_hash=_hash(secret), expires_at=now + ttl)


def code_redeem(*, purpose: str, subject: str, code: str, field: str = "code") -> OneTimeSecret:
    """Check a 6-digit code typed by a person; raise ``CodeInvalid`` saying what to do."""
    typed = "".join(ch for ch in (code or "") if ch.isdigit())
    return secret_redeem(purpose=purpose, subject=subject, secret=typed, field=field,
                         wrong=_("The code is not right. Enter the 6-digit code from the "
                                 "e-mail"))


@transaction.atomic
def token_redeem(*, purpose: str, token: str) -> OneTimeSecret:
    now = timezone.now()
    row = (OneTimeSecret.objects.select_for_update()
           .filter(purpose=purpose, secret_hash=_hash(token or ""), used_at__isnull=True)
           .first())
    if row is None or row.expires_at <= now:
        raise CodeInvalid(_("This link has expired or was already used. Ask for a new link"),
                          field="token")
    row.used_at = now
    row.save(update_fields=["used_at"])
    return row


def token_peek(*, purpose: str, token: str) -> OneTimeSecret | None:
    """The unused, unexpired row of a link token, without using it up (to show a form)."""
    return (OneTimeSecret.objects
            .filter(purpose=purpose, secret_hash=_hash(token or ""), used_at__isnull=True,
                    expires_at__gt=timezone.now()).first())


def secret_store(*, purpose: str, subject: str, secret: str, ttl: timedelta,
                 email: str = "") -> None:
    """Store a secret chosen by the caller (e.g. a code printed for a counter)."""
    _issue(purpose=purpose, subject=subject, email=email, secret=secret, ttl=ttl)


def secret_redeem(*, purpose: str, subject: str, secret: str, field: str = "code",
                  wrong=None) -> OneTimeSecret:
    """Check a secret typed by a person; raise ``CodeInvalid`` saying what to do.

    A wrong attempt is committed before the error is raised, so the attempt limit holds
    even when the caller's transaction rolls back.
    """
    now = timezone.now()
    with transaction.atomic():
        row = (OneTimeSecret.objects.select_for_update()
               .filter(purpose=purpose, subject=subject, used_at__isnull=True)
               .order_by("-created_at").first())
        if row is None or row.expires_at <= now:
            problem = _("This code has expired. Ask for a new code")
        elif row.attempts >= settings.EMAIL_CODE_MAX_ATTEMPTS:
            problem = _("Too many wrong codes. Ask for a new code")
        elif not hmac.compare_digest(row.secret_hash, _hash(secret)):
            OneTimeSecret.objects.filter(pk=row.pk).update(attempts=row.attempts + 1)
            problem = wrong or _("The code is not right. Check it and try again")
        else:
            row.used_at = now
            row.save(update_fields=["used_at"])
            return row
    raise CodeInvalid(problem, field=field)
