"""The demo's medical appointments (R-APT-11, R-APT-14): two people whose own appointments
shape what they are offered, built relative to the day the demo is loaded so they are
always ahead.

- Marcela (``1708882228``, phone days Tuesday, Thursday, Saturday) has two first-level
  appointments on her next Tuesday, Thursday or Saturday (General Medicine at 08:00 and
  Family Medicine at 10:00, in Quito): that day is full for her (at most 2 a day), while it
  still has free times for everybody else — Dentistry in Guayaquil, for one, is the day's
  first free time on her phone days, and she is not offered it.
- Washington (``0908884448``) has a Dentistry appointment at 08:00 on the first day after
  the demo is loaded with Dentistry times in Guayaquil: that day still has other Dentistry
  times, which are not offered to him (one appointment of a specialty a day).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from ventanilla.core.channels import Channel
from ventanilla.countries.registry import get_pack

from .affiliates import cedula

DAILY_LIMIT_ID = cedula("170888222")       # 1708882228
SAME_DAY_ID = cedula("090888444")          # 0908884448
PHONE_DAYS_EVEN = (1, 3, 5)                # Tuesday, Thursday, Saturday (R-APT-06)


def _today() -> date:
    return timezone.now().astimezone(get_pack("EC").tz).date()


def _free_slot(*, centre_code: str, specialty: str, day: date, at: time):
    """The first free slot of ``specialty`` at the centre on ``day`` from ``at`` on."""
    from ventanilla.scheduling.models import Slot

    tz = get_pack("EC").tz
    start = datetime.combine(day, at, tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return (Slot.objects.filter(centre__code=centre_code, service__code=specialty,
                                booked_count=0, starts_at__gte=start, starts_at__lt=end)
            .order_by("starts_at").first())


def full_day(today: date | None = None) -> date:
    """Marcela's full day: the first Tuesday, Thursday or Saturday after ``today``."""
    day = (today or _today()) + timedelta(days=1)
    while day.weekday() not in PHONE_DAYS_EVEN:
        day += timedelta(days=1)
    return day


def same_day(today: date | None = None) -> date:
    """Washington's Dentistry day: the first day after ``today`` with Dentistry (Monday to
    Saturday in Guayaquil)."""
    day = (today or _today()) + timedelta(days=1)
    while day.weekday() == 6:
        day += timedelta(days=1)
    return day


def load(people: dict) -> list:
    """Book the demo's appointments through the service, like the person would on the
    web. ``people``: the demo affiliates by ID number. Returns the bookings."""
    from ventanilla.scheduling.services import booking_create

    wanted = []
    marcela, washington = people.get(DAILY_LIMIT_ID), people.get(SAME_DAY_ID)
    if marcela is not None:
        day = full_day()
        wanted += [(marcela, "ec-med-quito-central", "general_medicine", day, time(8)),
                   (marcela, "ec-med-quito-central", "family_medicine", day, time(10))]
    if washington is not None:
        wanted.append((washington, "ec-med-gye-sur", "dentistry", same_day(), time(8)))
    bookings = []
    for person, centre, specialty, day, at in wanted:
        slot = _free_slot(centre_code=centre, specialty=specialty, day=day, at=at)
        if slot is not None:
            bookings.append(booking_create(slot=slot, person=person, channel=Channel.WEB))
    return bookings
