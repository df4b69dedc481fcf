"""Pure rules of the slot engine: no ORM, testable without a database.

Slot generation (R-REG-07, R-APT-10), the cancellation window (R-APT-04, R-APT-13) and the
booking quotas (R-APT-11).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo


@dataclass(frozen=True)
class ScheduleSpec:
    """What slot generation needs of a ``Schedule`` row."""

    service_id: int
    weekday: int                 # Monday = 0
    start_time: time             # local time of the centre
    end_time: time
    slot_minutes: int
    capacity: int
    valid_from: date
    valid_until: date | None = None
    doctor_id: int | None = None


@dataclass(frozen=True)
class Closure:
    """Days a centre, one of its services (``service_id``) or one doctor (``doctor_id``:
    leave) is closed."""

    starts_on: date
    ends_on: date
    service_id: int | None = None
    doctor_id: int | None = None

    def closes(self, day: date, service_id: int, doctor_id: int | None = None) -> bool:
        return (self.starts_on <= day <= self.ends_on
                and (self.service_id is None or self.service_id == service_id)
                and (self.doctor_id is None or self.doctor_id == doctor_id))


@dataclass(frozen=True)
class SlotSpec:
    service_id: int
    starts_at: datetime          # aware, UTC
    ends_at: datetime
    capacity: int
    doctor_id: int | None = None


def _days(date_from: date, date_to: date) -> Iterable[date]:
    day = date_from
    while day <= date_to:
        yield day
        day += timedelta(days=1)


def _local(day: date, at: time, tz: tzinfo) -> datetime | None:
    """``day`` at ``at`` in ``tz`` as UTC; None when that wall time does not exist (the hour
    skipped when clocks go forward)."""
    local = datetime.combine(day, at, tzinfo=tz)
    utc = local.astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return utc


def slot_specs(*, schedules: Iterable[ScheduleSpec], date_from: date, date_to: date,
               tz: tzinfo, holidays: Collection[date] = (),
               closures: Iterable[Closure] = ()) -> list[SlotSpec]:
    """The slots the schedules give between two local dates, both included.

    No slot on a national holiday (R-APT-10) or a closure; schedules apply only from
    ``valid_from`` to ``valid_until``; a slot must end by the schedule's end time. Times are
    local to the centre's country and returned in UTC. When two schedules give the same
    service (with the same doctor, or none) at the same time, the first one wins.
    """
    schedules = list(schedules)
    closures = list(closures)
    out: dict[tuple[int, int | None, datetime], SlotSpec] = {}
    for day in _days(date_from, date_to):
        if day in holidays:
            continue
        for spec in schedules:
            if spec.weekday != day.weekday() or day < spec.valid_from or (
                    spec.valid_until is not None and day > spec.valid_until):
                continue
            if any(c.closes(day, spec.service_id, spec.doctor_id) for c in closures):
                continue
            step = timedelta(minutes=spec.slot_minutes)
            start = datetime.combine(day, spec.start_time)
            last = datetime.combine(day, spec.end_time)
            while start + step <= last:
                starts_at = _local(day, start.time(), tz)
                ends_at = _local(day, (start + step).time(), tz)
                if starts_at is not None and ends_at is not None and ends_at > starts_at:
                    out.setdefault((spec.service_id, spec.doctor_id, starts_at),
                                   SlotSpec(spec.service_id, starts_at, ends_at, spec.capacity,
                                            spec.doctor_id))
                start += step
    return sorted(out.values(), key=lambda s: (s.starts_at, s.service_id, s.doctor_id or 0))


def change_deadline(starts_at: datetime, *, notice_hours: int) -> datetime:
    """The last moment a booking may be cancelled or rescheduled (R-APT-04, R-APT-13)."""
    return starts_at - timedelta(hours=notice_hours)


def may_change(*, starts_at: datetime, now: datetime, notice_hours: int) -> bool:
    """True while at least ``notice_hours`` remain before the visit."""
    return now <= change_deadline(starts_at, notice_hours=notice_hours)


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


# --- R-APT-11: booking quotas ---------------------------------------------------------------

@dataclass(frozen=True)
class QuotaBreach:
    """The first quota a new appointment would exceed: at most ``limit`` in ``days``."""

    days: int
    limit: int


def quota_room(*, booked_days: Iterable[date], day: date,
               quotas: Mapping[int, int]) -> list[tuple[int, int, int]]:
    """For each quota (shortest window first): ``(days, limit, left)``, where ``left`` is
    how many more appointments fit on ``day`` in every window of that length containing
    it (0 when one is full). ``booked_days`` are the local dates of the person's other
    appointments that count (booked or attended); ``quotas`` maps a window length in days
    to the most appointments any such window may hold ({1: 2, 7: 4, 30: 10}). Every window
    that contains ``day`` is checked, so the order in which people book does not matter."""
    ordinals = sorted(d.toordinal() for d in booked_days)
    target = day.toordinal()
    out = []
    for days, limit in sorted(quotas.items()):
        if days < 1:
            continue
        held = max(sum(1 for o in ordinals if first <= o < first + days)
                   for first in range(target - days + 1, target + 1))
        out.append((days, limit, max(limit - held, 0)))
    return out


def quota_breach(*, booked_days: Iterable[date], day: date,
                 quotas: Mapping[int, int]) -> QuotaBreach | None:
    """The first quota (shortest window first) one more appointment on ``day`` would
    exceed, if any (``quota_room`` with no room left)."""
    for days, limit, left in quota_room(booked_days=booked_days, day=day, quotas=quotas):
        if left < 1:
            return QuotaBreach(days, limit)
    return None


def quota_horizon(quotas: Mapping[int, int]) -> int:
    """How many days either side of a date the quota windows reach."""
    return max((d for d in quotas if d >= 1), default=1) - 1
