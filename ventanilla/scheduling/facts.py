"""One read model per booking (STYLE.md "Next shapes" 3): ``booking_facts`` builds, once,
what every channel says about a booking — local start and end, arrive-by (R-APT-09), the
last moment to change or cancel it and whether that is still possible (R-APT-04,
R-APT-13), the reference a person reads out or quotes — and the portal, the call centre,
WhatsApp, the API, the PDF and the calendar file render it. Saleor's ``CheckoutInfo`` is
the model."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from ventanilla.countries.registry import get_pack

from . import rules
from .models import Booking, BookingStatus, Centre, Doctor

ARRIVE_EARLY_MINUTES = 30   # R-APT-09
ARRIVE_EARLY = timedelta(minutes=ARRIVE_EARLY_MINUTES)


def booking_reference(booking: Booking) -> str:
    """The short reference of a booking, read out on the phone and printed on the PDF: the
    first group of its public id, in capitals (``7F3A91C2``)."""
    return str(booking.public_id).split("-")[0].upper()


@dataclass(frozen=True)
class BookingFacts:
    booking: Booking
    reference: str
    country: str
    starts: datetime             # on the centre's country clock
    ends: datetime
    arrive_by: datetime
    change_until: datetime       # the last moment to change or cancel it online
    notice_hours: int
    is_booked: bool
    can_change: bool             # booked, and the change window is still open
    service_label: str
    centre: Centre
    doctor: Doctor | None
    patient_name: str
    arrive_early_minutes: int = ARRIVE_EARLY_MINUTES

    @property
    def is_medical(self) -> bool:
        return self.booking.slot.service.is_medical


def booking_facts(booking: Booking, *, now: datetime | None = None) -> BookingFacts:
    """The facts of ``booking`` (its slot, centre, service and doctor read with it, as the
    selectors do)."""
    slot = booking.slot
    pack = get_pack(slot.centre.country)
    until = rules.change_deadline(slot.starts_at, notice_hours=pack.cancel_notice_hours)
    is_booked = booking.status == BookingStatus.BOOKED
    return BookingFacts(
        booking=booking, reference=booking_reference(booking), country=pack.code,
        starts=pack.localtime(slot.starts_at), ends=pack.localtime(slot.ends_at),
        arrive_by=pack.localtime(slot.starts_at - ARRIVE_EARLY),
        change_until=pack.localtime(until), notice_hours=pack.cancel_notice_hours,
        is_booked=is_booked, can_change=is_booked and (now or timezone.now()) <= until,
        service_label=str(slot.service.label), centre=slot.centre,
        doctor=slot.doctor if slot.doctor_id else None,
        patient_name=booking.booked_for.full_name)
