"""The answer of ``booking_allowance``: what a person may book, and its checks on one
slot or query (R-APT-14)."""


from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from ventanilla.countries.registry import get_pack

from .. import quotas, rules
from ..models import Booking, Service, Slot

HORIZON_DAYS = 366


class RefusalReason(StrEnum):
    ACCOUNT_BLOCKED = "account_blocked"
    CHANNEL_BLOCKED = "channel_blocked"
    NOT_COVERED = "not_covered"
    PEASANT_INSURANCE = "peasant_insurance"
    CHILD_TURNED_18 = "child_turned_18"
    NOT_FOR_AGE = "not_for_age"
    NEEDS_REFERRAL = "needs_referral"
    NOT_FOR_THEM = "not_for_them"
    OTHER_COUNTRY = "other_country"


class ClosedReason(StrEnum):
    QUOTA = "quota"
    SAME_SPECIALTY = "same_specialty"


@dataclass(frozen=True)
class Refusal:
    """Why nothing of this service can be booked for this person now."""

    reason: RefusalReason
    message: str
    until: datetime | None = None    # a block's end; None: permanent or not a block

    @property
    def care_reason(self) -> str | None:
        """The country pack's ``care_elsewhere`` entry that says where this person is seen
        instead (R-HLP-01), when the refusal is about their coverage."""
        return {RefusalReason.PEASANT_INSURANCE: "peasant_insurance",
                RefusalReason.NOT_COVERED: "not_covered",
                RefusalReason.CHILD_TURNED_18: "not_covered"}.get(self.reason)

    @property
    def specialty_only(self) -> bool:
        """Refused for this specialty only: another specialty may still be booked."""
        return self.reason in (RefusalReason.NEEDS_REFERRAL, RefusalReason.NOT_FOR_AGE)

    def care_elsewhere(self, country: str):
        """Where this person is seen instead, from the country pack, or None."""
        from ventanilla.countries.registry import get_pack

        reason = self.care_reason
        return get_pack(country).care_elsewhere(reason) if reason else None


@dataclass(frozen=True)
class ClosedDay:
    day: date
    reason: ClosedReason
    message: str
    booking: Booking | None = None   # the same-specialty appointment of that day


@dataclass(frozen=True)
class QuotaRoom:
    """How many more first-level appointments fit in a quota's window around a day."""

    days: int
    limit: int
    left: int


@dataclass(frozen=True)
class Allowance:
    country: str
    service: Service
    booked_for_id: int
    now: datetime
    today: date
    refusal: Refusal | None = None
    last_day: date | None = None               # the last day that may be offered
    last_day_reason: str = ""                  # why it ends there, in the person's words
    closed: dict[date, ClosedDay] = field(default_factory=dict)
    busy: tuple[tuple[datetime, datetime], ...] = ()
    weekdays: frozenset[int] | None = None
    quota_days: tuple[date, ...] = ()          # first-level appointments held (local days)
    notice_hours: int = 12

    @property
    def tz(self):
        return get_pack(self.country).tz

    # --- what may be offered -------------------------------------------------------------

    def restrict(self, qs: QuerySet[Slot]) -> QuerySet[Slot]:
        """``qs`` (of ``selectors.slots_free``) without what this person may not book."""
        if self.refusal is not None:
            return qs.none()
        if self.last_day is not None:
            qs = qs.filter(starts_at__lt=_day_start(self.last_day + timedelta(days=1),
                                                    self.tz))
        for first, last in _runs(sorted(self.closed)):
            qs = qs.exclude(starts_at__gte=_day_start(first, self.tz),
                            starts_at__lt=_day_start(last + timedelta(days=1), self.tz))
        for start, end in self.busy:
            qs = qs.exclude(Q(starts_at__lt=end) & Q(ends_at__gt=start))
        if self.weekdays is not None and self.weekdays != frozenset(range(7)):
            from django.db.models.functions import ExtractIsoWeekDay

            qs = (qs.annotate(allowance_weekday=ExtractIsoWeekDay("starts_at", tzinfo=self.tz))
                  .filter(allowance_weekday__in=[d + 1 for d in self.weekdays]))
        return qs

    def allows(self, slot: Slot) -> bool:
        """``restrict``'s twin for one slot (tests prove the two agree)."""
        if self.refusal is not None:
            return False
        day = self.local_day(slot.starts_at)
        if self.last_day is not None and day > self.last_day:
            return False
        if day in self.closed:
            return False
        if any(rules.overlaps(slot.starts_at, slot.ends_at, s, e) for s, e in self.busy):
            return False
        return self.weekdays is None or day.weekday() in self.weekdays

    def why_not(self, slot: Slot) -> str | None:
        """What stops this person booking ``slot`` (a time picked from an old page)."""
        if self.refusal is not None:
            return self.refusal.message
        day = self.local_day(slot.starts_at)
        if self.last_day is not None and day > self.last_day:
            return self.last_day_reason
        if day in self.closed:
            return self.closed[day].message
        if any(rules.overlaps(slot.starts_at, slot.ends_at, s, e) for s, e in self.busy):
            return _("This person already has an appointment at that time.")
        if self.weekdays is not None and day.weekday() not in self.weekdays:
            return _("By phone, appointments for this ID number are given on other days.")
        return None

    def local_day(self, at: datetime) -> date:
        return at.astimezone(self.tz).date()

    # --- what the person sees coming ---------------------------------------------------

    def final(self, starts_at: datetime) -> bool:
        """Inside the cancellation window already: once booked, it cannot be changed or
        cancelled online (R-APT-04, R-APT-13)."""
        return not rules.may_change(starts_at=starts_at, now=self.now,
                                    notice_hours=self.notice_hours)

    def room(self, day: date) -> list[QuotaRoom]:
        """For each quota, how many more first-level appointments fit in every window of
        its length around ``day`` (0 when full); empty when the service does not count."""
        if not self.service.counts_for_quota:
            return []
        return [QuotaRoom(days, limit, left) for days, limit, left in rules.quota_room(
            booked_days=self.quota_days, day=day, quotas=quotas.quotas())]


def _day_start(day: date, tz) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) runs: one exclusion per run."""
    out: list[tuple[date, date]] = []
    for day in days:
        if out and out[-1][1] + timedelta(days=1) == day:
            out[-1] = (out[-1][0], day)
        else:
            out.append((day, day))
    return out


