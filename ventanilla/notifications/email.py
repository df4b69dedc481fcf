"""E-mail sending. Templates render in the recipient's language; the first line is the subject."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation


def email_send(*, to: str, template: str, context: dict, language: str,
               attachments: list[tuple[str, bytes, str]] | None = None) -> None:
    with translation.override(language):
        text = render_to_string(f"notifications/email/{template}.txt",
                                {**context, "site_url": settings.SITE_URL})
    subject, _, body = text.strip().partition("\n")
    message = EmailMessage(subject=subject.strip(), body=body.strip() + "\n", to=[to],
                           from_email=settings.DEFAULT_FROM_EMAIL)
    for name, content, mimetype in attachments or []:
        message.attach(name, content, mimetype)
    message.send(fail_silently=False)


def booking_recipient(booking):
    """Who an e-mail about a booking goes to: the patient, else whoever booked it; None when
    neither has an address (reminders, copies)."""
    for who in (booking.booked_for, booking.person):
        if who.email:
            return who
    return None
