"""What an affiliate may book (R-APT-14), for API clients: the same read every channel
offers from (``allowance.booking_allowance``), so an app never shows a time the booking
would refuse or punish. The public ``GET /api/v1/slots`` knows nobody's rules."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from django.utils.translation import gettext_lazy as _
from ninja import Router

from ventanilla.accounts.api.auth import AFFILIATE_AUTH, person_of
from ventanilla.core.api_contract import errors
from ventanilla.core.errors import NotFound
from ventanilla.countries.registry import get_pack

from .. import selectors
from ..allowance import Allowance, booking_allowance
from ..errors import BookedForRefused
from ..models import Service
from ..quotas import web_account_key
from .appointments import _channel
from .router import _centre_out, _doctor_out, _service_out
from .schemas import BookableOut, BookableSlotOut

bookable_router = Router(tags=["appointments"])
MAX_LIMIT = 100


def _allowance(request, specialty: str, booked_for: UUID | None) -> Allowance:
    person = person_of(request)
    service = selectors.service_get(country=person.country, code=specialty)
    if service is None or service.kind != Service.Kind.MEDICAL or not service.is_active:
        raise NotFound(_("There is no such specialty."), field="specialty")
    patient = person
    if booked_for is not None and booked_for != person.public_id:
        patient = selectors.people_bookable_by(person).filter(public_id=booked_for).first()
        if patient is None:
            raise BookedForRefused(field="booked_for")
    return booking_allowance(person=person, booked_for=patient, service=service,
                             channel=_channel(request), channel_key=web_account_key(person))


@bookable_router.get("", response={200: BookableOut, **errors(404, 422)}, auth=AFFILIATE_AUTH)
def bookable(request, specialty: str, booked_for: UUID | None = None):
    """Before showing any time: whether this specialty can be booked for the patient
    (yourself, or ``booked_for``, a dependant) and, if not, why; otherwise the days the
    patient's other appointments close, the last day that may be booked and the room left
    in each quota today."""
    allowance = _allowance(request, specialty, booked_for)
    refusal = allowance.refusal
    return {
        "refusal": ({"reason": str(refusal.reason), "message": refusal.message,
                     "until": refusal.until} if refusal is not None else None),
        "last_day": allowance.last_day, "last_day_reason": allowance.last_day_reason,
        "closed_days": [{"date": c.day, "reason": str(c.reason), "message": c.message,
                         "appointment_id": c.booking.public_id if c.booking else None}
                        for _d, c in sorted(allowance.closed.items())
                        if c.day >= allowance.today][:60],
        "quota_room_today": [{"days": r.days, "limit": r.limit, "left": r.left}
                             for r in allowance.room(allowance.today)],
        "notice_hours": allowance.notice_hours,
    }


@bookable_router.get("/slots", response={200: list[BookableSlotOut], **errors(404, 422)},
                     auth=AFFILIATE_AUTH)
def bookable_slots(request, specialty: str, booked_for: UUID | None = None,
                   province: str | None = None, city: str | None = None,
                   date_from: date | None = None, date_to: date | None = None,
                   limit: int = 50):
    """The free times this affiliate may book of ``specialty`` for the patient, earliest
    first: those of ``GET /api/v1/slots`` without any the booking would refuse (a full
    quota, the same specialty that day, a clash, the end of coverage or of a referral).
    ``final`` marks a time already inside the cancellation window."""
    allowance = _allowance(request, specialty, booked_for)
    person = person_of(request)
    pack = get_pack(person.country)
    place = city or province or None
    if place is not None and pack.geography.get(place) is None:
        raise NotFound(_("There is no such place."), field="city" if city else "province")
    rows = selectors.slots_free(country=person.country, service=allowance.service,
                                place=place, date_from=date_from, date_to=date_to,
                                for_person=person, allowance=allowance)
    if date_to is None and date_from is None:
        rows = rows.filter(starts_at__lt=allowance.now + timedelta(days=366))
    out = []
    for slot in rows[:min(max(limit, 1), MAX_LIMIT)]:
        out.append({"id": slot.public_id, "starts_at": slot.starts_at.astimezone(pack.tz),
                    "ends_at": slot.ends_at.astimezone(pack.tz),
                    "centre": _centre_out(slot.centre), "service": _service_out(slot.service),
                    "doctor": _doctor_out(slot), "free": slot.capacity - slot.booked_count,
                    "final": allowance.final(slot.starts_at)})
    return out
