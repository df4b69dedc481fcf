"""An affiliate's medical appointments (R-APT-01..13) through the API.

The same services as every other channel: ``booking_create`` with the coverage check,
referrals, quotas and the channel block; ``booking_cancel`` / ``booking_reschedule`` with the
country's notice window. An affiliate sees and changes only the appointments they booked or
that are for them; any other answers 404, exactly like one that does not exist. Office
visits stay under ``/visits``.

Free times are ``GET /api/v1/slots?kind=medical&specialty=…`` (``router.slots_list``).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Router

from ventanilla.accounts.api.auth import AFFILIATE_AUTH, person_of
from ventanilla.core.api_contract import errors
from ventanilla.core.api_json import json_response
from ventanilla.core.channels import Channel
from ventanilla.core.errors import NotFound

from .. import selectors, services
from ..errors import BookedForRefused
from ..facts import booking_facts
from ..models import Booking, BookingStatus, Service
from ..quotas import web_account_key
from .router import _centre_out, _doctor_out, _service_out
from .schemas import AppointmentIn, AppointmentOut, RescheduleIn

appointments_router = Router(tags=["appointments"])

MEDICAL = Service.Kind.MEDICAL
def appointment_out(booking: Booking, *, now: datetime | None = None) -> dict:
    facts = booking_facts(booking, now=now)
    slot = booking.slot
    return {
        "id": booking.public_id, "status": booking.status,
        "status_label": str(BookingStatus(booking.status).label),
        "starts_at": facts.starts, "ends_at": facts.ends, "arrive_by": facts.arrive_by,
        "centre": _centre_out(slot.centre), "specialty": _service_out(slot.service),
        "doctor": _doctor_out(slot),
        "booked_for": {"id": booking.booked_for.public_id,
                       "full_name": booking.booked_for.full_name},
        "channel": booking.channel, "reference": facts.reference,
        "change_until": facts.change_until, "can_change": facts.can_change,
        "created_at": booking.created_at,
    }


def _channel(request) -> Channel:
    return Channel.API if request.headers.get("Authorization") else Channel.WEB


def _own(request, appointment_id: UUID) -> Booking:
    booking = selectors.booking_get_for(person_of(request), appointment_id, kind=MEDICAL)
    if booking is None:
        raise NotFound(_("There is no such appointment."), field="appointment")
    return booking


def _medical_slot(slot_id: UUID):
    slot = selectors.slot_get(slot_id)
    if slot is None or slot.service.kind != MEDICAL:
        raise NotFound(_("There is no such time. Choose another one."), field="slot")
    return slot


@appointments_router.get("", response=list[AppointmentOut], auth=AFFILIATE_AUTH)
def appointments_list(request, active: bool = False):
    """The affiliate's medical appointments (for themself or a dependant) and those for
    them, earliest first (R-APT-09)."""
    now = timezone.now()
    return [appointment_out(b, now=now)
            for b in selectors.bookings_of(person_of(request), active_only=active,
                                           kind=MEDICAL)]


@appointments_router.get("/{appointment_id}.ics", auth=AFFILIATE_AUTH,
                         openapi_extra={"responses": {200: {
                             "description": "iCalendar file",
                             "content": {"text/calendar": {}}}}})
def appointment_ics(request, appointment_id: UUID):
    """The appointment as an iCalendar event in the centre's time zone, with a reminder the
    day before (R-APT-09)."""
    from django.http import HttpResponse

    from ..documents import booking_ics

    response = HttpResponse(booking_ics(_own(request, appointment_id)),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{appointment_id}.ics"'
    return response


@appointments_router.get("/{appointment_id}.pdf", auth=AFFILIATE_AUTH,
                         openapi_extra={"responses": {200: {
                             "description": "PDF", "content": {"application/pdf": {}}}}})
def appointment_pdf(request, appointment_id: UUID):
    """The printable confirmation (tagged PDF)."""
    from django.http import HttpResponse

    from ..documents import booking_pdf

    response = HttpResponse(booking_pdf(_own(request, appointment_id)),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{appointment_id}.pdf"'
    return response


@appointments_router.get("/{appointment_id}", response=AppointmentOut, auth=AFFILIATE_AUTH)
def appointment_get(request, appointment_id: UUID):
    return appointment_out(_own(request, appointment_id))


@appointments_router.post("", response={201: AppointmentOut, **errors(403, 404, 409, 429)},
                          auth=AFFILIATE_AUTH)
def appointment_book(request, payload: AppointmentIn):
    """Book a medical appointment for yourself or a dependant. Send an ``Idempotency-Key``
    header to retry safely: the same key returns the first booking. 409 ``SLOT_TAKEN`` when
    someone else took the time first."""
    person = person_of(request)
    slot = _medical_slot(payload.slot)
    booked_for = person
    if payload.booked_for is not None and payload.booked_for != person.public_id:
        booked_for = (selectors.people_bookable_by(person)
                      .filter(public_id=payload.booked_for).first())
        if booked_for is None:
            raise BookedForRefused(field="booked_for")
    booking = services.booking_create(
        slot=slot, person=person, booked_for=booked_for, channel=_channel(request),
        idempotency_key=request.headers.get("Idempotency-Key"),
        channel_key=web_account_key(person))
    # The shape of ``AppointmentOut``, written straight to JSON (a test validates it).
    return json_response(appointment_out(booking), status=201)


@appointments_router.post("/{appointment_id}/cancel", response={200: AppointmentOut, **errors(409)},
                          auth=AFFILIATE_AUTH)
def appointment_cancel(request, appointment_id: UUID):
    """Cancel up to the country's notice before the start (R-APT-04: 12 hours in Ecuador,
    R-APT-13: 24 in Peru); the time is free for others at once. Cancelling twice is
    harmless, so an ``Idempotency-Key`` is accepted but not needed."""
    booking = services.booking_cancel(booking=_own(request, appointment_id),
                                      channel=_channel(request), by_person=person_of(request))
    # The shape of ``AppointmentOut``, written straight to JSON (a test validates it).
    return json_response(appointment_out(booking))


@appointments_router.post("/{appointment_id}/reschedule",
                          response={200: AppointmentOut, **errors(403, 409, 429)},
                          auth=AFFILIATE_AUTH)
def appointment_reschedule(request, appointment_id: UUID, payload: RescheduleIn):
    """Move the appointment to another free time of the same specialty, within the same
    notice window as cancelling."""
    booking = _own(request, appointment_id)
    slot = _medical_slot(payload.slot)
    services.booking_reschedule(booking=booking, new_slot=slot, channel=_channel(request),
                                by_person=person_of(request))
    return appointment_out(_own(request, appointment_id))
