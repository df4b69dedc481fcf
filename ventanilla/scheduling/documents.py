"""A booking as documents a person keeps: a calendar file (.ics, in the centre's time zone)
and a printable PDF (R-APT-03, R-APT-09). Both in the person's language."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ventanilla.countries.registry import get_pack

from .facts import booking_facts


def _facts(booking) -> dict:
    facts = booking_facts(booking)
    slot = booking.slot
    return {
        "booking": booking, "slot": slot, "centre": facts.centre,
        "pack": get_pack(facts.country), "service": facts.service_label,
        "doctor": facts.doctor, "starts": facts.starts, "ends": facts.ends,
        "arrive_early": facts.arrive_early_minutes, "reference": facts.reference,
        "facts": facts,
    }


def booking_ics(booking, *, language: str | None = None) -> bytes:
    """An iCalendar file with the event in the centre's own time zone (TZID), a reminder
    the day before, and the advice to arrive early. A cancelled booking gives a CANCELLED
    event with the same UID, so calendars remove it."""
    from icalendar import Alarm, Calendar, Event

    facts = _facts(booking)
    with translation.override(language or booking.booked_for.language or "es"):
        summary = f"{facts['service']} – {facts['centre'].name}"
        description = _("Arrive %(minutes)s minutes early with your identity document.") % {
            "minutes": facts["arrive_early"]}
        cal = Calendar()
        cal.add("prodid", "-//Ventanilla//Citas//ES")
        cal.add("version", "2.0")
        cal.add("method", "CANCEL" if booking.status == "cancelled" else "PUBLISH")
        event = Event()
        event.add("uid", f"{booking.public_id}@{settings.SITE_URL.split('://')[-1]}")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", facts["starts"])
        event.add("dtend", facts["ends"])
        event.add("summary", summary)
        event.add("location", f"{facts['centre'].name}, {facts['centre'].address}")
        event.add("description", description)
        event.add("status", "CANCELLED" if booking.status == "cancelled" else "CONFIRMED")
        if facts["centre"].latitude is not None and facts["centre"].longitude is not None:
            event.add("geo", (float(facts["centre"].latitude),
                              float(facts["centre"].longitude)))
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", timedelta(days=-1))
        event.add_component(alarm)
        cal.add_component(event)
        cal.add_missing_timezones()
    return cal.to_ical()


def booking_pdf(booking, *, language: str | None = None) -> bytes:
    """A one-page, tagged PDF of the booking (printable confirmation)."""
    from weasyprint import HTML

    lang = language or booking.booked_for.language or "es"
    with translation.override(lang):
        html = render_to_string("scheduling/booking.html", {**_facts(booking),
                                                            "LANGUAGE_CODE": lang})
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf(pdf_variant="pdf/ua-1")
