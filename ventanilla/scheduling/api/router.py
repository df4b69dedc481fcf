"""Slots (public) and an affiliate's visits (R-REG-07, R-APT-03, R-APT-04, R-APT-09).

An affiliate sees and changes only the visits they booked or that are for them; any other
visit answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status

from ventanilla.accounts.api.auth import AFFILIATE_AUTH, person_of
from ventanilla.core.api_contract import errors
from ventanilla.core.api_json import json_response
from ventanilla.core.channels import Channel
from ventanilla.core.errors import NotFound, ValidationFailed
from ventanilla.countries.registry import get_pack

from .. import selectors, services
from ..errors import BookedForRefused
from ..models import Booking, BookingStatus, Centre, Service, Slot, service_label
from .schemas import RescheduleIn, SlotOut, VisitIn, VisitOut

slots_router = Router(tags=["slots"])
visits_router = Router(tags=["visits"])

MAX_RANGE_DAYS = 92
MAX_LIMIT = 200
OFFICE = Service.Kind.OFFICE


def _centre_out(centre: Centre) -> dict:
    return {"id": centre.public_id, "code": centre.code, "name": centre.name,
            "address": centre.address}


def _service_out(service: Service) -> dict:
    return {"code": service.code, "kind": service.kind, "name": service.label}


def _doctor_out(slot: Slot) -> dict | None:
    doctor = slot.doctor if slot.doctor_id else None
    return {"id": doctor.public_id, "name": doctor.full_name} if doctor is not None else None


def free_slot_out(row: selectors.FreeSlot, tz, labels: dict[tuple[str, str], str]) -> dict:
    """``slot_out`` for a row of ``selectors.slots_free_rows``. ``labels`` keeps the service
    names already translated for this answer (its rows are mostly of one service)."""
    key = (row.service_code, row.service_name)
    if (label := labels.get(key)) is None:
        label = labels[key] = service_label(*key)
    return {"id": row.public_id, "starts_at": row.starts_at.astimezone(tz),
            "ends_at": row.ends_at.astimezone(tz),
            "centre": {"id": row.centre_public_id, "code": row.centre_code,
                       "name": row.centre_name, "address": row.centre_address},
            "service": {"code": row.service_code, "kind": row.service_kind,
                        "name": label},
            "doctor": ({"id": row.doctor_public_id,
                        "name": f"{row.doctor_given_names} {row.doctor_family_names}".strip()}
                       if row.doctor_public_id is not None else None),
            "free": max(row.free, 0)}


def visit_out(booking: Booking, *, now: datetime | None = None) -> dict:
    from ..facts import booking_facts

    facts = booking_facts(booking, now=now)
    slot = booking.slot
    return {
        "id": booking.public_id, "status": booking.status,
        "status_label": str(BookingStatus(booking.status).label),
        "starts_at": facts.starts, "ends_at": facts.ends,
        "centre": _centre_out(slot.centre), "service": _service_out(slot.service),
        "booked_for": {"id": booking.booked_for.public_id,
                       "full_name": booking.booked_for.full_name},
        "purpose": booking.purpose, "channel": booking.channel,
        "case_reference": booking.case.reference if booking.case is not None else None,
        "reference": facts.reference,
        "change_until": facts.change_until, "can_change": facts.can_change,
        "created_at": booking.created_at,
    }


def _range(pack_tz, date_from: date | None, date_to: date | None) -> tuple[date, date]:
    start = date_from or timezone.now().astimezone(pack_tz).date()
    end = date_to or start + timedelta(days=28)
    if end < start:
        raise ValidationFailed(_("The end date must be on or after the start date."),
                               field="date_to")
    if (end - start).days > MAX_RANGE_DAYS:
        raise ValidationFailed(_("Ask for at most %(days)d days at a time.")
                               % {"days": MAX_RANGE_DAYS}, field="date_to")
    return start, end


def _place(pack, province: str | None, city: str | None) -> str | None:
    """The geography code the centre's place code must start with (R-APT-03)."""
    for field, code in (("city", city), ("province", province)):
        if code and pack.geography.get(code.strip()) is None:
            raise ValidationFailed(_("There is no such place in %(country)s.")
                                   % {"country": pack.name}, field=field)
    if city and province and not city.strip().startswith(province.strip()):
        raise ValidationFailed(_("This city is not in that province."), field="city")
    code = (city or province or "").strip()
    return code or None


def _filters(pack, *, centre: UUID | None, doctor: UUID | None, kind: str | None,
             province: str | None, city: str | None) -> dict:
    place = None
    if centre is not None:
        place = selectors.centre_get(centre)
        if place is None or place.country != pack.code:
            raise NotFound(_("There is no such centre."), field="centre")
    who = None
    if doctor is not None:
        who = selectors.doctor_get(doctor)
        if who is None or who.country != pack.code:
            raise NotFound(_("There is no such doctor."), field="doctor")
    if kind and kind not in Service.Kind.values:
        raise ValidationFailed(_("Choose office or medical."), field="kind")
    return {"centre": place, "doctor": who, "kind": kind or None,
            "place": _place(pack, province, city)}


@slots_router.get("", response={200: list[SlotOut], **errors(404)}, auth=None)
def slots_list(request, country: str, service: str | None = None,
               specialty: str | None = None, centre: UUID | None = None,
               doctor: UUID | None = None, province: str | None = None,
               city: str | None = None, kind: str | None = None,
               date_from: date | None = None, date_to: date | None = None, limit: int = 50):
    """Free times, earliest first. Dates are local to the country and both included
    (default: the next 28 days). ``service`` (or ``specialty``, for medical appointments)
    is a service code (``document_submission``, ``dentistry``); ``province`` and ``city``
    are place codes of the country's geography (``/api/v1/countries/{code}/...``);
    ``kind`` is ``office`` or ``medical``."""
    pack = get_pack(country)
    filters = _filters(pack, centre=centre, doctor=doctor, kind=kind, province=province,
                       city=city)
    start, end = _range(pack.tz, date_from, date_to)
    rows = selectors.slots_free_rows(country=pack.code, service=specialty or service,
                                     date_from=start, date_to=end,
                                     limit=min(max(limit, 1), MAX_LIMIT), **filters)
    # The busiest read: rows straight to JSON, the shape of ``SlotOut`` (a test validates
    # it against the schema) without building and validating one object per slot.
    labels: dict[tuple[str, str], str] = {}
    return json_response([free_slot_out(r, pack.tz, labels) for r in rows])


@slots_router.get("/dates", response={200: list[date], **errors(404)}, auth=None)
def slot_dates(request, country: str, service: str | None = None,
               specialty: str | None = None, centre: UUID | None = None,
               doctor: UUID | None = None, province: str | None = None,
               city: str | None = None, kind: str | None = None,
               date_from: date | None = None, date_to: date | None = None):
    """Local dates that still have a free time (for a date picker)."""
    pack = get_pack(country)
    filters = _filters(pack, centre=centre, doctor=doctor, kind=kind, province=province,
                       city=city)
    start, end = _range(pack.tz, date_from, date_to)
    return selectors.slot_dates_free(country=pack.code, service=specialty or service,
                                     date_from=start, date_to=end, limit=MAX_RANGE_DAYS + 1,
                                     **filters)


def _channel(request) -> Channel:
    return Channel.API if request.headers.get("Authorization") else Channel.WEB


def _own_visit(request, visit_id: UUID) -> Booking:
    booking = selectors.booking_get_for(person_of(request), visit_id, kind=OFFICE)
    if booking is None:
        raise NotFound(_("There is no such visit."), field="visit")
    return booking


@visits_router.get("", response=list[VisitOut], auth=AFFILIATE_AUTH)
def visits_list(request, active: bool = False):
    """The visits the affiliate booked (for themself or a dependant) and those for them."""
    return [visit_out(b) for b in selectors.bookings_of(person_of(request),
                                                        active_only=active, kind=OFFICE)]


@visits_router.get("/{visit_id}", response=VisitOut, auth=AFFILIATE_AUTH)
def visit_get(request, visit_id: UUID):
    return visit_out(_own_visit(request, visit_id))


@visits_router.post("", response={201: VisitOut, **errors(403, 404, 409, 429)}, auth=AFFILIATE_AUTH)
def visit_book(request, payload: VisitIn):
    """Book a time for yourself or a dependant. Send an ``Idempotency-Key`` header to retry
    safely: the same key returns the first booking."""
    person = person_of(request)
    slot = selectors.slot_get(payload.slot)
    if slot is None or slot.service.kind != OFFICE:
        raise NotFound(_("There is no such time. Choose another one."), field="slot")
    booked_for = person
    if payload.booked_for is not None:
        booked_for = (selectors.people_bookable_by(person)
                      .filter(public_id=payload.booked_for).first())
        if booked_for is None:
            raise BookedForRefused(field="booked_for")
    booking = services.booking_create(
        slot=slot, person=person, booked_for=booked_for, channel=_channel(request),
        idempotency_key=request.headers.get("Idempotency-Key"), purpose=payload.purpose)
    return Status(201, visit_out(selectors.booking_get_for(person, booking.public_id)
                                 or booking))


@visits_router.post("/{visit_id}/cancel", response={200: VisitOut, **errors(409)},
                    auth=AFFILIATE_AUTH)
def visit_cancel(request, visit_id: UUID):
    person = person_of(request)
    booking = _own_visit(request, visit_id)
    services.booking_cancel(booking=booking, channel=_channel(request), by_person=person)
    return visit_out(_own_visit(request, visit_id))


@visits_router.post("/{visit_id}/reschedule", response={200: VisitOut, **errors(409)},
                    auth=AFFILIATE_AUTH)
def visit_reschedule(request, visit_id: UUID, payload: RescheduleIn):
    person = person_of(request)
    booking = _own_visit(request, visit_id)
    slot = selectors.slot_get(payload.slot)
    if slot is None:
        raise NotFound(_("There is no such time. Choose another one."), field="slot")
    services.booking_reschedule(booking=booking, new_slot=slot, channel=_channel(request),
                                by_person=person)
    return visit_out(_own_visit(request, visit_id))
