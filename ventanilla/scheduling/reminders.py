"""The day-before reminder by e-mail (R-APT-09), run daily by `ventanilla reminders_send`
(with the WhatsApp reminders for people who opted in there)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from ventanilla.countries.registry import all_packs

from . import tasks


def email_reminders_send(*, now: datetime | None = None) -> int:
    """Queue an e-mail for every booking (medical appointment or office visit) of tomorrow,
    local day of each country, to the patient or else the person who booked. Returns the
    number queued; each booking is reminded once (the outbox key), however often this
    runs."""
    from .selectors import bookings_starting_on

    now = now or timezone.now()
    queued = 0
    for pack in all_packs():
        tomorrow = timezone.localtime(now, pack.tz).date() + timedelta(days=1)
        for booking in bookings_starting_on(country=pack.code, day=tomorrow).iterator():
            to = tasks.booking_recipient(booking)
            if to is None:
                continue
            with transaction.atomic():
                if tasks.booking_reminder.queue(
                        to=to.email, language=to.language,
                        key=f"booking_reminder:email:{booking.public_id}",
                        booking_id=str(booking.public_id)) is not None:
                    queued += 1
    return queued
