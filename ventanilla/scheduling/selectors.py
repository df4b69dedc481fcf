"""Reads of the slot engine: free slots, dates with free places, a person's bookings."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet, Subquery
from django.db.models.functions import ExtractIsoWeekDay, TruncDate
from django.utils import timezone

from ventanilla.countries.registry import get_pack

from .models import Booking, BookingStatus, Centre, Doctor, Referral, Service, Slot


def _tz(country: str | None, centre: Centre | None) -> tzinfo:
    code = centre.country if centre is not None else country
    return get_pack(code).tz if code else UTC


def _day_start(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)


def slots_free(*, country: str | None = None, service: Service | str | None = None,
               centre: Centre | None = None, date_from: date | None = None,
               date_to: date | None = None, now: datetime | None = None,
               kind: str | None = None, doctor: Doctor | None = None,
               place: str | None = None, weekdays: Collection[int] | None = None,
               ) -> QuerySet[Slot]:
    """Open future slots with a free place, earliest first. Dates are local to the country
    of the centre (or ``country``) and both included. ``service`` is a row or a code (a
    specialty for medical appointments); ``kind`` is ``office`` or ``medical``; ``place`` a
    geography code of the country pack that the centre's place code starts with (a province,
    a city); ``weekdays`` (Monday = 0) keeps only those local weekdays, for the call centre's
    phone days (R-APT-06)."""
    now = now or timezone.now()
    tz = _tz(country, centre)
    qs = (Slot.objects.select_related("centre", "service", "doctor")
          .filter(is_open=True, centre__is_active=True, service__is_active=True,
                  booked_count__lt=F("capacity"), starts_at__gt=now))
    if country:
        qs = qs.filter(centre__country=country.upper())
    if centre is not None:
        qs = qs.filter(centre=centre)
    if isinstance(service, Service):
        qs = qs.filter(service=service)
    elif service:
        qs = qs.filter(service__code=service)
        if country:
            # The service's id as a value the database knows before it plans the scan (an
            # init plan), not a join: the slots of one service are then read from
            # (service, starts_at) in time order and the scan stops at the first free ones,
            # or from (service, centre, starts_at) for the few centres of a place. A centre
            # only has slots of its own country's services (``slots_generate``).
            qs = qs.filter(service_id=Subquery(
                Service.objects.filter(country=country.upper(), code=service)
                .order_by().values("pk")[:1]))
    if kind:
        qs = qs.filter(service__kind=kind)
    if doctor is not None:
        qs = qs.filter(doctor=doctor)
    if place:
        qs = qs.filter(centre__subdivision_code__startswith=place)
    if date_from is not None:
        qs = qs.filter(starts_at__gte=_day_start(date_from, tz))
    if date_to is not None:
        qs = qs.filter(starts_at__lt=_day_start(date_to + timedelta(days=1), tz))
    if weekdays is not None and set(weekdays) != set(range(7)):
        qs = (qs.annotate(local_iso_weekday=ExtractIsoWeekDay("starts_at", tzinfo=tz))
              .filter(local_iso_weekday__in=[d + 1 for d in weekdays]))
    return qs.order_by("starts_at", "centre__name", "pk")


def slot_dates_free(*, country: str | None = None, service: Service | str | None = None,
                    centre: Centre | None = None, date_from: date | None = None,
                    date_to: date | None = None, limit: int = 10,
                    now: datetime | None = None, kind: str | None = None,
                    doctor: Doctor | None = None, place: str | None = None,
                    weekdays: Collection[int] | None = None) -> list[date]:
    """The next local dates that still have a free place (for a date picker)."""
    tz = _tz(country, centre)
    qs = slots_free(country=country, service=service, centre=centre, date_from=date_from,
                    date_to=date_to, now=now, kind=kind, doctor=doctor, place=place,
                    weekdays=weekdays)
    days = (qs.order_by().annotate(day=TruncDate("starts_at", tzinfo=tz))
            .values_list("day", flat=True).distinct().order_by("day"))
    return list(days[:limit])


def slot_get(public_id: UUID | str) -> Slot | None:
    try:
        return Slot.objects.select_related("centre", "service", "doctor").get(
            public_id=public_id)
    except (Slot.DoesNotExist, ValueError, TypeError, ValidationError):
        return None


def service_get(*, country: str, code: str) -> Service | None:
    return Service.objects.filter(country=country.upper(), code=code).first()


def doctor_get(public_id: UUID | str) -> Doctor | None:
    try:
        return Doctor.objects.get(public_id=public_id)
    except (Doctor.DoesNotExist, ValueError, TypeError, ValidationError):
        return None


def phone_weekdays(person) -> set[int]:
    """R-APT-06: the weekdays the call centre may offer this caller (country pack rule)."""
    return get_pack(person.country).phone_booking_weekdays(person.id_number)


def referrals_of(person, *, active_only: bool = False) -> QuerySet[Referral]:
    qs = Referral.objects.select_related("specialty", "doctor", "centre").filter(person=person)
    if active_only:
        qs = qs.filter(status=Referral.Status.ACTIVE)
    return qs.order_by("-issued_on", "-pk")


def centre_get(public_id: UUID | str) -> Centre | None:
    try:
        return Centre.objects.get(public_id=public_id)
    except (Centre.DoesNotExist, ValueError, TypeError, ValidationError):
        return None


def _dependant_people(person, *, on: date | None = None):
    """People whose open affiliation hangs from ``person``'s open affiliation (R-DEP-01)."""
    from ventanilla.affiliation.models import Affiliation
    from ventanilla.people.models import Person

    on = on or timezone.localdate()
    rows = Affiliation.objects.filter(
        holder__person=person, holder__ends_on=None, starts_on__lte=on,
    ).filter(Q(ends_on=None) | Q(ends_on__gte=on))
    return Person.objects.filter(pk__in=rows.values("person_id"))


def people_bookable_by(person, *, on: date | None = None):
    """The people ``person`` may book for: themself and their dependants."""
    from ventanilla.people.models import Person

    return Person.objects.filter(Q(pk=person.pk) | Q(pk__in=_dependant_people(person, on=on)))


def may_book_for(person, booked_for, *, on: date | None = None) -> bool:
    """A person books for themself or for one of their dependants."""
    if booked_for.pk == person.pk:
        return True
    return _dependant_people(person, on=on).filter(pk=booked_for.pk).exists()


def bookings_of(person, *, active_only: bool = False,
                kind: str | None = None) -> QuerySet[Booking]:
    """Bookings a person made (for themself or dependants) and those made for them,
    earliest visit first; ``kind`` keeps office visits or medical appointments only."""
    qs = (Booking.objects.select_related("slot__centre", "slot__service", "slot__doctor",
                                         "booked_for", "person", "case")
          .filter(Q(person=person) | Q(booked_for=person)))
    if active_only:
        qs = qs.filter(status=BookingStatus.BOOKED)
    if kind:
        qs = qs.filter(slot__service__kind=kind)
    return qs.order_by("slot__starts_at", "pk")


def booking_get_for(person, public_id: UUID | str, *, kind: str | None = None
                    ) -> Booking | None:
    """A booking by public id, only when ``person`` made it or it is for them."""
    try:
        return bookings_of(person, kind=kind).get(public_id=public_id)
    except (Booking.DoesNotExist, ValueError, TypeError, ValidationError):
        return None


def bookings_of_centre(centre: Centre, *, on: date) -> QuerySet[Booking]:
    """Every booking of a centre on one local day, in order of time (the counter's list)."""
    tz = _tz(None, centre)
    return (Booking.objects.select_related("slot__service", "booked_for", "person")
            .filter(slot__centre=centre, slot__starts_at__gte=_day_start(on, tz),
                    slot__starts_at__lt=_day_start(on + timedelta(days=1), tz))
            .order_by("slot__starts_at", "pk"))


def booking_get(public_id: UUID | str) -> Booking | None:
    """A booking by public id, for staff (the caller checks they may act on it)."""
    try:
        return (Booking.objects.select_related("slot__centre", "booked_for")
                .filter(public_id=public_id).first())
    except (ValueError, TypeError, ValidationError):
        return None


def bookings_starting_on(*, country: str, day: date, kind: str | None = None
                         ) -> QuerySet[Booking]:
    """Active bookings of a country whose visit falls on ``day`` (local), for reminders."""
    tz = _tz(country, None)
    qs = (Booking.objects.select_related("slot__centre", "slot__service", "slot__doctor",
                                         "person", "booked_for")
          .filter(status=BookingStatus.BOOKED, slot__centre__country=country.upper(),
                  slot__starts_at__gte=_day_start(day, tz),
                  slot__starts_at__lt=_day_start(day + timedelta(days=1), tz)))
    if kind:
        qs = qs.filter(slot__service__kind=kind)
    return qs.order_by("slot__starts_at", "pk")
