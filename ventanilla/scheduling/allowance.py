"""The times this person may book (R-APT-14): one read that every channel asks before it
offers anything, so nobody is offered what ``services.booking_create`` would then refuse or
punish.

``booking_allowance`` gathers once, for the person booking, the person the appointment is
for, one service and one channel:

- what stops every booking (a ``Refusal``, checked when the person starts and when they
  choose for whom and what): a blocked web account (R-APT-05), a blocked channel
  (R-APT-11), no coverage for the appointment service — peasant insurance, a child who is
  18, a lapsed affiliation (R-APT-01) —, no referral for a second-level specialty
  (R-APT-08, R-APT-12), a dependant the person may not book for;
- the days it may offer: up to the last day of coverage and of the referrals;
- the days closed for this person (``ClosedDay``): a quota already full (R-APT-11) and a
  day that already has an appointment of the same specialty (R-APT-14);
- the times taken by the person's other appointments (no clash);
- on the phone, the caller's weekdays (R-APT-06).

``Allowance.restrict`` applies it to any ``selectors.slots_free`` query (dates, times, the
first available time, the empty state's other cities), ``Allowance.allows`` is its twin for
one slot, ``Allowance.room`` says how many more appointments fit that day, week and month,
and ``Allowance.final`` marks a time inside the cancellation window (R-APT-04, R-APT-13).
The booking transaction checks all of it again under its locks: this read only decides what
is offered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from ventanilla.core.channels import Channel
from ventanilla.countries.registry import get_pack

from . import quotas, rules
from .models import Booking, BookingStatus, Referral, Service, Slot

HORIZON_DAYS = 366


class RefusalReason(StrEnum):
    ACCOUNT_BLOCKED = "account_blocked"
    CHANNEL_BLOCKED = "channel_blocked"
    NOT_COVERED = "not_covered"
    PEASANT_INSURANCE = "peasant_insurance"
    CHILD_TURNED_18 = "child_turned_18"
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
        ordinals = sorted(d.toordinal() for d in self.quota_days)
        target = day.toordinal()
        out = []
        for days, limit in sorted(quotas.quotas().items()):
            if days < 1:
                continue
            held = max(sum(1 for o in ordinals if first <= o < first + days)
                       for first in range(target - days + 1, target + 1))
            out.append(QuotaRoom(days, limit, max(limit - held, 0)))
        return out


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


# --- the read --------------------------------------------------------------------------

def booking_allowance(*, person, service: Service, booked_for=None,
                      channel: Channel | str = Channel.WEB,
                      channel_key: quotas.ChannelKey | str | None = None,
                      staff: bool = False, moving: Booking | None = None,
                      now: datetime | None = None) -> Allowance:
    """What ``person`` may book of ``service`` for ``booked_for`` (themself by default)
    through ``channel``: the read every offer is filtered by (module docstring). ``staff``:
    a staff member books on the person's behalf (the call centre, a counter), so the web
    account's block does not apply; the caller's channel block does. ``moving``: the
    booking being rescheduled, which neither clashes with nor closes its own day."""
    now = now or timezone.now()
    booked_for = booked_for or person
    pack = get_pack(service.country)
    today = now.astimezone(pack.tz).date()
    base = {"country": service.country, "service": service, "booked_for_id": booked_for.pk,
            "now": now, "today": today, "notice_hours": pack.cancel_notice_hours}
    refusal = _refusal(person=person, booked_for=booked_for, service=service,
                       channel=channel, channel_key=channel_key, staff=staff, now=now,
                       today=today)
    if refusal is not None:
        return Allowance(**base, refusal=refusal)
    ends = _last_day(booked_for, service=service, today=today)
    if isinstance(ends, Refusal):
        return Allowance(**base, refusal=ends)
    last_day, last_day_reason = ends
    horizon = today + timedelta(days=HORIZON_DAYS)
    limits = quotas.quotas() if service.counts_for_quota else {}
    reach = rules.quota_horizon(limits) if limits else 0
    held = [(b, day) for b, day in _held(booked_for, country=service.country,
                                         first=today - timedelta(days=reach),
                                         last=horizon + timedelta(days=reach))
            if moving is None or b.pk != moving.pk]
    closed: dict[date, ClosedDay] = {}
    if service.is_medical:
        for booking, day in held:
            if booking.slot.service_id == service.pk and booking.status == BookingStatus.BOOKED \
                    and day >= today:
                closed[day] = ClosedDay(day, ClosedReason.SAME_SPECIALTY, _(
                    "You already have a %(specialty)s appointment that day, at %(time)s. "
                    "Keep it, or change it instead of booking another.") % {
                    "specialty": service.label,
                    "time": time_format(booking.slot.starts_at.astimezone(pack.tz),
                                        "H:i")}, booking)
    quota_days = tuple(day for booking, day in held if booking.slot.service.counts_for_quota)
    if limits:
        for ordinal in range(today.toordinal(), horizon.toordinal() + 1):
            day = date.fromordinal(ordinal)
            if day in closed:
                continue
            breach = rules.quota_breach(booked_days=quota_days, day=day, quotas=limits)
            if breach is not None:
                closed[day] = ClosedDay(day, ClosedReason.QUOTA, quotas.quota_message(breach))
    busy = tuple((b.slot.starts_at, b.slot.ends_at) for b, _day in held
                 if b.status == BookingStatus.BOOKED and b.slot.ends_at > now)
    busy += _busy_other(booked_for, now=now, horizon=_day_start(horizon, pack.tz),
                        known={b.pk for b, _day in held}
                        | ({moving.pk} if moving is not None else set()))
    weekdays = None
    if str(channel) == Channel.PHONE and service.is_medical:
        weekdays = frozenset(pack.phone_booking_weekdays(person.id_number))
    return Allowance(**base, last_day=last_day, last_day_reason=last_day_reason,
                     closed=closed, busy=busy, weekdays=weekdays, quota_days=quota_days)


def _refusal(*, person, booked_for, service, channel, channel_key, staff, now, today
             ) -> Refusal | None:

    from . import selectors

    if person.country != service.country:
        return Refusal(RefusalReason.OTHER_COUNTRY,
                       _("This service belongs to another health system."))
    if not selectors.may_book_for(person, booked_for, on=today):
        from .errors import BookedForRefused

        return Refusal(RefusalReason.NOT_FOR_THEM, str(BookedForRefused.default_message))
    if service.is_medical:
        return _blocks_refusal(person=person, booked_for=booked_for, channel=channel,
                               channel_key=channel_key, staff=staff, now=now)
    return None


def _blocks_refusal(*, person, booked_for, channel, channel_key, staff, now
                    ) -> Refusal | None:
    """A blocked web account (of either person; not when staff book) or channel."""
    from ventanilla.accounts.blocks import account_block_active, account_blocked_error

    if not staff:
        for who in dict.fromkeys((person, booked_for)):
            block = account_block_active(who)
            if block is not None:
                return Refusal(RefusalReason.ACCOUNT_BLOCKED,
                               str(account_blocked_error(block.cause, country=who.country).message))
    key = quotas.channel_key_for(channel, channel_key)
    channel_block = quotas.channel_block_active(key, now=now) if key else None
    if channel_block is not None:
        return Refusal(RefusalReason.CHANNEL_BLOCKED,
                       str(quotas.channel_blocked_error(channel_block).message),
                       until=channel_block.until)
    return None


def _coverage_refusal(coverage) -> Refusal:
    from ventanilla.affiliation.rules import Reason

    reason = {Reason.SERVICE_NOT_INCLUDED: RefusalReason.PEASANT_INSURANCE,
              Reason.CHILD_TURNED_18: RefusalReason.CHILD_TURNED_18}.get(
        coverage.reason, RefusalReason.NOT_COVERED)
    return Refusal(reason, str(coverage.message))


def booking_start_refusal(*, person, channel: Channel | str = Channel.WEB,
                          channel_key: quotas.ChannelKey | str | None = None,
                          staff: bool = False, now: datetime | None = None) -> Refusal | None:
    """Before the first step (R-APT-14: refusals come first): what stops ``person`` booking
    a medical appointment for anyone — a block, or no coverage of their own when they have
    no dependant to book for. ``booking_allowance`` answers for one person and service."""
    from ventanilla.affiliation.rules import Service as Covered
    from ventanilla.affiliation.selectors import coverage_for

    from . import selectors

    now = now or timezone.now()
    refusal = _blocks_refusal(person=person, booked_for=person, channel=channel,
                              channel_key=channel_key, staff=staff, now=now)
    if refusal is not None:
        return refusal
    today = now.astimezone(get_pack(person.country).tz).date()
    own = coverage_for(person, on=today, service=Covered.APPOINTMENTS, country=person.country)
    if own.covered:
        return None
    if selectors.people_bookable_by(person, on=today).exclude(pk=person.pk).exists():
        return None
    return _coverage_refusal(own)


def _last_day(booked_for, *, service: Service, today: date
              ) -> tuple[date | None, str] | Refusal:
    """The last local day that may be offered: coverage for the appointment service
    (R-APT-01) and, for a second-level specialty, the referrals' expiry (R-APT-08)."""
    if not service.is_medical:
        return None, ""
    from ventanilla.affiliation.rules import ADULT_AGE, birthday
    from ventanilla.affiliation.rules import Service as Covered
    from ventanilla.affiliation.selectors import coverage_for

    def covered(on: date):
        return coverage_for(booked_for, on=on, service=Covered.APPOINTMENTS,
                            country=service.country)

    def until(day: date) -> str:
        return date_format(day, "DATE_FORMAT")

    now_covered = covered(today)
    if not now_covered.covered:
        return _coverage_refusal(now_covered)
    ahead = today + timedelta(days=int(getattr(settings, "SLOTS_AHEAD_DAYS", 28)))
    last = now_covered.until                  # None: no end known
    reason = ""
    if last is not None:
        adult = birthday(booked_for.date_of_birth, ADULT_AGE) \
            if booked_for.date_of_birth else None
        reason = (_("Appointments for %(name)s can be booked up to %(date)s: a child's "
                    "coverage as a dependant ends on their 18th birthday.")
                  if adult is not None and last == adult - timedelta(days=1) else
                  _("Appointments for %(name)s can be booked up to %(date)s, when the "
                    "coverage ends.")) % {"name": booked_for.full_name, "date": until(last)}
    probe = min(last, ahead) if last else ahead
    if not covered(probe).covered:            # ends sooner (a lapse): the last covered day
        low, high = today, probe
        while high - low > timedelta(days=1):
            mid = low + (high - low) / 2
            if covered(mid).covered:
                low = mid
            else:
                high = mid
        last = low
        reason = _("Appointments for %(name)s can be booked up to %(date)s: after that "
                   "the coverage lapses (%(why)s)") % {
            "name": booked_for.full_name, "date": until(last),
            "why": str(covered(high).message).rstrip(".")} + "."
    if service.needs_referral:
        expires = (Referral.objects.filter(person=booked_for, specialty=service,
                                           status=Referral.Status.ACTIVE,
                                           issued_on__lte=today, expires_on__gte=today)
                   .order_by("-expires_on").values_list("expires_on", flat=True).first())
        if expires is None:
            from .errors import ReferralRequired

            return Refusal(RefusalReason.NEEDS_REFERRAL, str(ReferralRequired.default_message))
        if last is None or expires < last:
            last = expires
            reason = _("The referral for %(specialty)s is valid until %(date)s: appointments "
                       "after that need a new referral.") % {
                "specialty": service.label, "date": until(expires)}
    return last, reason


def _held(booked_for, *, country: str, first: date, last: date) -> list[tuple[Booking, date]]:
    """The person's medical appointments, booked or attended, between two local days: the
    ORM twin of ``sql.medical_held_sql``."""
    tz = get_pack(country).tz
    rows = (Booking.objects.select_related("slot__service")
            .filter(booked_for=booked_for,
                    status__in=[BookingStatus.BOOKED, BookingStatus.ATTENDED],
                    slot__service__kind=Service.Kind.MEDICAL,
                    slot__starts_at__gte=_day_start(first, tz),
                    slot__starts_at__lt=_day_start(last + timedelta(days=1), tz))
            .order_by("slot__starts_at"))
    return [(b, b.slot.starts_at.astimezone(tz).date()) for b in rows]


def _busy_other(booked_for, *, now: datetime, horizon: datetime, known: set[int]
                ) -> tuple[tuple[datetime, datetime], ...]:
    """The times of the person's other booked visits (office visits too): no clash."""
    return tuple(Booking.objects.filter(booked_for=booked_for, status=BookingStatus.BOOKED,
                                        slot__ends_at__gt=now, slot__starts_at__lt=horizon)
                 .exclude(pk__in=known).values_list("slot__starts_at", "slot__ends_at"))
