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
