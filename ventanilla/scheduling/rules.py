"""Pure rules of the slot engine: no ORM, testable without a database.

Slot generation (R-REG-07, R-APT-10) and the cancellation window (R-APT-04, R-APT-13).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
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


@dataclass(frozen=True)
class Closure:
    """Days a centre, or one of its services (``service_id``), is closed."""

    starts_on: date
    ends_on: date
    service_id: int | None = None

    def closes(self, day: date, service_id: int) -> bool:
        return (self.starts_on <= day <= self.ends_on
                and (self.service_id is None or self.service_id == service_id))


@dataclass(frozen=True)
class SlotSpec:
    service_id: int
    starts_at: datetime          # aware, UTC
    ends_at: datetime
    capacity: int


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
    service at the same time, the first one wins.
    """
    schedules = list(schedules)
    closures = list(closures)
    out: dict[tuple[int, datetime], SlotSpec] = {}
    for day in _days(date_from, date_to):
        if day in holidays:
            continue
        for spec in schedules:
            if spec.weekday != day.weekday() or day < spec.valid_from or (
                    spec.valid_until is not None and day > spec.valid_until):
                continue
            if any(c.closes(day, spec.service_id) for c in closures):
                continue
            step = timedelta(minutes=spec.slot_minutes)
            start = datetime.combine(day, spec.start_time)
            last = datetime.combine(day, spec.end_time)
            while start + step <= last:
                starts_at = _local(day, start.time(), tz)
                ends_at = _local(day, (start + step).time(), tz)
                if starts_at is not None and ends_at is not None and ends_at > starts_at:
                    out.setdefault((spec.service_id, starts_at),
                                   SlotSpec(spec.service_id, starts_at, ends_at, spec.capacity))
                start += step
    return sorted(out.values(), key=lambda s: (s.starts_at, s.service_id))


def change_deadline(starts_at: datetime, *, notice_hours: int) -> datetime:
    """The last moment a booking may be cancelled or rescheduled (R-APT-04, R-APT-13)."""
    return starts_at - timedelta(hours=notice_hours)


def may_change(*, starts_at: datetime, now: datetime, notice_hours: int) -> bool:
    """True while at least ``notice_hours`` remain before the visit."""
    return now <= change_deadline(starts_at, notice_hours=notice_hours)


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end
