"""Recording whether the person came (R-APT-05, R-APT-08)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.core.audit import audit_record
from ventanilla.core.channels import Channel
from ventanilla.core.errors import PermissionDenied, ValidationFailed

from .. import quotas, referrals
from ..errors import (
    BookingNotActive,
)
from ..models import Booking, BookingStatus, Service, Slot
from . import checks

ATTENDED_EARLY = timedelta(hours=1)


def booking_attendance_record(*, booking: Booking, attended: bool, actor,
                              now: datetime | None = None) -> Booking:
    """Staff of the visit's centre record whether the person came (R-APT-05 counts the
    no-shows). "Came" can be recorded from an hour before the start (people arrive early);
    "did not come" only once the visit has started."""
    now = now or timezone.now()
    checks.acting_on(booking, actor=actor, by_person=None, perm="scheduling.change_booking")
    if actor is None:
        raise PermissionDenied()
    if getattr(actor, "centre_id", None) and actor.centre_id != booking.slot.centre_id:
        raise PermissionDenied(_("Only the staff of the visit's centre record attendance."))
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.status != BookingStatus.BOOKED:
            raise BookingNotActive(field="booking")
        starts_at, kind, level, country = Slot.objects.values_list(
            "starts_at", "service__kind", "service__level", "centre__country",
        ).get(pk=locked.slot_id)
        if now < starts_at - (ATTENDED_EARLY if attended else timedelta(0)):
            raise ValidationFailed(_("Attendance can be recorded once the visit has started."),
                                   field="booking")
        locked.status = BookingStatus.ATTENDED if attended else BookingStatus.NO_SHOW
        locked.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="booking.attendance", obj=locked,
                     subject_ref=locked.booked_for.subject_ref,
                     channel=Channel.BACK_OFFICE, details={"status": locked.status})
        if not attended and kind == Service.Kind.MEDICAL:
            if level >= Service.Level.SECOND:
                referrals.referral_void(booking=locked)      # R-APT-08
            quotas.no_show_sanction(booking=locked, country=country)   # R-APT-05
    return locked
