from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from ventanilla.core.api_schema import InputSchema, OutputSchema, column

from ..models import Booking


class CentreOut(OutputSchema):
    id: UUID
    code: str
    name: str
    address: str


class ServiceOut(OutputSchema):
    code: str
    kind: str
    name: str


class DoctorOut(OutputSchema):
    id: UUID
    name: str


class SlotOut(OutputSchema):
    id: UUID
    starts_at: datetime      # local time of the centre, with its UTC offset
    ends_at: datetime
    centre: CentreOut
    service: ServiceOut
    doctor: DoctorOut | None = None
    free: int


class PersonRef(OutputSchema):
    id: UUID
    full_name: str


class VisitOut(OutputSchema):
    id: UUID
    status: str
    status_label: str
    starts_at: datetime
    ends_at: datetime
    centre: CentreOut
    service: ServiceOut
    booked_for: PersonRef
    purpose: str
    channel: str
    case_reference: str | None
    reference: str           # short reference to quote (the call centre reads it out)
    change_until: datetime   # last moment to cancel or reschedule (R-APT-04, R-APT-13)
    can_change: bool
    created_at: datetime


class VisitIn(InputSchema):
    slot: UUID
    booked_for: UUID | None = None
    purpose: str = column(Booking, "purpose", "")


class RescheduleIn(InputSchema):
    slot: UUID


class AppointmentIn(InputSchema):
    slot: UUID
    booked_for: UUID | None = None


class AppointmentOut(OutputSchema):
    """A medical appointment (R-APT-09): where, when, with whom, and until when it can be
    changed."""

    id: UUID
    status: str
    status_label: str
    starts_at: datetime
    ends_at: datetime
    arrive_by: datetime      # R-APT-09: 30 minutes before the start
    centre: CentreOut
    specialty: ServiceOut
    doctor: DoctorOut | None
    booked_for: PersonRef
    channel: str
    reference: str           # short reference to quote (the call centre reads it out)
    change_until: datetime   # last moment to cancel or reschedule (R-APT-04, R-APT-13)
    can_change: bool
    created_at: datetime


class RefusalOut(OutputSchema):
    """Why nothing of this specialty can be booked for this patient (R-APT-14)."""

    reason: str
    message: str
    until: datetime | None = None


class ClosedDayOut(OutputSchema):
    date: date
    reason: str              # quota | same_specialty
    message: str
    appointment_id: UUID | None = None


class QuotaRoomOut(OutputSchema):
    days: int
    limit: int
    left: int


class BookableOut(OutputSchema):
    """What this affiliate may book of a specialty for a patient (R-APT-14): a refusal, or
    the days closed by the patient's other appointments, the last day that may be booked
    and why, the room left in each quota today and the cancellation window."""

    refusal: RefusalOut | None = None
    last_day: date | None = None
    last_day_reason: str = ""
    closed_days: list[ClosedDayOut]
    quota_room_today: list[QuotaRoomOut]
    notice_hours: int


class BookableSlotOut(SlotOut):
    final: bool    # inside the cancellation window: once booked, not changeable online
