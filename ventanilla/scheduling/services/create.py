"""Booking a place: ``booking_create`` and its hot path (R-APT-01..12)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.accounts.blocks import account_blocked_error
from ventanilla.core import rawsql
from ventanilla.core.audit import audit_record
from ventanilla.core.channels import Channel
from ventanilla.core.errors import ValidationFailed
from ventanilla.core.text import clean_text

from .. import quotas, referrals, rules, selectors, sql
from ..errors import (
    BookedForRefused,
    SameSpecialtySameDay,
    SlotTaken,
    SlotUnavailable,
)
from ..models import Booking, BookingStatus, Slot
from ..quotas import ChannelKey
from . import checks


@dataclass(frozen=True)
class _Locked:
    """What the row lock on the people read in the same statement."""

    block_causes: dict[int, str | None]   # person id → cause of an active account block
    channel_blocked: bool


def _lock_people_for_booking(person, booked_for, *, blocks: bool,
                             block_key: ChannelKey | None, now: datetime) -> _Locked:
    """Lock the people (as ``checks.lock_people``) and, in the same round trip, read what the
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
        cursor.execute(sql.lock_people_sql(connection.vendor, blocks=blocks,
                                        channel=block_key is not None, two=len(pks) == 2),
                       params)
        rows = cursor.fetchall()
    return _Locked(block_causes={pk: cause for pk, cause, _ in rows},
                   channel_blocked=any(bool(blocked) and pk == person.pk
                                       for pk, _, blocked in rows))


def _booking_with_key(person, key: str) -> Booking | None:
    """The person's booking made with this idempotency key (one key lookup; the booking
    itself is read only on a checks.replay)."""
    with connection.cursor() as cursor:
        cursor.execute(sql.idempotent_sql(connection.vendor), [person.pk, key])
        row = cursor.fetchone()
    return Booking.objects.get(pk=row[0]) if row is not None else None


def _take_place(slot: Slot, booked_for, *, now: datetime, booking: Booking,
                person=None) -> Booking:
    """Take one place of ``slot`` under its row lock and save ``booking`` (not yet saved) on
    it. On the way that succeeds this is one statement on PostgreSQL
    (``sql.take_place_and_insert_sql``): the ``UPDATE`` locks the row and increments the
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
            cursor.execute(sql.take_place_and_insert_sql(),
                           params + rawsql.insert_values(booking))
            if cursor.rowcount:
                checks.took_place(slot, person)
                return rawsql.inserted(booking, cursor)
        else:
            cursor.execute(sql.take_place_sql(), params)
            if cursor.rowcount:
                checks.took_place(slot, person)
                return rawsql.insert(booking)
    locked = checks.lock_slot(slot.pk)
    checks.ensure_bookable(locked, now=now)
    checks.ensure_free_at_that_time(locked, booked_for)
    checks.ensure_place_for(locked, person, now=now)
    # Free after all (what stood in the way was released while the update waited).
    Slot.objects.filter(pk=locked.pk).update(
        booked_count=F("booked_count") + 1, updated_at=now,
        **checks.release_hold_of(locked, person))
    checks.took_place(locked, person)
    booking.slot = locked
    return rawsql.insert(booking)


def booking_create(*, slot: Slot, person, booked_for=None, channel: Channel | str,
                   actor=None, idempotency_key: str | None = None, case=None,
                   purpose: str = "", eligibility: checks.Eligibility | None = None,
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
    slot = checks.slot_for_booking(slot)
    staff = checks.check_staff(actor, perm="scheduling.add_booking", country=slot.centre.country)
    medical = slot.service.is_medical
    try:
        key, key_error = checks.clean_key(idempotency_key), None
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
                    return checks.replay(existing, slot=slot, booked_for=booked_for)
            if state.channel_blocked:
                quotas.channel_check_not_blocked(block_key, now=now)
            if person.country != slot.centre.country:
                raise SlotUnavailable(_("This centre belongs to another health system."),
                                      field="slot")
            day = checks.local_date(slot)
            if not selectors.may_book_for(person, booked_for, on=day):
                raise BookedForRefused(field="booked_for")
            if case is not None and case.person_id not in (person.pk, booked_for.pk):
                raise ValidationFailed(_("This case belongs to someone else."), field="case")
            checks.check_phone_day(slot, person, channel)
            checks.check_eligibility(slot, booked_for, eligibility)
            checks.check_age(slot, booked_for)
            if medical:
                day_check = quotas.medical_day_check(booked_for=booked_for, slot=slot)
                if day_check.same_specialty:
                    raise SameSpecialtySameDay(field="slot")
                if day_check.breach is not None:
                    raise _QuotaBreached(day_check.breach)
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
        country = slot.centre.country
        block, left = quotas.quota_attempt_refused(key=block_key, person=booked_for,
                                                   channel=channel, breach=exc.breach,
                                                   country=country, now=now)
        raise quotas.quota_refusal(exc.breach, block, key=block_key, left=left,
                                   country=country) from None
    except IntegrityError as exc:
        # Only a bug or a race the locks did not cover reaches here; the database refused.
        if key is not None:
            existing = _booking_with_key(person, key)
            if existing is not None:
                return checks.replay(existing, slot=slot, booked_for=booked_for)
        raise SlotTaken(field="slot") from exc
    return booking


class _QuotaBreached(Exception):
    def __init__(self, breach: rules.QuotaBreach):
        super().__init__(breach)
        self.breach = breach
