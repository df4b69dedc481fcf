"""The checks every booking, hold and change shares (R-APT-01, R-APT-04, R-APT-06,
R-APT-10, R-APT-13)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _

from ventanilla.accounts.authz import staff_acting
from ventanilla.core.channels import Channel
from ventanilla.core.errors import NotFound, ValidationFailed
from ventanilla.countries.registry import get_pack

from .. import rules
from ..eligibility import eligibility_for
from ..errors import (
    AlreadyBooked,
    CancelTooLate,
    IdempotencyKeyReused,
    PhoneDayRefused,
    SlotHeld,
    SlotTaken,
    SlotUnavailable,
)
from ..models import Booking, BookingStatus, Slot

IDEMPOTENCY_KEY_MAX = 64



Eligibility = Callable[..., None]


def check_staff(actor, *, perm: str, country: str) -> bool:
    """True when a staff member acts (and may); False when the person acts themself."""
    if actor is None:
        return False
    staff_acting(actor, perm=perm, country=country)
    return True


def clean_key(key: str | None) -> str | None:
    if key is None or not key.strip():
        return None
    key = key.strip()
    if len(key) > IDEMPOTENCY_KEY_MAX or not key.isprintable():
        raise ValidationFailed(_("The Idempotency-Key must be at most %(max)d printable "
                                 "characters.") % {"max": IDEMPOTENCY_KEY_MAX},
                               field="idempotency_key")
    return key


def replay(existing: Booking, *, slot: Slot, booked_for) -> Booking:
    if existing.slot_id != slot.pk or existing.booked_for_id != booked_for.pk:
        raise IdempotencyKeyReused(field="idempotency_key")
    return existing


def lock_people(*people) -> None:
    from ventanilla.people.models import Person

    pks = sorted({p.pk for p in people})
    # NO KEY: serialises bookings of these people without blocking rows that merely
    # reference them (foreign-key checks take KEY SHARE locks).
    list(Person.objects.select_for_update(no_key=True).filter(pk__in=pks).order_by("pk"))


def lock_slot(pk: int) -> Slot:
    return (Slot.objects.select_for_update(of=("self",), no_key=True)
            .select_related("centre", "service", "doctor").get(pk=pk))


def check_phone_day(slot: Slot, caller, channel: Channel | str) -> None:
    """R-APT-06: by phone, a medical appointment falls on a day the caller's ID allows."""
    if str(channel) != Channel.PHONE or not slot.service.is_medical:
        return
    pack = get_pack(slot.centre.country)
    allowed = pack.phone_booking_weekdays(caller.id_number)
    if local_date(slot).weekday() not in allowed:
        from ..models import Weekday

        names = ", ".join(str(Weekday(d).label) for d in sorted(allowed))
        raise PhoneDayRefused(
            _("By phone, appointments for this ID number are given on %(days)s.")
            % {"days": names}, field="slot")


def local_date(slot: Slot) -> date:
    return slot.starts_at.astimezone(get_pack(slot.centre.country).tz).date()


def ensure_bookable(slot: Slot, *, now: datetime) -> None:
    if slot.starts_at <= now:
        raise SlotUnavailable(_("This time has already passed. Choose a later time."),
                              field="slot")
    if not (slot.is_open and slot.centre.is_active and slot.service.is_active):
        raise SlotUnavailable(field="slot")


def ensure_free_at_that_time(slot: Slot, booked_for, *, exclude: Booking | None = None
                              ) -> None:
    clash = Booking.objects.filter(booked_for=booked_for, status=BookingStatus.BOOKED,
                                   slot__starts_at__lt=slot.ends_at,
                                   slot__ends_at__gt=slot.starts_at)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise AlreadyBooked(field="slot")


def check_age(slot: Slot, booked_for) -> None:
    """A specialty for another age is refused (Pediatrics: under 18 on the day)."""
    from ..catalogue import suits_age
    from ..errors import SpecialtyNotForAge

    if slot.service.is_medical and not suits_age(slot.service.code,
                                                 born=booked_for.date_of_birth,
                                                 on=local_date(slot)):
        raise SpecialtyNotForAge(field="slot")


def check_eligibility(slot: Slot, booked_for, eligibility: Eligibility | None) -> None:
    check = eligibility or eligibility_for(slot.service.kind)
    if check is not None:
        check(booked_for=booked_for, slot=slot, on=local_date(slot))


def slot_for_booking(slot: Slot) -> Slot:
    """The slot with its centre and service. A slot the caller has just read with them
    (``selectors.slot_get``) is used as it is: everything that can change under a booking
    (open, start, places, clashes, active centre and service) is checked again by the
    guarded update that takes the place (``create._take_place``)."""
    if Slot.centre.is_cached(slot) and Slot.service.is_cached(slot):
        return slot
    return Slot.objects.select_related("centre", "service", "doctor").get(pk=slot.pk)


def held_by_other(slot: Slot, person, *, now: datetime) -> bool:
    """True when someone other than ``person`` holds the last free place of ``slot``."""
    return (slot.held_until is not None and slot.held_until > now
            and slot.held_by_id != person.pk and slot.booked_count + 1 >= slot.capacity)


def ensure_place_for(slot: Slot, person, *, now: datetime) -> None:
    """Refuse when ``slot`` (read under its lock) has no place left for ``person``: all
    taken, or the last one held by someone else (``slot_hold``)."""
    if slot.booked_count >= slot.capacity:
        raise SlotTaken(field="slot")
    if held_by_other(slot, person, now=now):
        raise SlotHeld(field="slot")


def release_hold_of(slot: Slot, person) -> dict:
    """The fields that use up ``person``'s hold on ``slot`` when they book it."""
    return {"held_by": None, "held_until": None} if slot.held_by_id == person.pk else {}


def took_place(slot: Slot, person) -> None:
    """``slot`` as the guarded ``UPDATE`` left it: one more place taken; ``person``'s own
    hold used up."""
    slot.booked_count += 1
    if slot.held_by_id == person.pk:
        slot.held_by, slot.held_until = None, None


def acting_on(booking: Booking, *, actor, by_person, perm: str,
               country: str | None = None) -> bool:
    """Check who may change ``booking``; True when staff act. An affiliate asking about a
    booking that is not theirs gets NotFound, as if it did not exist."""
    if country is None:
        country = Slot.objects.values_list("centre__country", flat=True).get(
            pk=booking.slot_id)
    staff = check_staff(actor, perm=perm, country=country)
    if by_person is not None and by_person.pk not in (booking.person_id, booking.booked_for_id):
        raise NotFound(field="booking")
    return staff


def ensure_in_window(slot: Slot, *, now: datetime) -> None:
    hours = get_pack(slot.centre.country).cancel_notice_hours
    if not rules.may_change(starts_at=slot.starts_at, now=now, notice_hours=hours):
        if slot.service.is_medical:
            raise CancelTooLate(
                _("Medical appointments can be cancelled or changed only up to %(hours)d "
                  "hours before they start.") % {"hours": hours}, field="booking")
        raise CancelTooLate(
            _("Visits can be cancelled or changed only up to %(hours)d hours before they "
              "start.") % {"hours": hours}, field="booking")


def slot_of(booking: Booking) -> Slot:
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
