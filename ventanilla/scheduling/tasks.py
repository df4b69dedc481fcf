"""Background jobs (django.tasks; the database backend runs them in `ventanilla worker`) and
the e-mails of scheduling (the outbox of ``notifications`` sends them)."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task
from django.utils import translation

from ventanilla.notifications.messages import Email, email_message, email_render


@task()
def slots_generate_ahead(*, days: int | None = None, country: str = "") -> dict[str, int]:
    """Keep every active centre's slots generated ``days`` ahead (default
    ``SLOTS_AHEAD_DAYS``; run daily), then tell the people waiting for a free time."""
    from .services import slots_generate_ahead as generate

    result = generate(days=settings.SLOTS_AHEAD_DAYS if days is None else days,
                      country=country or None)
    return {"created": result.created, "closed": result.closed, "reopened": result.reopened}


@task()
def slot_alerts_send(*, service_id: str = "", place_code: str = "") -> int:
    """"Avisarme": e-mail the open alerts that now have a free time (``alerts``); with a
    service's public id and a centre's place code, only those one freed place satisfies."""
    from .alerts import slot_alerts_send as send

    return send(service_id=service_id or None, place_code=place_code or None)


# --- e-mails (sent through the outbox, notifications) -------------------------------------

def booking_recipient(booking):
    """Who an e-mail about a booking goes to: the patient, else whoever booked it; None when
    neither has an address (reminders, copies)."""
    for who in (booking.booked_for, booking.person):
        if who.email:
            return who
    return None


def _booking_email(booking_id: str, *, template: str) -> Email | None:
    """An e-mail about a booking still booked, in the active language, with the calendar
    file; nothing when it was cancelled or moved since."""
    from django.urls import reverse
    from django.utils import timezone

    from ventanilla.countries.registry import get_pack

    from .documents import booking_ics
    from .models import Booking, BookingStatus, Service

    booking = (Booking.objects.select_related("slot__centre", "slot__service", "slot__doctor",
                                              "booked_for", "person")
               .filter(public_id=booking_id, status=BookingStatus.BOOKED).first())
    if booking is None:
        return None
    pack = get_pack(booking.slot.centre.country)
    medical = booking.slot.service.kind == Service.Kind.MEDICAL
    path = reverse("portal:appointment" if medical else "portal:visit",
                   args=[booking.public_id])
    language = translation.get_language() or "es"
    return email_render(f"scheduling/email/{template}.txt",
                        [("cita.ics", booking_ics(booking, language=language),
                          "text/calendar")],
                        booking=booking, patient=booking.booked_for, medical=medical,
                        starts=timezone.localtime(booking.slot.starts_at, pack.tz), path=path)


@email_message("scheduling.booking_reminder")
def booking_reminder(*, booking_id: str) -> Email | None:
    """R-APT-09: tomorrow's appointment or visit, with the advice to arrive 30 minutes early
    and the calendar file."""
    return _booking_email(booking_id, template="booking_reminder")


@email_message("scheduling.booking_copy")
def booking_copy(*, booking_id: str) -> Email | None:
    """A copy of an appointment or visit the person asked for on its page (UX.md: e-mail
    copies), with the calendar file."""
    return _booking_email(booking_id, template="booking_copy")


@email_message("scheduling.slot_alert")
def slot_alert(*, alert_id: str, slot_id: str) -> Email | None:
    """"Avisarme": a free time of the specialty the person waited for, with a link that opens
    the booking flow there (``alerts``)."""
    from .alerts import slot_alert_email

    return slot_alert_email(alert_id=alert_id, slot_id=slot_id)
