from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import Conflict, ValidationFailed


class SlotTaken(Conflict):
    """R-APT-10: every place of the slot is taken."""

    code = "SLOT_TAKEN"
    default_message = _("This time has just been taken. Choose another time.")


class SlotUnavailable(ValidationFailed):
    code = "SLOT_UNAVAILABLE"
    default_message = _("This time can no longer be booked. Choose another time.")


class AlreadyBooked(Conflict):
    code = "ALREADY_BOOKED"
    default_message = _("This person already has a visit booked at that time.")


class BookedForRefused(ValidationFailed):
    code = "BOOKED_FOR_REFUSED"
    default_message = _("You can book only for yourself or for the dependants on your "
                        "affiliation.")


class CancelTooLate(ValidationFailed):
    """R-APT-04, R-APT-13: the message names the country's notice in hours."""

    code = "CANCEL_TOO_LATE"


class BookingNotActive(Conflict):
    code = "BOOKING_NOT_ACTIVE"
    default_message = _("This visit is no longer booked.")


class IdempotencyKeyReused(Conflict):
    code = "IDEMPOTENCY_KEY_REUSED"
    default_message = _("This Idempotency-Key was already used for a different booking.")
