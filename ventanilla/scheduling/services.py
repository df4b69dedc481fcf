"""Writes of the slot engine: slot generation and bookings (R-REG-07, R-APT-01..13).

Every channel (portal, API, call centre, WhatsApp, counter) books through these functions.
A booking takes a row lock on the slot and increments its counter with ``F()`` in the same
transaction, and the database refuses a counter above the slot's places, so no place is
ever given twice (R-APT-10). The people concerned are locked first, so one person cannot
take two visits at the same time through two channels at once, nor slip under a quota
(R-APT-11) or use one referral twice (R-APT-08) by booking twice at once.

Medical appointments are bookings of a ``Service`` of kind medical and add: the coverage
check (``eligibility``, R-APT-01), the phone-day rule (R-APT-06), the referral of
second-level specialties (``referrals``, R-APT-08, R-APT-12), the quotas with the channel
block (``quotas``, R-APT-11) and the no-show account block (R-APT-05).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.accounts.authz import staff_acting
from ventanilla.accounts.blocks import account_blocked_error, account_check_not_blocked
from ventanilla.core import rawsql
from ventanilla.core.audit import audit_record
from ventanilla.core.channels import Channel
from ventanilla.core.errors import NotFound, PermissionDenied, ValidationFailed
from ventanilla.core.text import clean_text
from ventanilla.countries.registry import get_pack

from . import alerts, quotas, referrals, rules, selectors
from .eligibility import eligibility_for
from .errors import (
    AlreadyBooked,
    BookedForRefused,
    BookingNotActive,
    CancelTooLate,
    IdempotencyKeyReused,
    PhoneDayRefused,
    SlotHeld,
    SlotTaken,
    SlotUnavailable,
)
from .models import Booking, BookingStatus, Centre, Schedule, ScheduleException, Service, Slot
from .quotas import ChannelKey

IDEMPOTENCY_KEY_MAX = 64


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


# --- bookings ----------------------------------------------------------------------------

Eligibility = Callable[..., None]


def _check_staff(actor, *, perm: str, country: str) -> bool:
    """True when a staff member acts (and may); False when the person acts themself."""
    if actor is None:
        return False
    staff_acting(actor, perm=perm, country=country)
    return True


def _clean_key(key: str | None) -> str | None:
    if key is None or not key.strip():
        return None
    key = key.strip()
    if len(key) > IDEMPOTENCY_KEY_MAX or not key.isprintable():
        raise ValidationFailed(_("The Idempotency-Key must be at most %(max)d printable "
                                 "characters.") % {"max": IDEMPOTENCY_KEY_MAX},
                               field="idempotency_key")
    return key


def _replay(existing: Booking, *, slot: Slot, booked_for) -> Booking:
    if existing.slot_id != slot.pk or existing.booked_for_id != booked_for.pk:
        raise IdempotencyKeyReused(field="idempotency_key")
    return existing


def _lock_people(*people) -> None:
    from ventanilla.people.models import Person

    pks = sorted({p.pk for p in people})
    # NO KEY: serialises bookings of these people without blocking rows that merely
    # reference them (foreign-key checks take KEY SHARE locks).
    list(Person.objects.select_for_update(no_key=True).filter(pk__in=pks).order_by("pk"))


def _lock_slot(pk: int) -> Slot:
    return (Slot.objects.select_for_update(of=("self",), no_key=True)
            .select_related("centre", "service", "doctor").get(pk=pk))


def _check_phone_day(slot: Slot, caller, channel: Channel | str) -> None:
    """R-APT-06: by phone, a medical appointment falls on a day the caller's ID allows."""
    if str(channel) != Channel.PHONE or not slot.service.is_medical:
        return
    pack = get_pack(slot.centre.country)
    allowed = pack.phone_booking_weekdays(caller.id_number)
    if _local_date(slot).weekday() not in allowed:
        from .models import Weekday

        names = ", ".join(str(Weekday(d).label) for d in sorted(allowed))
        raise PhoneDayRefused(
            _("By phone, appointments for this ID number are given on %(days)s.")
            % {"days": names}, field="slot")


def _local_date(slot: Slot) -> date:
    return slot.starts_at.astimezone(get_pack(slot.centre.country).tz).date()


def _ensure_bookable(slot: Slot, *, now: datetime) -> None:
    if slot.starts_at <= now:
        raise SlotUnavailable(_("This time has already passed. Choose a later time."),
                              field="slot")
    if not (slot.is_open and slot.centre.is_active and slot.service.is_active):
        raise SlotUnavailable(field="slot")


def _ensure_free_at_that_time(slot: Slot, booked_for, *, exclude: Booking | None = None
                              ) -> None:
    clash = Booking.objects.filter(booked_for=booked_for, status=BookingStatus.BOOKED,
                                   slot__starts_at__lt=slot.ends_at,
                                   slot__ends_at__gt=slot.starts_at)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise AlreadyBooked(field="slot")


def _check_eligibility(slot: Slot, booked_for, eligibility: Eligibility | None) -> None:
    check = eligibility or eligibility_for(slot.service.kind)
    if check is not None:
        check(booked_for=booked_for, slot=slot, on=_local_date(slot))


def _slot_for_booking(slot: Slot) -> Slot:
    """The slot with its centre and service. A slot the caller has just read with them
    (``selectors.slot_get``) is used as it is: everything that can change under a booking
    (open, start, places, clashes, active centre and service) is checked again by the
    guarded update that takes the place (``_take_place``)."""
    if Slot.centre.is_cached(slot) and Slot.service.is_cached(slot):
        return slot
    return Slot.objects.select_related("centre", "service", "doctor").get(pk=slot.pk)


@dataclass(frozen=True)
class _Locked:
    """What the row lock on the people read in the same statement."""

    block_causes: dict[int, str | None]   # person id → cause of an active account block
    channel_blocked: bool


@functools.cache
def _lock_people_sql(vendor: str, *, blocks: bool, channel: bool, two: bool) -> str:
    from ventanilla.accounts.models import AccountBlock
    from ventanilla.people.models import Person

    from .models import ChannelBlock

    person = rawsql.columns(Person).table
    block, channel_block = rawsql.columns(AccountBlock).table, rawsql.columns(ChannelBlock).table
    cols = ["p.id"]
    cols.append(f"(SELECT b.cause FROM {block} b WHERE b.person_id = p.id"  # noqa: S608
                " AND b.unblocked_at IS NULL LIMIT 1)" if blocks else "NULL")
    cols.append(f"EXISTS (SELECT 1 FROM {channel_block} k WHERE k.kind = %s"  # noqa: S608
                " AND k.key = %s AND k.lifted_at IS NULL"
                " AND (k.until IS NULL OR k.until > %s))" if channel else "NULL")
    lock = " FOR NO KEY UPDATE OF p" if connection.features.has_select_for_no_key_update else ""
    # Table names come from the models; every value is a parameter.
    return (f"SELECT {', '.join(cols)} FROM {person} p"  # noqa: S608
            f" WHERE p.id IN ({'%s, %s' if two else '%s'}) ORDER BY p.id{lock}")


def _lock_people_for_booking(person, booked_for, *, blocks: bool,
                             block_key: ChannelKey | None, now: datetime) -> _Locked:
    """Lock the people (as ``_lock_people``) and, in the same round trip, read what the
    booking checks first: their account blocks (R-APT-05) and whether the channel is
    blocked (R-APT-11). Not the idempotency key: what this statement reads comes from
    before it waited for the lock, so a booking with the same key committed meanwhile
    would be missed; the key is looked up by the next statement. Written once (it runs on
    every booking)."""
    pks = sorted({person.pk, booked_for.pk})
    params: list = []
    if block_key is not None:
        params += [block_key.kind, block_key.key, connection.ops.adapt_datetimefield_value(now)]
    params += pks
    with connection.cursor() as cursor:
        cursor.execute(_lock_people_sql(connection.vendor, blocks=blocks,
                                        channel=block_key is not None, two=len(pks) == 2),
                       params)
        rows = cursor.fetchall()
    return _Locked(block_causes={pk: cause for pk, cause, _ in rows},
                   channel_blocked=any(bool(blocked) and pk == person.pk
                                       for pk, _, blocked in rows))


@functools.cache
def _idempotent_sql(vendor: str) -> str:
    table = connection.ops.quote_name(Booking._meta.db_table)
    return (f"SELECT id FROM {table} WHERE person_id = %s"  # noqa: S608
            " AND idempotency_key = %s")


def _booking_with_key(person, key: str) -> Booking | None:
    """The person's booking made with this idempotency key (one key lookup; the booking
    itself is read only on a replay)."""
    with connection.cursor() as cursor:
        cursor.execute(_idempotent_sql(connection.vendor), [person.pk, key])
        row = cursor.fetchone()
    return Booking.objects.get(pk=row[0]) if row is not None else None


def _bookable_sql(slot: str) -> str:
    """``WHERE`` conditions (on the slot's own row, so a waiting ``UPDATE`` re-checks them)
    of a slot that may still be booked or held: open, in the future (``%s``: now), with a
    free place, of an active centre and service. Shared by ``_take_place`` and
    ``slot_hold``."""
    q = connection.ops.quote_name
    centre, service = q(Centre._meta.db_table), q(Service._meta.db_table)
    # Table names come from the models; the value is a parameter.
    return (f"is_open AND starts_at > %s AND booked_count < capacity"  # noqa: S608
            f" AND EXISTS (SELECT 1 FROM {centre} c WHERE c.id = {slot}.centre_id"
            f" AND c.is_active)"
            f" AND EXISTS (SELECT 1 FROM {service} v WHERE v.id = {slot}.service_id"
            f" AND v.is_active)")


@functools.cache
def _take_place_sql() -> str:
    """The guarded ``UPDATE`` of ``_take_place``, written once: it runs on every booking,
    and building it through the ORM (three correlated subqueries) cost more Python time
    than the statement takes in PostgreSQL. Plain SQL that SQLite runs too."""
    q = connection.ops.quote_name
    slot, booking = q(Slot._meta.db_table), q(Booking._meta.db_table)
    # Table names come from the models; every value is a parameter.
    return (
        f"UPDATE {slot} SET booked_count = booked_count + 1, updated_at = %s,"  # noqa: S608
        # the booker's own hold is used up; anyone else's stays
        f" held_until = CASE WHEN held_by_id = %s THEN NULL ELSE held_until END,"
        f" held_by_id = CASE WHEN held_by_id = %s THEN NULL ELSE held_by_id END"
        f" WHERE id = %s AND {_bookable_sql(slot)}"
        f" AND {selectors.not_held_sql('', mine=True)}"
        f" AND NOT EXISTS (SELECT 1 FROM {booking} b JOIN {slot} o ON o.id = b.slot_id"
        f" WHERE b.booked_for_id = %s AND b.status = %s"
        f" AND o.starts_at < {slot}.ends_at AND o.ends_at > {slot}.starts_at)")


def _held_by_other(slot: Slot, person, *, now: datetime) -> bool:
    """True when someone other than ``person`` holds the last free place of ``slot``."""
    return (slot.held_until is not None and slot.held_until > now
            and slot.held_by_id != person.pk and slot.booked_count + 1 >= slot.capacity)


def _ensure_place_for(slot: Slot, person, *, now: datetime) -> None:
    """Refuse when ``slot`` (read under its lock) has no place left for ``person``: all
    taken, or the last one held by someone else (``slot_hold``)."""
    if slot.booked_count >= slot.capacity:
        raise SlotTaken(field="slot")
    if _held_by_other(slot, person, now=now):
        raise SlotHeld(field="slot")


def _release_hold_of(slot: Slot, person) -> dict:
    """The fields that use up ``person``'s hold on ``slot`` when they book it."""
    return {"held_by": None, "held_until": None} if slot.held_by_id == person.pk else {}


@functools.cache
def _take_place_and_insert_sql() -> str:
    """PostgreSQL: the guarded ``UPDATE`` of ``_take_place_sql`` and the booking's
    ``INSERT`` in one statement (a data-modifying ``WITH``). The row is inserted only when
    the ``UPDATE`` took the place, so a booking that goes through costs one round trip less.
    SQLite has no data-modifying ``WITH`` and runs the two statements one after the other."""
    return (f"WITH taken AS ({_take_place_sql()} RETURNING 1) "
            + rawsql.insert_sql(Booking, connection.vendor, source="taken"))


def _took_place(slot: Slot, person) -> None:
    """``slot`` as the guarded ``UPDATE`` left it: one more place taken; ``person``'s own
    hold used up."""
    slot.booked_count += 1
    if slot.held_by_id == person.pk:
        slot.held_by, slot.held_until = None, None


def _take_place(slot: Slot, booked_for, *, now: datetime, booking: Booking,
                person=None) -> Booking:
    """Take one place of ``slot`` under its row lock and save ``booking`` (not yet saved) on
    it. On the way that succeeds this is one statement on PostgreSQL
    (``_take_place_and_insert_sql``): the ``UPDATE`` locks the row and increments the
    counter only while the slot is open, in the future, of an active centre and service, has
    a free place that nobody else holds (``slot_hold``; ``person``'s own hold is used up)
    and ``booked_for`` holds nothing at that time. When it changes no row (and so inserts
    nothing), the slot is read under the lock to refuse with the reason, in the order the
    checks always had. The database's constraints (counter ≤ places, one active booking per
    person and slot) remain the guarantee. Returns ``booking``, saved, on the slot it was
    made on."""
    person = person or booked_for
    at = connection.ops.adapt_datetimefield_value(now)
    params = [at, person.pk, person.pk, slot.pk, at, at, person.pk, booked_for.pk,
              BookingStatus.BOOKED.value]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_take_place_and_insert_sql(),
                           params + rawsql.insert_values(booking))
            if cursor.rowcount:
                _took_place(slot, person)
                return rawsql.inserted(booking, cursor)
        else:
            cursor.execute(_take_place_sql(), params)
            if cursor.rowcount:
                _took_place(slot, person)
                return rawsql.insert(booking)
    locked = _lock_slot(slot.pk)
    _ensure_bookable(locked, now=now)
    _ensure_free_at_that_time(locked, booked_for)
    _ensure_place_for(locked, person, now=now)
    # Free after all (what stood in the way was released while the update waited).
    Slot.objects.filter(pk=locked.pk).update(booked_count=F("booked_count") + 1,
                                             updated_at=now, **_release_hold_of(locked, person))
    _took_place(locked, person)
    booking.slot = locked
    return rawsql.insert(booking)


@functools.cache
def _hold_sql() -> str:
    """The guarded ``UPDATE`` of ``slot_hold``. Every condition is on the slot's row (the
    centre and service in ``EXISTS``), so when two holds race, the second re-checks them on
    the row the first left (PostgreSQL re-evaluates the ``WHERE`` of an ``UPDATE`` that
    waited for the row lock; it would not re-run an ``id IN (SELECT …)``)."""
    slot = connection.ops.quote_name(Slot._meta.db_table)
    # The table name comes from the model; every value is a parameter.
    return (
        f"UPDATE {slot} SET held_by_id = %s, held_until = %s, updated_at = %s"  # noqa: S608
        f" WHERE id = %s AND {_bookable_sql(slot)}"
        f" AND (held_until IS NULL OR held_until <= %s OR held_by_id = %s)")


def slot_hold(*, slot: Slot, person, now: datetime | None = None) -> datetime | None:
    """Hold the chosen time for ``person`` while they check and confirm it on the web
    (``SLOT_HOLD_MINUTES``, 10 by default): until then nobody else is offered its last free
    place or may book it, on any channel (``selectors.slots_free``, ``_take_place``). A
    person holds one time at most: holding another releases the first; booking the held
    time uses the hold up; an unused hold simply expires. Holding again extends it.

    Returns until when the time is held, or None when it is still free for ``person`` but
    someone else holds one of its several places (there is room for both). Raises
    ``SlotTaken`` / ``SlotHeld`` / ``SlotUnavailable`` when ``person`` could not book it."""
    now = now or timezone.now()
    until = now + timedelta(minutes=settings.SLOT_HOLD_MINUTES)
    with transaction.atomic():
        Slot.objects.filter(held_by=person).exclude(pk=slot.pk).update(held_by=None,
                                                                       held_until=None)
        at = connection.ops.adapt_datetimefield_value(now)
        with connection.cursor() as cursor:
            cursor.execute(_hold_sql(), [person.pk, connection.ops.adapt_datetimefield_value(
                until), at, slot.pk, at, at, person.pk])
            held = cursor.rowcount
        if held:
            slot.held_by, slot.held_until = person, until
            return until
        locked = _lock_slot(slot.pk)
        _ensure_bookable(locked, now=now)
        _ensure_place_for(locked, person, now=now)
        return None


def booking_create(*, slot: Slot, person, booked_for=None, channel: Channel | str,
                   actor=None, idempotency_key: str | None = None, case=None,
                   purpose: str = "", eligibility: Eligibility | None = None,
                   channel_key: ChannelKey | str | None = None,
                   now: datetime | None = None) -> Booking:
    """Book one place of ``slot`` for ``booked_for`` (``person`` or one of their dependants).

    ``actor`` is the staff member booking on the person's behalf (call centre, counter), who
    needs ``scheduling.add_booking`` and is audited; without an actor the person books
    themself, which a blocked web account may not (R-APT-05). The same ``idempotency_key``
    from the same person returns the first booking. ``eligibility`` overrides the check
    registered for the service's kind (none for office visits; coverage for medical ones).

    Medical appointments also: follow the caller's phone days on the phone channel
    (R-APT-06); consume a referral for a second-level specialty (R-APT-08, R-APT-12); count
    against the person's quotas (R-APT-11) — ``channel_key`` (the caller's or WhatsApp
    sender's number, a device id, or a ``quotas.ChannelKey``) is refused while blocked and
    blocked when the booking would exceed a quota.

    The hot path (docs/scheduling.md, "Performance"): one transaction that locks the people
    and reads their account blocks and the channel block in the same statement; then the
    idempotency key (when sent), the coverage, the quota window (first-level specialties
    only) or the referral (second-level only); one statement that takes the place under
    the slot's row lock with a guarded ``UPDATE`` and inserts the booking (two on SQLite).
    """
    now = now or timezone.now()
    booked_for = booked_for or person
    slot = _slot_for_booking(slot)
    staff = _check_staff(actor, perm="scheduling.add_booking", country=slot.centre.country)
    medical = slot.service.is_medical
    try:
        key, key_error = _clean_key(idempotency_key), None
    except ValidationFailed as exc:
        key, key_error = None, exc
    block_key = quotas.channel_key_for(channel, channel_key) if medical else None
    purpose = clean_text(purpose, max_length=300)
    try:
        with transaction.atomic():
            state = _lock_people_for_booking(person, booked_for, blocks=not staff,
                                             block_key=block_key, now=now)
            if not staff:
                for who in ((person, booked_for) if medical else (person,)):
                    cause = state.block_causes.get(who.pk)
                    if cause is not None:
                        raise account_blocked_error(cause, country=who.country)
            if key_error is not None:
                raise key_error
            if key is not None:
                existing = _booking_with_key(person, key)
                if existing is not None:
                    return _replay(existing, slot=slot, booked_for=booked_for)
            if state.channel_blocked:
                quotas.channel_check_not_blocked(block_key, now=now)
            if person.country != slot.centre.country:
                raise SlotUnavailable(_("This centre belongs to another health system."),
                                      field="slot")
            day = _local_date(slot)
            if not selectors.may_book_for(person, booked_for, on=day):
                raise BookedForRefused(field="booked_for")
            if case is not None and case.person_id not in (person.pk, booked_for.pk):
                raise ValidationFailed(_("This case belongs to someone else."), field="case")
            _check_phone_day(slot, person, channel)
            _check_eligibility(slot, booked_for, eligibility)
            breach = quotas.quota_breach_for(booked_for=booked_for, slot=slot)
            if breach is not None:
                raise _QuotaBreached(breach)
            referral = (referrals.referral_take(person=booked_for, specialty=slot.service,
                                                on=day)
                        if slot.service.needs_referral else None)
            booking = _take_place(slot, booked_for, now=now, person=person, booking=Booking(
                slot=slot, person=person, booked_for=booked_for, channel=channel,
                booked_by=actor if staff else None, idempotency_key=key, purpose=purpose,
                case=case))
            slot = booking.slot
            if referral is not None:
                referrals.referral_use(referral, booking=booking)
            if staff:
                audit_record(actor=actor, action="booking.create", obj=booking,
                             subject_ref=booked_for.subject_ref, channel=str(channel),
                             details={"slot": str(slot.public_id),
                                      "starts_at": slot.starts_at.isoformat(),
                                      "for": booked_for.subject_ref})
    except _QuotaBreached as exc:
        # The booking rolled back; the sanction is recorded on its own (R-APT-11).
        block = None
        if block_key is not None:
            block = quotas.channel_block_record(key=block_key, person=booked_for,
                                                channel=channel, breach=exc.breach, now=now)
        raise quotas.quota_refusal(exc.breach, block) from None
    except IntegrityError as exc:
        # Only a bug or a race the locks did not cover reaches here; the database refused.
        if key is not None:
            existing = _booking_with_key(person, key)
            if existing is not None:
                return _replay(existing, slot=slot, booked_for=booked_for)
        raise SlotTaken(field="slot") from exc
    return booking


class _QuotaBreached(Exception):
    def __init__(self, breach: rules.QuotaBreach):
        super().__init__(breach)
        self.breach = breach


def _acting_on(booking: Booking, *, actor, by_person, perm: str,
               country: str | None = None) -> bool:
    """Check who may change ``booking``; True when staff act. An affiliate asking about a
    booking that is not theirs gets NotFound, as if it did not exist."""
    if country is None:
        country = Slot.objects.values_list("centre__country", flat=True).get(
            pk=booking.slot_id)
    staff = _check_staff(actor, perm=perm, country=country)
    if by_person is not None and by_person.pk not in (booking.person_id, booking.booked_for_id):
        raise NotFound(field="booking")
    return staff


def _ensure_in_window(slot: Slot, *, now: datetime) -> None:
    hours = get_pack(slot.centre.country).cancel_notice_hours
    if not rules.may_change(starts_at=slot.starts_at, now=now, notice_hours=hours):
        if slot.service.is_medical:
            raise CancelTooLate(
                _("Medical appointments can be cancelled or changed only up to %(hours)d "
                  "hours before they start.") % {"hours": hours}, field="booking")
        raise CancelTooLate(
            _("Visits can be cancelled or changed only up to %(hours)d hours before they "
              "start.") % {"hours": hours}, field="booking")


def _slot_of(booking: Booking) -> Slot:
    """The booking's slot with its centre and service: as the caller read it when it did
    (``selectors.booking_get_for``), else read now. None of what the cancellation reads of
    it (start, country, kind, level) changes once the slot exists."""
    if Booking.slot.is_cached(booking):
        slot = booking.slot
        if Slot.centre.is_cached(slot) and Slot.service.is_cached(slot):
            return slot
    booking.slot = Slot.objects.select_related("centre", "service", "doctor").get(
        pk=booking.slot_id)
    return booking.slot


@functools.cache
def _lock_booking_sql(vendor: str) -> str:
    table = connection.ops.quote_name(Booking._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    # The table name comes from the model; the id is a parameter.
    return f"SELECT status, slot_id FROM {table} WHERE id = %s{lock}"  # noqa: S608


def _lock_booking(booking: Booking) -> str:
    """Lock the booking's row and return its status as it is now (another request may
    have cancelled or moved it since the caller read it; then the caller's copy is read
    again)."""
    with connection.cursor() as cursor:
        cursor.execute(_lock_booking_sql(connection.vendor), [booking.pk])
        status, slot_id = cursor.fetchone()
    if slot_id != booking.slot_id:   # moved meanwhile: the slot to free is the new one
        booking.refresh_from_db()
        _slot_of(booking)
    return status


@functools.cache
def _cancel_sql() -> tuple[str, str]:
    q = connection.ops.quote_name
    slot, booking = q(Slot._meta.db_table), q(Booking._meta.db_table)
    # Table names come from the models; every value is a parameter.
    return (f"UPDATE {slot} SET booked_count = booked_count - 1, updated_at = %s"  # noqa: S608
            " WHERE id = %s",
            f"UPDATE {booking} SET status = %s, cancelled_at = %s,"  # noqa: S608
            " cancelled_by_id = %s, updated_at = %s WHERE id = %s")


def _free_place_and_cancel(booking: Booking, *, now: datetime) -> None:
    """Give the place back and save the cancellation: two statements written once."""
    at = connection.ops.adapt_datetimefield_value(now)
    free, cancel = _cancel_sql()
    with connection.cursor() as cursor:
        cursor.execute(free, [at, booking.slot_id])
        cursor.execute(cancel, [booking.status, at, booking.cancelled_by_id, at, booking.pk])


def booking_cancel(*, booking: Booking, channel: Channel | str, actor=None, by_person=None,
                   now: datetime | None = None) -> Booking:
    """Cancel a booking and free its place at once. Refused inside the country's notice
    window (R-APT-04: 12 hours by default, R-APT-13: 24 in Peru). ``by_person`` is the
    affiliate acting (the one who booked or the one it is for); ``actor`` staff with
    ``scheduling.change_booking`` (audited). Cancelling a cancelled booking changes nothing.
    """
    now = now or timezone.now()
    slot = _slot_of(booking)
    staff = _acting_on(booking, actor=actor, by_person=by_person,
                       perm="scheduling.change_booking", country=slot.centre.country)
    with transaction.atomic():
        status = _lock_booking(booking)
        if status == BookingStatus.CANCELLED:
            booking.refresh_from_db()
            return booking
        if status != BookingStatus.BOOKED:
            raise BookingNotActive(field="booking")
        slot = _slot_of(booking)   # the same, unless it was moved meanwhile
        _ensure_in_window(slot, now=now)
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.cancelled_by = actor if staff else None
        booking.updated_at = now
        _free_place_and_cancel(booking, now=now)
        alerts.slot_alerts_on_commit(slot=slot)   # someone may be waiting for this time
        if slot.service.needs_referral:
            referrals.referral_release(booking=booking)
        if staff:
            audit_record(actor=actor, action="booking.cancel", obj=booking,
                         subject_ref=booking.booked_for.subject_ref, channel=str(channel),
                         details={"slot": str(slot.public_id),
                                  "starts_at": slot.starts_at.isoformat()})
    return booking


def booking_reschedule(*, booking: Booking, new_slot: Slot, channel: Channel | str,
                       actor=None, by_person=None, eligibility: Eligibility | None = None,
                       now: datetime | None = None) -> Booking:
    """Move a booking to another time of the same service, atomically: the new place is
    taken and the old one freed together, or nothing changes. Same notice window as
    cancelling (R-APT-04, R-APT-13). The booking keeps its public id."""
    now = now or timezone.now()
    staff = _acting_on(booking, actor=actor, by_person=by_person,
                       perm="scheduling.change_booking")
    if not staff:
        account_check_not_blocked(by_person or booking.person)
    new_slot = Slot.objects.select_related("centre", "service").get(pk=new_slot.pk)
    old_service, old_country = Slot.objects.values_list(
        "service_id", "centre__country").get(pk=booking.slot_id)
    if new_slot.service_id != old_service or new_slot.centre.country != old_country:
        raise SlotUnavailable(_("Choose a time of the same service."), field="slot")
    _check_phone_day(new_slot, booking.person, channel)
    _check_eligibility(new_slot, booking.booked_for, eligibility)
    with transaction.atomic():
        _lock_people(booking.booked_for)
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.status != BookingStatus.BOOKED:
            raise BookingNotActive(field="booking")
        if locked.slot_id == new_slot.pk:
            return locked
        breach = quotas.quota_breach_for(booked_for=locked.booked_for, slot=new_slot,
                                         exclude=locked)
        if breach is not None:
            raise quotas.quota_refusal(breach, None)
        if new_slot.service.needs_referral:
            referrals.referral_check_date(booking=locked, on=_local_date(new_slot))
        slots = {s.pk: s for s in Slot.objects.select_for_update(of=("self",), no_key=True)
                 .select_related("centre", "service")
                 .filter(pk__in=[locked.slot_id, new_slot.pk]).order_by("pk")}
        old, new = slots[locked.slot_id], slots[new_slot.pk]
        _ensure_in_window(old, now=now)
        _ensure_bookable(new, now=now)
        _ensure_free_at_that_time(new, locked.booked_for, exclude=locked)
        mover = by_person or locked.person
        _ensure_place_for(new, mover, now=now)
        Slot.objects.filter(pk=old.pk).update(booked_count=F("booked_count") - 1,
                                              updated_at=now)
        Slot.objects.filter(pk=new.pk).update(booked_count=F("booked_count") + 1,
                                              updated_at=now, **_release_hold_of(new, mover))
        locked.slot = new
        locked.save(update_fields=["slot", "updated_at"])
        alerts.slot_alerts_on_commit(slot=old)
        if staff:
            audit_record(actor=actor, action="booking.reschedule", obj=locked,
                         subject_ref=locked.booked_for.subject_ref, channel=str(channel),
                         details={"from": old.starts_at.isoformat(),
                                  "to": new.starts_at.isoformat(),
                                  "slot": str(new.public_id)})
    return locked


ATTENDED_EARLY = timedelta(hours=1)


def booking_attendance_record(*, booking: Booking, attended: bool, actor,
                              now: datetime | None = None) -> Booking:
    """Staff of the visit's centre record whether the person came (R-APT-05 counts the
    no-shows). "Came" can be recorded from an hour before the start (people arrive early);
    "did not come" only once the visit has started."""
    now = now or timezone.now()
    _acting_on(booking, actor=actor, by_person=None, perm="scheduling.change_booking")
    if actor is None:
        raise PermissionDenied()
    if getattr(actor, "centre_id", None) and actor.centre_id != booking.slot.centre_id:
        raise PermissionDenied(_("Only the staff of the visit's centre record attendance."))
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.status != BookingStatus.BOOKED:
            raise BookingNotActive(field="booking")
        starts_at, kind, level, country = Slot.objects.values_list(
            "starts_at", "service__kind", "service__level", "centre__country",
        ).get(pk=locked.slot_id)
        if now < starts_at - (ATTENDED_EARLY if attended else timedelta(0)):
            raise ValidationFailed(_("Attendance can be recorded once the visit has started."),
                                   field="booking")
        locked.status = BookingStatus.ATTENDED if attended else BookingStatus.NO_SHOW
        locked.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="booking.attendance", obj=locked,
                     subject_ref=locked.booked_for.subject_ref,
                     channel=Channel.BACK_OFFICE, details={"status": locked.status})
        if not attended and kind == Service.Kind.MEDICAL:
            if level >= Service.Level.SECOND:
                referrals.referral_void(booking=locked)      # R-APT-08
            quotas.no_show_sanction(booking=locked, country=country)   # R-APT-05
    return locked
