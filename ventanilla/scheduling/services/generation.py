"""Slot generation: a centre's future slots in line with its schedules, holidays and
closures (R-REG-07, R-APT-10)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ventanilla.countries.registry import get_pack

from .. import alerts, rules
from ..models import Centre, Schedule, ScheduleException, Service, Slot

# --- slot generation ---------------------------------------------------------------------

@dataclass(frozen=True)
class SlotsGenerated:
    created: int
    closed: int      # open slots whose time is no longer offered (closure, schedule ended)
    reopened: int


def slots_generate(*, centre: Centre, service: Service | None = None, date_from: date,
                   date_to: date, now: datetime | None = None) -> SlotsGenerated:
    """Bring the centre's future slots between two local dates (both included) in line with
    its schedules, holidays and closures. Idempotent: running it twice gives the same slots.

    Missing slots are created; open slots that are no longer offered (a closure added, a
    schedule ended) are closed, keeping the bookings they hold; closed slots offered again
    are reopened. A slot's places are not changed once created.
    """
    now = now or timezone.now()
    if not centre.is_active or date_to < date_from:
        return SlotsGenerated(0, 0, 0)
    pack = get_pack(centre.country)
    schedules = (Schedule.objects.filter(centre=centre, is_active=True,
                                         service__is_active=True,
                                         service__country=centre.country)
                 .filter(Q(doctor=None) | Q(doctor__is_active=True)))
    exceptions = ScheduleException.objects.filter(centre=centre, starts_on__lte=date_to,
                                                  ends_on__gte=date_from)
    slots = Slot.objects.filter(centre=centre)
    if service is not None:
        schedules = schedules.filter(service=service)
        slots = slots.filter(service=service)
    holidays: set[date] = set()
    for year in range(date_from.year, date_to.year + 1):
        holidays.update(pack.holidays(year))
    specs = rules.slot_specs(
        schedules=[rules.ScheduleSpec(
            service_id=s.service_id, weekday=s.weekday, start_time=s.start_time,
            end_time=s.end_time, slot_minutes=s.slot_minutes, capacity=s.capacity,
            valid_from=s.valid_from, valid_until=s.valid_until, doctor_id=s.doctor_id)
            for s in schedules],
        date_from=date_from, date_to=date_to, tz=pack.tz, holidays=holidays,
        closures=[rules.Closure(e.starts_on, e.ends_on, e.service_id, e.doctor_id)
                  for e in exceptions])
    wanted = {(s.service_id, s.doctor_id, s.starts_at): s for s in specs if s.starts_at > now}
    lower = max(now, datetime.combine(date_from, time.min, tzinfo=pack.tz))
    upper = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=pack.tz)
    existing = {
        (service_id, doctor_id, starts_at): (pk, is_open)
        for pk, service_id, doctor_id, starts_at, is_open in slots.filter(
            starts_at__gt=lower, starts_at__lt=upper,
        ).values_list("pk", "service_id", "doctor_id", "starts_at", "is_open")
    }
    missing = [Slot(centre=centre, service_id=s.service_id, doctor_id=s.doctor_id,
                    starts_at=s.starts_at, ends_at=s.ends_at, capacity=s.capacity)
               for key, s in wanted.items() if key not in existing]
    to_close = [pk for key, (pk, is_open) in existing.items() if is_open and key not in wanted]
    to_reopen = [pk for key, (pk, is_open) in existing.items() if not is_open and key in wanted]
    with transaction.atomic():
        # a concurrent run may insert the same slot: the unique key makes that a no-op
        Slot.objects.bulk_create(missing, ignore_conflicts=True, batch_size=500)
        if to_close:
            Slot.objects.filter(pk__in=to_close).update(is_open=False, updated_at=now)
        if to_reopen:
            Slot.objects.filter(pk__in=to_reopen).update(is_open=True, updated_at=now)
    return SlotsGenerated(len(missing), len(to_close), len(to_reopen))


def slots_generate_ahead(*, days: int = 28, country: str | None = None,
                         centre_code: str | None = None,
                         now: datetime | None = None) -> SlotsGenerated:
    """``slots_generate`` for every active centre from today (local) to ``days`` ahead;
    when it created or reopened slots, the people waiting for a free time are told
    (``alerts``)."""
    now = now or timezone.now()
    centres = Centre.objects.filter(is_active=True)
    if country:
        centres = centres.filter(country=country.upper())
    if centre_code:
        centres = centres.filter(code=centre_code)
    created = closed = reopened = 0
    for centre in centres:
        today = now.astimezone(get_pack(centre.country).tz).date()
        result = slots_generate(centre=centre, date_from=today,
                                date_to=today + timedelta(days=days), now=now)
        created += result.created
        closed += result.closed
        reopened += result.reopened
    if created or reopened:
        alerts.slot_alerts_after_generation_on_commit()
    return SlotsGenerated(created, closed, reopened)
