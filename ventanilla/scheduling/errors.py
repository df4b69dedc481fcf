from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


class SlotTaken(Conflict):
    """R-APT-10: every place of the slot is taken."""

    code = "SLOT_TAKEN"
    default_message = _("This time has just been taken. Choose another time.")


class SlotHeld(SlotTaken):
    """Someone else holds the last free place while they confirm it (``slot_hold``)."""

    code = "SLOT_HELD"
    default_message = _("Someone is confirming this time right now. Choose another time, "
                        "or try again in a few minutes.")


class SlotUnavailable(ValidationFailed):
    code = "SLOT_UNAVAILABLE"
    default_message = _("This time can no longer be booked. Choose another time.")


class AlreadyBooked(Conflict):
    code = "ALREADY_BOOKED"
    default_message = _("This person already has a visit booked at that time.")


class SameSpecialtySameDay(Conflict):
    """R-APT-14: one appointment of a specialty a day for each person."""

    code = "SAME_SPECIALTY_SAME_DAY"
    default_message = _("This person already has an appointment of this specialty that "
                        "day. Keep that one, or change it instead of booking another.")


class SpecialtyNotForAge(ValidationFailed):
    """A specialty for another age (Pediatrics: patients under 18)."""

    code = "SPECIALTY_NOT_FOR_AGE"
    default_message = _("Pediatrics is for patients under 18. For an adult, choose General "
                        "Medicine or Family Medicine.")


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


class NotCovered(ValidationFailed):
    """R-APT-01: the person is not covered for appointments on the date; the message is the
    coverage function's reason."""

    code = "NOT_COVERED"
    default_message = _("This person is not covered for medical appointments on that date.")


class ReferralRequired(ValidationFailed):
    """R-APT-08, R-APT-12: a second-level specialty is booked only with a referral."""

    code = "REFERRAL_REQUIRED"
    default_message = _("This specialty needs a referral from your health centre or doctor. "
                        "Ask for one at your first-level appointment, then book again.")


class QuotaExceeded(ValidationFailed):
    """R-APT-11: the message names the quota; the channel used is blocked."""

    code = "QUOTA_EXCEEDED"


class ChannelBlocked(PermissionDenied):
    """R-APT-11: this phone number, device or account exceeded the booking quotas."""

    code = "CHANNEL_BLOCKED"


class PhoneDayRefused(ValidationFailed):
    """R-APT-06: by phone, the day of the appointment follows the caller's ID number."""

    code = "PHONE_DAY_REFUSED"


# --- free-time alerts ("Avisarme": alerts.py) ----------------------------------------

class AlertPlaceUnknown(ValidationFailed):
    code = "ALERT_PLACE_UNKNOWN"
    default_message = _("Select a city")


class AlertServiceUnavailable(ValidationFailed):
    code = "ALERT_SERVICE_UNAVAILABLE"
    default_message = _("This specialty cannot be booked. Choose another specialty.")


class AlertNoEmail(ValidationFailed):
    code = "ALERT_NO_EMAIL"
    default_message = _("Add an e-mail address to your contact details, so that we can "
                        "tell you when a time opens.")


class AlertNotFound(NotFound):
    code = "ALERT_NOT_FOUND"
    default_message = _("This alert was not found.")
