"""Demo visiting hours: the demo loader calls ``demo_visiting_hours()`` after the centres."""

from __future__ import annotations

from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from ventanilla.countries.registry import get_pack

from .defaults import office_services_ensure
from .models import Centre, Schedule, Weekday
from .services import slots_generate

# Monday to Friday, 08:00–12:00 and 14:00–16:00, 20-minute slots, two counters.
DEMO_HOURS = ((time(8), time(12)), (time(14), time(16)))
DEMO_WEEKDAYS = (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY,
                 Weekday.FRIDAY)
DEMO_SLOT_MINUTES = 20
DEMO_CAPACITY = 2


@transaction.atomic
def demo_visiting_hours(*, days: int = 28) -> int:
    """Office visiting hours for every service centre, and their slots ``days`` ahead.
    Safe to run again: schedules are not duplicated. Returns the number of slots created."""
    created = 0
    for centre in Centre.objects.filter(kind=Centre.Kind.SERVICE, is_active=True):
        today = timezone.now().astimezone(get_pack(centre.country).tz).date()
        for service in office_services_ensure(centre.country):
            for weekday in DEMO_WEEKDAYS:
                for start, end in DEMO_HOURS:
                    Schedule.objects.get_or_create(
                        centre=centre, service=service, weekday=weekday, start_time=start,
                        defaults={"end_time": end, "slot_minutes": DEMO_SLOT_MINUTES,
                                  "capacity": DEMO_CAPACITY, "valid_from": today})
        created += slots_generate(centre=centre, date_from=today,
                                  date_to=today + timedelta(days=days)).created
    return created
