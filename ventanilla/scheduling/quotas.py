"""Sanctions of medical appointments: booking quotas with the channel block (R-APT-11) and
the no-show account block (R-APT-05).

The quotas count a person's first-level medical appointments (booked or attended) across
every channel; the windows and limits are ``settings.APPOINTMENT_QUOTAS``. A booking that
would exceed one is refused with the explanation and a warning; at the country's
``quota_block_after_attempts``-th refused attempt within ``quota_attempts_window_hours``
(3 within 24 hours by default) the channel it came through (the caller's or WhatsApp
sender's phone number, a device id, or the web account) is blocked for
``settings.APPOINTMENT_CHANNEL_BLOCK_DAYS`` days, permanently on a second offence. Nothing
over a quota is offered in the first place (``allowance``, R-APT-14).
``services.booking_create`` calls these under the lock it holds on the person, so two
bookings at the same moment cannot both slip under a quota.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ventanilla.core import rawsql
from ventanilla.core.audit import audit_record
from ventanilla.core.channels import Channel
from ventanilla.core.dates import day_text
from ventanilla.countries.registry import get_pack

from . import rules, sql
from .errors import ChannelBlocked, QuotaExceeded
from .models import Booking, BookingStatus, ChannelBlock, QuotaAttempt, Service, Slot

DEFAULT_QUOTAS = {1: 2, 7: 4, 30: 10}
KEY_MAX = 128
_NOT_DIGITS = re.compile(r"\D+")


@dataclass(frozen=True)
class ChannelKey:
    """What identifies the channel a booking came through: a phone number (call centre,
    WhatsApp), a device id (an app, the API) or a web account."""

    kind: str   # ChannelBlock.Kind
    key: str


def web_account_key(person) -> ChannelKey:
    """R-APT-11: on the web and the API the channel is the person's own account (a device id
    sent by a client would be too easy to change)."""
    from .models import ChannelBlock

    return ChannelKey(ChannelBlock.Kind.WEB, str(person.public_id))


def channel_key_for(channel: Channel | str, key: ChannelKey | str | None) -> ChannelKey | None:
    """The block key of a booking request. A plain string is a phone number on the phone and
    WhatsApp channels (digits only, so +593 99… from the call centre and 59399… from
    WhatsApp are the same number) and a device id elsewhere."""
    if key is None:
        return None
    if isinstance(key, ChannelKey):
        return key if key.key else None
    raw = key.strip()[:KEY_MAX]
    if not raw:
        return None
    if str(channel) in (Channel.PHONE, Channel.WHATSAPP):
        digits = _NOT_DIGITS.sub("", raw)
        return ChannelKey(ChannelBlock.Kind.PHONE, digits) if digits else None
    return ChannelKey(ChannelBlock.Kind.DEVICE, raw)


def quotas() -> dict[int, int]:
    configured = getattr(settings, "APPOINTMENT_QUOTAS", None)
    return {int(d): int(n) for d, n in (configured or DEFAULT_QUOTAS).items()}


def _day_start(day: date, tz) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)


@dataclass(frozen=True)
class DayCheck:
    """What the person's other medical appointments say about one more at a slot."""

    breach: rules.QuotaBreach | None   # the quota it would exceed (first level only)
    same_specialty: bool               # one of the same specialty that local day (R-APT-14)


def medical_day_check(*, booked_for, slot: Slot, exclude: Booking | None = None) -> DayCheck:
    """Would one more medical appointment at ``slot`` exceed a quota of ``booked_for``
    (R-APT-11, first-level specialties only), or be their second of that specialty on that
    local day (R-APT-14)? One statement (``sql.medical_held_sql``) over the quota windows."""
    tz = get_pack(slot.centre.country).tz
    day = slot.starts_at.astimezone(tz).date()
    limits = quotas() if slot.service.counts_for_quota else {}
    reach = rules.quota_horizon(limits) if limits else 0
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(sql.medical_held_sql(connection.vendor), [
            booked_for.pk, BookingStatus.BOOKED.value, BookingStatus.ATTENDED.value,
            Service.Kind.MEDICAL.value,
            adapt(_day_start(day - timedelta(days=reach), tz)),
            adapt(_day_start(day + timedelta(days=reach + 1), tz)),
            exclude.pk if exclude is not None else 0])
        held = [(rawsql.value(Slot, "starts_at", at).astimezone(tz).date(), service_id, level)
                for at, service_id, level in cursor.fetchall()]
    same = any(d == day and service_id == slot.service_id for d, service_id, _ in held)
    breach = (rules.quota_breach(booked_days=[d for d, _, level in held
                                              if level == Service.Level.FIRST],
                                 day=day, quotas=limits) if limits else None)
    return DayCheck(breach, same)


def quota_message(breach: rules.QuotaBreach) -> str:
    if breach.days == 1:
        return _("One person can have at most %(limit)d medical appointments a day, on all "
                 "channels together.") % {"limit": breach.limit}
    return _("One person can have at most %(limit)d medical appointments in %(days)d days, on "
             "all channels together.") % {"limit": breach.limit, "days": breach.days}


def _until_text(block: ChannelBlock) -> str:
    if block.until is None:
        return _("Booking from this %(kind)s is blocked permanently, because the limits "
                 "were exceeded before. Go to a service centre with your identity document "
                 "to book.") % {"kind": block.get_kind_display().lower()}
    tz = get_pack(block.person.country).tz if block.person is not None else None
    until = block.until.astimezone(tz) if tz else block.until
    return _("Booking from this %(kind)s is blocked until %(date)s.") % {
        "kind": block.get_kind_display().lower(), "date": day_text(until)}


def channel_block_active(key: ChannelKey, *, now: datetime) -> ChannelBlock | None:
    return (ChannelBlock.objects.select_related("person")
            .filter(kind=key.kind, key=key.key, lifted_at=None)
            .filter(Q(until=None) | Q(until__gt=now)).order_by("until").first())


def channel_check_not_blocked(key: ChannelKey | None, *, now: datetime) -> None:
    """R-APT-11: refuse a booking from a channel that exceeded the quotas."""
    if key is None:
        return
    block = channel_block_active(key, now=now)
    if block is not None:
        raise channel_blocked_error(block)


def channel_blocked_error(block: ChannelBlock) -> ChannelBlocked:
    return ChannelBlocked(
        _("The limits on medical appointments were exceeded from this %(kind)s.")
        % {"kind": block.get_kind_display().lower()} + " " + _until_text(block),
        field="channel")


def channel_block_record(*, key: ChannelKey, person, channel: Channel | str,
                         breach: rules.QuotaBreach, now: datetime) -> ChannelBlock:
    """Block the channel for the configured days, or for good when it was blocked before.
    A channel already blocked keeps its block."""
    with transaction.atomic():
        current = channel_block_active(key, now=now)
        if current is not None:
            return current
        offended_before = ChannelBlock.objects.filter(kind=key.kind, key=key.key).exists()
        days = int(getattr(settings, "APPOINTMENT_CHANNEL_BLOCK_DAYS", 30))
        block = ChannelBlock.objects.create(
            kind=key.kind, key=key.key, person=person, channel=str(channel),
            reason=quota_message(breach)[:300],
            until=None if offended_before else now + timedelta(days=days))
        audit_record(actor=None, action="channel.block", obj=block,
                     subject_ref=person.subject_ref, channel=str(channel),
                     details={"kind": key.kind, "permanent": offended_before,
                              "quota_days": breach.days, "quota_limit": breach.limit})
    block.person = person
    return block


def quota_attempt_refused(*, key: ChannelKey | None, person, channel: Channel | str,
                          breach: rules.QuotaBreach, country: str, now: datetime
                          ) -> tuple[ChannelBlock | None, int | None]:
    """Record a booking refused over a quota (R-APT-11) and block the channel once it is the
    country's ``quota_block_after_attempts``-th refused attempt from that channel within
    ``quota_attempts_window_hours``. Returns the block (or None) and how many more refused
    attempts the channel has before it is blocked (None without a channel key)."""
    if key is None:
        return None, None
    pack = get_pack(country)
    with transaction.atomic():
        current = channel_block_active(key, now=now)
        if current is not None:
            return current, 0
        QuotaAttempt.objects.create(kind=key.kind, key=key.key, person=person,
                                    channel=str(channel), attempted_at=now,
                                    quota_days=breach.days, quota_limit=breach.limit)
        since = now - timedelta(hours=pack.quota_attempts_window_hours)
        attempts = QuotaAttempt.objects.filter(kind=key.kind, key=key.key,
                                               attempted_at__gt=since,
                                               attempted_at__lte=now).count()
        left = max(pack.quota_block_after_attempts - attempts, 0)
        if left > 0:
            return None, left
    return channel_block_record(key=key, person=person, channel=channel, breach=breach,
                                now=now), 0


def _warning(kind: str, left: int, country: str) -> str:
    pack = get_pack(country)
    days = int(getattr(settings, "APPOINTMENT_CHANNEL_BLOCK_DAYS", 30))
    label = str(dict(ChannelBlock.Kind.choices).get(kind, kind)).lower()
    return ngettext(
        "Nothing was booked. The times we offer you already keep within these limits; if "
        "this %(kind)s tries once more within %(hours)d hours to book over them, booking "
        "from it will be blocked for %(days)d days.",
        "Nothing was booked. The times we offer you already keep within these limits; if "
        "this %(kind)s tries %(left)d more times within %(hours)d hours to book over them, "
        "booking from it will be blocked for %(days)d days.", left) % {
        "kind": label, "left": left, "hours": pack.quota_attempts_window_hours,
        "days": days}


def quota_refusal(breach: rules.QuotaBreach, block: ChannelBlock | None, *,
                  key: ChannelKey | None = None, left: int | None = None,
                  country: str | None = None) -> QuotaExceeded:
    """The refusal of a booking over a quota: the limit, then the block it caused or the
    warning of how many refused attempts remain before one."""
    message = quota_message(breach)
    if block is not None:
        message = f"{message} {_until_text(block)}"
    elif key is not None and left and country:
        message = f"{message} {_warning(key.kind, left, country)}"
    return QuotaExceeded(message, field="slot")


# --- every block that applies to a person (R-APT-14: the person sees it coming) -----------

@dataclass(frozen=True)
class BlockShown:
    """One block on a person's booking, as every screen that shows the person lists it."""

    channel: str                 # what is blocked: the web account, a phone number, a device
    reason: str
    until: datetime | None       # None: until staff lift it, or for good (``permanent``)
    permanent: bool = False


def blocks_of(person, *, now: datetime) -> list[BlockShown]:
    """The web account's block (R-APT-05) and every channel block (R-APT-11) that stops
    this person booking: those recorded on them, on their web account and on their
    registered mobile number, each with its end."""
    from ventanilla.accounts.blocks import account_block_active

    out: list[BlockShown] = []
    account = account_block_active(person)
    if account is not None:
        out.append(BlockShown(_("Web account (sign-in and online booking)"),
                              str(account.get_cause_display()), None))
    keys = Q(person=person) | Q(kind=ChannelBlock.Kind.WEB, key=str(person.public_id))
    phone = _NOT_DIGITS.sub("", person.mobile_phone or "")
    if phone:
        keys |= Q(kind=ChannelBlock.Kind.PHONE, key=phone)
    channel_blocks = (ChannelBlock.objects.filter(keys, lifted_at=None)
                      .filter(Q(until=None) | Q(until__gt=now)).order_by("created_at"))
    seen = set()
    for block in channel_blocks:
        if (block.kind, block.key) in seen:
            continue
        seen.add((block.kind, block.key))
        label = {ChannelBlock.Kind.WEB: _("Booking on the web and the app"),
                 ChannelBlock.Kind.PHONE: _("Booking from the phone number %(number)s")
                 % {"number": "+" + block.key},
                 ChannelBlock.Kind.DEVICE: _("Booking from a device")}.get(
            ChannelBlock.Kind(block.kind), block.kind)
        out.append(BlockShown(str(label), block.reason, block.until,
                              permanent=block.until is None))
    return out


# --- R-APT-05: no-shows -------------------------------------------------------------------

def no_shows_counted(person) -> int:
    """Missed medical appointments since the person's web account was last unblocked after
    a no-show block (staff unblocking starts the count again)."""
    from ventanilla.accounts.models import AccountBlock

    last_unblock = (AccountBlock.objects
                    .filter(person=person, cause=AccountBlock.Cause.NO_SHOWS,
                            unblocked_at__isnull=False)
                    .order_by("-unblocked_at").values_list("unblocked_at", flat=True).first())
    missed = Booking.objects.filter(booked_for=person, status=BookingStatus.NO_SHOW,
                                    slot__service__kind=Service.Kind.MEDICAL)
    if last_unblock is not None:
        missed = missed.filter(slot__starts_at__gt=last_unblock)
    return missed.count()


def no_show_sanction(*, booking: Booking, country: str):
    """After a no-show on a medical appointment: block the person's web account at the
    country's threshold (R-APT-05). Returns the block, or None."""
    from ventanilla.accounts.blocks import account_block

    person = booking.booked_for
    threshold = get_pack(country).no_show_block_after
    missed = no_shows_counted(person)
    if threshold < 1 or missed < threshold:
        return None
    return account_block(person=person, cause="no_shows",
                         detail=_("%(count)d missed medical appointments.")
                         % {"count": missed})
