"""Cancelling and rescheduling a booking (R-APT-04, R-APT-13)."""

from __future__ import annotations

from datetime import datetime

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.accounts.blocks import account_check_not_blocked
from ventanilla.core.audit import audit_record
from ventanilla.core.channels import Channel

from .. import alerts, quotas, referrals, sql
from ..errors import (
    BookingNotActive,
    SameSpecialtySameDay,
    SlotUnavailable,
)
from ..models import Booking, BookingStatus, Slot
from . import checks


def _lock_booking(booking: Booking) -> str:
    """Lock the booking's row and return its status as it is now (another request may
    have cancelled or moved it since the caller read it; then the caller's copy is read
    again)."""
    with connection.cursor() as cursor:
        cursor.execute(sql.lock_booking_sql(connection.vendor), [booking.pk])
        status, slot_id = cursor.fetchone()
    if slot_id != booking.slot_id:   # moved meanwhile: the slot to free is the new one
        booking.refresh_from_db()
        checks.slot_of(booking)
    return status


def _free_place_and_cancel(booking: Booking, *, now: datetime) -> None:
    """Give the place back and save the cancellation: two statements written once."""
    at = connection.ops.adapt_datetimefield_value(now)
    free, cancel = sql.cancel_sql()
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
    slot = checks.slot_of(booking)
    staff = checks.acting_on(booking, actor=actor, by_person=by_person,
                       perm="scheduling.change_booking", country=slot.centre.country)
    with transaction.atomic():
        status = _lock_booking(booking)
        if status == BookingStatus.CANCELLED:
            booking.refresh_from_db()
            return booking
        if status != BookingStatus.BOOKED:
            raise BookingNotActive(field="booking")
        slot = checks.slot_of(booking)   # the same, unless it was moved meanwhile
        checks.ensure_in_window(slot, now=now)
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
                       actor=None, by_person=None, eligibility: checks.Eligibility | None = None,
                       now: datetime | None = None) -> Booking:
    """Move a booking to another time of the same service, atomically: the new place is
    taken and the old one freed together, or nothing changes. Same notice window as
    cancelling (R-APT-04, R-APT-13). The booking keeps its public id."""
    now = now or timezone.now()
    staff = checks.acting_on(booking, actor=actor, by_person=by_person,
                       perm="scheduling.change_booking")
    if not staff:
        account_check_not_blocked(by_person or booking.person)
    new_slot = Slot.objects.select_related("centre", "service").get(pk=new_slot.pk)
    old_service, old_country = Slot.objects.values_list(
        "service_id", "centre__country").get(pk=booking.slot_id)
    if new_slot.service_id != old_service or new_slot.centre.country != old_country:
        raise SlotUnavailable(_("Choose a time of the same service."), field="slot")
    checks.check_phone_day(new_slot, booking.person, channel)
    checks.check_eligibility(new_slot, booking.booked_for, eligibility)
    checks.check_age(new_slot, booking.booked_for)
    with transaction.atomic():
        checks.lock_people(booking.booked_for)
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.status != BookingStatus.BOOKED:
            raise BookingNotActive(field="booking")
        if locked.slot_id == new_slot.pk:
            return locked
        day_check = quotas.medical_day_check(booked_for=locked.booked_for, slot=new_slot,
                                             exclude=locked) if new_slot.service.is_medical \
            else None
        if day_check is not None and day_check.same_specialty:
            raise SameSpecialtySameDay(field="slot")
        if day_check is not None and day_check.breach is not None:
            raise quotas.quota_refusal(day_check.breach, None)
        if new_slot.service.needs_referral:
            referrals.referral_check_date(booking=locked, on=checks.local_date(new_slot))
        slots = {s.pk: s for s in Slot.objects.select_for_update(of=("self",), no_key=True)
                 .select_related("centre", "service")
                 .filter(pk__in=[locked.slot_id, new_slot.pk]).order_by("pk")}
        old, new = slots[locked.slot_id], slots[new_slot.pk]
        checks.ensure_in_window(old, now=now)
        checks.ensure_bookable(new, now=now)
        checks.ensure_free_at_that_time(new, locked.booked_for, exclude=locked)
        mover = by_person or locked.person
        checks.ensure_place_for(new, mover, now=now)
        Slot.objects.filter(pk=old.pk).update(booked_count=F("booked_count") - 1,
                                              updated_at=now)
        Slot.objects.filter(pk=new.pk).update(booked_count=F("booked_count") + 1,
                                              updated_at=now, **checks.release_hold_of(new, mover))
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
