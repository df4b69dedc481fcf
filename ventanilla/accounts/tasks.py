"""The e-mails of accounts: the office-visit code and the link to create a clave online."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.urls import reverse

from ventanilla.notifications.messages import Email, email_message, email_render


@email_message("accounts.visitor_code",
               retry_for=lambda: timedelta(minutes=settings.EMAIL_CODE_TTL_MINUTES))
def visitor_code(*, code: str) -> Email:
    """R-REG-07: the code that lets a person without a clave book an office visit."""
    return email_render("accounts/email/visitor_code.txt", code=code)


def _clave_link_ttl() -> timedelta:
    from .clave import CLAVE_LINK_TTL

    return CLAVE_LINK_TTL


@email_message("accounts.clave_link", retry_for=_clave_link_ttl)
def clave_link(*, token: str) -> Email:
    """R-AFF-09: the link that lets a person create their clave online."""
    return email_render("accounts/email/clave_link.txt",
                        path=reverse("portal:clave_link", args=[token]))


@email_message("accounts.signin_locked")
def signin_locked(*, until: str, staff: bool) -> Email:
    """Issue 11: the owner of an ID number (or staff username) locked after failed sign-ins
    from anywhere hears of it, with the way to unlock it now."""
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    when = parse_datetime(until)
    return email_render("accounts/email/signin_locked.txt", staff=staff,
                        until=timezone.localtime(when) if when else None,
                        path=reverse("portal:clave_online"))
