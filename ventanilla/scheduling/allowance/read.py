"""``booking_allowance``: the one read of what a person may book (R-APT-14), and
``booking_start_refusal`` before the first step."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from ventanilla.core.channels import Channel
from ventanilla.countries.registry import get_pack

from .. import quotas, rules
from ..catalogue import known_service, suits_age
from ..models import Booking, BookingStatus, Referral, Service
from .types import (
    HORIZON_DAYS,
    Allowance,
    ClosedDay,
    ClosedReason,
    Refusal,
    RefusalReason,
    _day_start,
)

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
        # Only a day within a window's reach of an appointment held can be full (with every
        # limit at least 1): the others need no count, so a person with nothing booked costs
        # nothing and one with a few appointments a few dozen days, not a year of them.
        first, last = today.toordinal(), horizon.toordinal()
        if min(limits.values()) >= 1:
            candidates = sorted({o for d in quota_days
                                 for o in range(d.toordinal() - reach, d.toordinal() + reach + 1)
                                 if first <= o <= last})
        else:
            candidates = list(range(first, last + 1))
        for ordinal in candidates:
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

    from .. import selectors

    if person.country != service.country:
        return Refusal(RefusalReason.OTHER_COUNTRY,
                       _("This service belongs to another health system."))
    if not selectors.may_book_for(person, booked_for, on=today):
        from ..errors import BookedForRefused

        return Refusal(RefusalReason.NOT_FOR_THEM, str(BookedForRefused.default_message))
    if service.is_medical and not suits_age(service.code, born=booked_for.date_of_birth,
                                            on=today):
        from ..errors import SpecialtyNotForAge

        return Refusal(RefusalReason.NOT_FOR_AGE, str(SpecialtyNotForAge.default_message))
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

    from .. import selectors

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
    known = known_service(service.code)
    if known is not None and known.under_age and booked_for.date_of_birth:
        grown = birthday(booked_for.date_of_birth, known.under_age) - timedelta(days=1)
        if last is None or grown < last:
            last = grown
            reason = _("%(specialty)s can be booked for %(name)s up to %(date)s, the day "
                       "before they turn %(age)d.") % {
                "specialty": service.label, "name": booked_for.full_name,
                "date": until(grown), "age": known.under_age}
    if service.needs_referral:
        expires = (Referral.objects.filter(person=booked_for, specialty=service,
                                           status=Referral.Status.ACTIVE,
                                           issued_on__lte=today, expires_on__gte=today)
                   .order_by("-expires_on").values_list("expires_on", flat=True).first())
        if expires is None:
            from ..errors import ReferralRequired

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

