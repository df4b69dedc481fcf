"""Copies of a booking the person asks for on its page (UX.md "Booking": e-mail or
WhatsApp copies of the confirmation). One place for the web and any other channel."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import ValidationFailed
from ventanilla.core.ratelimit import limit
from ventanilla.core.text import mask_email, mask_phone
from ventanilla.countries.contacts import ChannelKind
from ventanilla.countries.help import numbers_text

from . import tasks
from .errors import BookingNotActive
from .models import BookingStatus

EMAIL, WHATSAPP = "email", "whatsapp"
MEDIA = (EMAIL, WHATSAPP)


def booking_copy_send(*, booking, medium: str) -> str:
    """Send a copy of an active booking by e-mail (with the calendar file; to the patient,
    else to whoever booked it) or WhatsApp (to their registered mobile that opted in).
    Returns where it goes, masked, for the page to say. Raises ``ValidationFailed`` naming
    what is missing."""
    # a few an hour per person, so a copy cannot be used to flood an inbox (every channel)
    limit("scheduling.booking_copy", key=str(booking.person.public_id))
    if medium not in MEDIA:
        raise ValidationFailed(_("Choose e-mail or WhatsApp."), field="medium")
    if booking.status != BookingStatus.BOOKED:
        raise BookingNotActive(field="booking")
    if medium == EMAIL:
        to = tasks.booking_recipient(booking)
        if to is None:
            raise ValidationFailed(_("There is no e-mail address on file. Add one in your "
                                     "contact details, then ask again."), field="medium")
        tasks.booking_copy.queue(to=to.email, language=to.language,
                                 booking_id=str(booking.public_id))
        return mask_email(to.email)
    from ventanilla.whatsapp.services import booking_copy_queue

    with transaction.atomic():
        phone = booking_copy_queue(booking)
    if phone is None:
        # R-HLP-01: say which number to write to, when the country has one
        number = numbers_text(booking.slot.centre.country, kind=ChannelKind.WHATSAPP)
        if number:
            raise ValidationFailed(_("WhatsApp copies go only to a registered mobile number "
                                     "that has written to our WhatsApp number, %(number)s. "
                                     "Write to it once from your mobile, then ask again.")
                                   % {"number": number}, field="medium")
        raise ValidationFailed(_("WhatsApp copies go only to a registered mobile number that "
                                 "has written to our WhatsApp number. Write to it once from "
                                 "your mobile, then ask again."), field="medium")
    return mask_phone(phone)
