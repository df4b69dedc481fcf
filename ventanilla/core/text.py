"""Cleaning of free text typed by people before it is stored."""

from __future__ import annotations

import unicodedata


def clean_text(value: str | None, *, max_length: int | None = None,
               multiline: bool = False) -> str:
    """Drop control characters (NUL breaks PostgreSQL text), fold white space, normalise to
    NFC so that "é" typed two ways compares equal."""
    text = unicodedata.normalize("NFC", value or "")
    keep = "\n" if multiline else ""
    text = "".join(ch for ch in text if ch in keep or unicodedata.category(ch)[0] != "C")
    if multiline:
        text = "\n".join(" ".join(line.split()) for line in text.strip().splitlines())
    else:
        text = " ".join(text.split())
    return text[:max_length] if max_length else text


def mask_email(email: str) -> str:
    """An address shown back to its owner without giving it away: ``a•••@g•••.com``."""
    name, _at, domain = email.partition("@")
    return f"{name[:1]}•••@{domain[:1]}•••{domain[domain.rfind('.'):]}" if domain else ""


def mask_phone(digits: str) -> str:
    """A phone number shown back to its owner: its last 3 digits only (``•••567``)."""
    return f"•••{digits[-3:]}" if digits else ""


EMAIL_MAX_LENGTH = 254   # RFC 5321's path limit, and Django's EmailField


def email_clean(value: str | None, *, field: str = "email") -> str:
    """An e-mail address that can receive a code: cleaned, lower-cased, at most 254
    characters, of the shape Django's EmailValidator accepts with a domain that has a dot
    (``name@localhost`` reaches nobody outside). Empty stays empty: whether one is
    required is the caller's rule. Refused with ``ValidationFailed`` naming ``field``."""
    from django.core.exceptions import ValidationError
    from django.core.validators import EmailValidator
    from django.utils.translation import gettext_lazy as _

    from .errors import ValidationFailed

    address = clean_text(value).lower()
    if not address:
        return ""
    message = _("Enter an e-mail address in the correct format, like name@example.com")
    if len(address) > EMAIL_MAX_LENGTH:
        raise ValidationFailed(message, field=field)
    try:
        EmailValidator(allowlist=[])(address)
    except ValidationError:
        raise ValidationFailed(message, field=field) from None
    return address
