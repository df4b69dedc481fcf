"""Reads of the slot engine: free slots, dates with free places, a person's bookings."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, NamedTuple
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Q, QuerySet, Subquery
from django.db.models.functions import ExtractIsoWeekDay, TruncDate
from django.utils import timezone

from ventanilla.core import rawsql
from ventanilla.countries.registry import get_pack

from . import sql

if TYPE_CHECKING:
    from .allowance import Allowance

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
               for_person=None, allowance: Allowance | None = None) -> QuerySet[Slot]:
    """Open future slots with a free place, earliest first. Dates are local to the country
    of the centre (or ``country``) and both included. ``service`` is a row or a code (a
    specialty for medical appointments); ``kind`` is ``office`` or ``medical``; ``place`` a
    geography code of the country pack that the centre's place code starts with (a province,
    a city); ``weekdays`` (Monday = 0) keeps only those local weekdays, for the call centre's
    phone days (R-APT-06).

    A slot whose last free place someone holds while they confirm it (``held_until`` in
    the future: ``services.slot_hold``) is not free, except for ``for_person``, the person
    holding it. ``allowance`` (``allowance.booking_allowance``) keeps only what that person
    may book (R-APT-14): every list offered to a person passes one."""
    now = now or timezone.now()
    tz = _tz(country, centre)
    qs = (Slot.objects.select_related("centre", "service", "doctor")
          .filter(sql.free_q(now, for_person=for_person)))
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
    if allowance is not None:
        qs = allowance.restrict(qs)
    return qs.order_by("starts_at", "centre__name", "pk")


class FreeSlot(NamedTuple):
    """One row of ``slots_free_rows``: what the API shows of a free time."""

    public_id: UUID
    starts_at: datetime
    ends_at: datetime
    free: int
    centre_public_id: UUID
    centre_code: str
    centre_name: str
    centre_address: str
    centre_country: str
    service_code: str
    service_kind: str
    service_name: str
    doctor_public_id: UUID | None
    doctor_given_names: str | None
    doctor_family_names: str | None


def _like_prefix(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def slots_free_rows(*, country: str | None = None, service: str | None = None,
                    centre: Centre | None = None, date_from: date | None = None,
                    date_to: date | None = None, now: datetime | None = None,
                    kind: str | None = None, doctor: Doctor | None = None,
                    place: str | None = None, limit: int = 50) -> list[FreeSlot]:
    """``slots_free`` for the API's slot search (the busiest read): the same slots in the
    same order, as rows with what the API shows, from one statement built once per
    combination of filters, so a search costs the database's time and little Python
    (docs/scheduling.md, "Performance"). ``service`` is a code."""
    now = now or timezone.now()
    tz = _tz(country, centre)
    ops = connection.ops
    at = ops.adapt_datetimefield_value(now)
    given: dict[str, list] = {}
    if country:
        given["country"] = [country.upper()]
    if centre is not None:
        given["centre"] = [centre.pk]
    if service:
        given["service"] = [service]
        if country:
            given["service_id"] = [country.upper(), service]
    if kind:
        given["kind"] = [kind]
    if doctor is not None:
        given["doctor"] = [doctor.pk]
    if place:
        given["place"] = [_like_prefix(place)]
    if date_from is not None:
        given["date_from"] = [ops.adapt_datetimefield_value(_day_start(date_from, tz))]
    if date_to is not None:
        given["date_to"] = [ops.adapt_datetimefield_value(
            _day_start(date_to + timedelta(days=1), tz))]
    shape = frozenset(given)
    params = [at, at, *(p for name in sql.FREE_ORDER for p in given.get(name, [])), limit]
    with rawsql.planned_each_time() as cursor:
        cursor.execute(sql.slots_free_sql(connection.vendor, shape), params)
        rows = cursor.fetchall()
    if connection.vendor == "sqlite":  # text columns there; PostgreSQL returns the types
        rows = [_sqlite_free_slot(r) for r in rows]
    return [FreeSlot._make(r) for r in rows]


def _sqlite_free_slot(row) -> tuple:
    def when(v):
        return rawsql.value(Slot, "starts_at", v)

    def uid(v):
        return rawsql.value(Slot, "public_id", v)

    return (uid(row[0]), when(row[1]), when(row[2]), row[3], uid(row[4]), *row[5:12],
            uid(row[12]), row[13], row[14])


def slot_dates_free(*, country: str | None = None, service: Service | str | None = None,
                    centre: Centre | None = None, date_from: date | None = None,
                    date_to: date | None = None, limit: int = 10,
                    now: datetime | None = None, kind: str | None = None,
                    doctor: Doctor | None = None, place: str | None = None,
                    weekdays: Collection[int] | None = None,
                    allowance: Allowance | None = None) -> list[date]:
    """The next local dates that still have a free place (for a date picker): the dates of
    ``slot_dates_free_counts``."""
    return [day for day, _free in slot_dates_free_counts(
        country=country, service=service, centre=centre, date_from=date_from,
        date_to=date_to, limit=limit, now=now, kind=kind, doctor=doctor, place=place,
        weekdays=weekdays, allowance=allowance)]


def slot_dates_free_counts(*, country: str | None = None,
                           service: Service | str | None = None, centre: Centre | None = None,
                           date_from: date | None = None, date_to: date | None = None,
                           limit: int = 10, now: datetime | None = None,
                           kind: str | None = None, doctor: Doctor | None = None,
                           place: str | None = None, weekdays: Collection[int] | None = None,
                           for_person=None, allowance: Allowance | None = None
                           ) -> list[tuple[date, int]]:
    """``slot_dates_free`` with, for each local date, the number of free times: the free
    slots of that day (``slots_free``), not the places in them, so the count is what the
    person can choose from and adds up to the centre step's counts of that day. One query
    grouped by local day; the same filters as ``slots_free`` (``for_person`` too)."""
    tz = _tz(country, centre)
    qs = slots_free(country=country, service=service, centre=centre, date_from=date_from,
                    date_to=date_to, now=now, kind=kind, doctor=doctor, place=place,
                    weekdays=weekdays, for_person=for_person, allowance=allowance)
    rows = (qs.order_by().annotate(day=TruncDate("starts_at", tzinfo=tz)).values("day")
            .annotate(free_times=Count("pk")).order_by("day").values_list("day", "free_times"))
    return [(day, free) for day, free in rows[:limit]]


def slot_places_free_counts(*, country: str, service: Service | str, place: str, level: int,
                            now: datetime | None = None, allowance: Allowance | None = None
                            ) -> list[tuple[str, int]]:
    """Free times (free slots, as ``slot_dates_free_counts``) under ``place`` per
    subdivision of the country's geography at ``level`` (1: cities of a province), most
    first, then by code: the "other cities" of the booking flow's empty state. One query
    grouped by the centres' place codes; the geography maps them to ``level``."""
    geography = get_pack(country).geography
    rows = (slots_free(country=country, service=service, place=place, now=now,
                       allowance=allowance).order_by()
            .values("centre__subdivision_code").annotate(free_times=Count("pk"))
            .values_list("centre__subdivision_code", "free_times"))
    counts: dict[str, int] = {}
    for code, free in rows:
        sub = geography.ancestor_at(code, level)
        if sub is not None:
            counts[sub.code] = counts.get(sub.code, 0) + free
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def slot_get(public_id: UUID | str) -> Slot | None:
    """A slot by public id with its centre, service and doctor, in one statement written
    once (it starts every booking: ``rawsql``)."""
    key = rawsql.public_id_param(Slot, public_id)
    if key is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(sql.slot_get_sql(connection.vendor), [key])
        row = cursor.fetchone()
    if row is None:
        return None
    slot, slot.centre, slot.service, doctor = rawsql.load_row(row, Slot, Centre, Service,
                                                              Doctor, optional={3})
    Slot.doctor.field.set_cached_value(slot, doctor)
    return slot


def service_get(*, country: str, code: str) -> Service | None:
    return Service.objects.filter(country=country.upper(), code=code).first()


def doctor_get(public_id: UUID | str) -> Doctor | None:
    try:
        return Doctor.objects.get(public_id=public_id)
    except (Doctor.DoesNotExist, ValueError, TypeError, ValidationError):
        return None


def doctor_list(*, country: str) -> QuerySet[Doctor]:
    """The active doctors of a country, by name (the staff referral form's choices)."""
    return Doctor.objects.filter(country=country.upper(), is_active=True).order_by(
        "family_names", "given_names")


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
    """A booking by public id, only when ``person`` made it or it is for them, with what
    ``bookings_of`` reads with it (slot, centre, service, doctor, both people, case). One
    statement written once (``rawsql``): it starts every cancellation and change."""
    from ventanilla.cases.models import Case
    from ventanilla.people.models import Person

    key = rawsql.public_id_param(Booking, public_id)
    if key is None:
        return None
    params = [key, person.pk, person.pk]
    if kind:
        params.append(kind)
    with connection.cursor() as cursor:
        cursor.execute(sql.booking_get_for_sql(connection.vendor, kind=bool(kind)), params)
        row = cursor.fetchone()
    if row is None:
        return None
    booking, slot, slot.centre, slot.service, doctor, booked_for, by, case = rawsql.load_row(
        row, Booking, Slot, Centre, Service, Doctor, Person, Person, Case, optional={4, 7})
    Slot.doctor.field.set_cached_value(slot, doctor)
    booking.slot, booking.booked_for, booking.person = slot, booked_for, by
    Booking.case.field.set_cached_value(booking, case)
    return booking


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


def specialties_by_use(country: str, *, days: int = 90) -> list[Service]:
    """The country's active medical specialties, most booked in the last ``days`` first
    (cached for an hour), then in the catalogue's usual order (General Medicine first):
    people find what they need at the top of the list."""
    from django.core.cache import cache

    from .catalogue import known_service
    from .defaults import medical_services_ensure

    key = f"scheduling:specialty-use:{country}:{days}"
    counts = cache.get(key)
    if counts is None:
        since = timezone.now() - timedelta(days=days)
        counts = dict(Booking.objects.filter(slot__service__country=country,
                                             slot__service__kind=Service.Kind.MEDICAL,
                                             created_at__gte=since)
                      .values_list("slot__service__code").annotate(n=Count("pk"))
                      .values_list("slot__service__code", "n"))
        cache.set(key, counts, 3600)

    def rank(service: Service) -> tuple:
        known = known_service(service.code)
        return (-counts.get(service.code, 0), known.usual_rank if known else 99, service.code)

    return sorted((s for s in medical_services_ensure(country) if s.is_active), key=rank)
