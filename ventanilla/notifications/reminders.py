"""The day-before reminder by e-mail (R-APT-09), run daily by `ventanilla reminders_send`
(with the WhatsApp reminders for people who opted in there)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from ventanilla.countries.registry import all_packs

from .email import booking_recipient
from .models import BookingReminder


def email_reminders_send(*, now: datetime | None = None) -> int:
    """Queue an e-mail for every booking (medical appointment or office visit) of tomorrow,
    local day of each country, to the patient or else the person who booked. Returns the
    number queued; each booking is reminded once."""
    from ventanilla.scheduling.selectors import bookings_starting_on

    from . import tasks

    now = now or timezone.now()
    queued = 0
    for pack in all_packs():
        tomorrow = timezone.localtime(now, pack.tz).date() + timedelta(days=1)
        for booking in bookings_starting_on(country=pack.code, day=tomorrow).iterator():
            if booking_recipient(booking) is None:
                continue
            try:
                with transaction.atomic():
                    BookingReminder.objects.create(booking=booking, channel="email")
                    transaction.on_commit(partial(tasks.send_booking_reminder.enqueue,
                                                  booking_id=str(booking.public_id)))
            except IntegrityError:  # already reminded
                continue
            queued += 1
    return queued
