"""R-APT-09: a reminder the day before, by e-mail, sent once, with the calendar file."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_r_apt_09_a_reminder_goes_out_the_day_before_once_with_the_calendar_file(
        make_affiliate, smtp_server, django_capture_on_commit_callbacks):
    from ventanilla.countries.registry import get_pack
    from ventanilla.scheduling.defaults import medical_services_ensure
    from ventanilla.scheduling.models import Centre, Slot
    from ventanilla.scheduling.services import booking_create

    person = make_affiliate(affiliation_type="employee")
    service = {s.code: s for s in medical_services_ensure("EC")}["dentistry"]
    centre = Centre.objects.create(country="EC", kind="medical", code="ec-h", name="Hospital",
                                   subdivision_code="170150", address="Av. Maldonado")
    tz = get_pack("EC").tz
    tomorrow = timezone.localtime(timezone.now(), tz).date() + timedelta(days=1)
    start = timezone.make_aware(timezone.datetime.combine(
        tomorrow, timezone.datetime.min.time().replace(hour=15)), tz)
    later = start + timedelta(days=2)
    slots = [Slot.objects.create(centre=centre, service=service, starts_at=s,
                                 ends_at=s + timedelta(minutes=20)) for s in (start, later)]
    for slot in slots:
        booking_create(slot=slot, person=person, channel="web")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reminders_send")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reminders_send")  # a second run sends nothing twice
    messages = smtp_server.wait_for(1)
    assert len(messages) == 1
    message = messages[0]
    assert message["To"] == person.email
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "30" in body and "Hospital" in body and "15:00" in body
    attachment = next(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
