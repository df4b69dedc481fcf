"""R-APT-09: the WhatsApp reminder the day before, to numbers that opted in, once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ventanilla.core.channels import Channel
from ventanilla.scheduling.services import booking_create
from ventanilla.whatsapp.models import WhatsAppConversation, WhatsAppMessage, WhatsAppReminder
from ventanilla.whatsapp.services import reminders_send
from ventanilla.whatsapp.tasks import send_appointment_reminders

from .conftest import ANA, ANA_PHONE, STRANGER_PHONE, quito_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def tomorrow_slots(clinic, specialties, make_slot):
    return [make_slot(clinic, specialties["dentistry"], quito_at(1, 8, m)) for m in (0, 20)]


def test_r_apt_09_a_reminder_goes_the_day_before_once(chat, ana, tomorrow_slots, slots,
                                                       django_capture_on_commit_callbacks):
    chat(ANA_PHONE, "Hola", ANA["name"], ANA["id"], "1", "1", "1", "si")  # tomorrow 08:00
    chat(ANA_PHONE, "odontologia", "1", "3", "si")                  # in 3 days: not yet
    with django_capture_on_commit_callbacks(execute=True):
        assert send_appointment_reminders.call() == 1
    reminder = WhatsAppReminder.objects.get()
    assert reminder.booking.slot == tomorrow_slots[0]
    assert reminder.phone == ANA_PHONE
    text = reminder.message.body
    assert text.startswith("Recordatorio: mañana") and "08:00" in text
    assert "llegue 30 minutos antes" in text
    assert reminder.message.status == "not_sent"  # no access token in tests
    # running again (the worker retries, a second daily run) sends nothing more
    assert send_appointment_reminders.call() == 0
    assert WhatsAppReminder.objects.count() == 1


def test_r_apt_09_no_reminder_without_opt_in(ana, stranger, tomorrow_slots):
    booking_create(slot=tomorrow_slots[0], person=ana, channel=Channel.WEB)
    booking_create(slot=tomorrow_slots[1], person=stranger, channel=Channel.WEB)
    WhatsAppConversation.objects.create(phone=STRANGER_PHONE, whatsapp_opt_in=False)
    assert reminders_send() == 0
    # the number opted in (booked by WhatsApp earlier): web bookings are reminded too
    WhatsAppConversation.objects.create(phone=ANA_PHONE, whatsapp_opt_in=True, language="en")
    assert reminders_send() == 1
    assert WhatsAppMessage.objects.get(direction="out").phone == ANA_PHONE


def test_r_apt_09_tomorrow_is_the_local_day_of_the_centre(ana, tomorrow_slots):
    booking_create(slot=tomorrow_slots[0], person=ana, channel=Channel.WEB)
    WhatsAppConversation.objects.create(phone=ANA_PHONE, whatsapp_opt_in=True)
    # 23:30 in Quito two days before: "tomorrow" is the day before the appointment
    two_days_before = quito_at(-1, 23, 30)
    assert reminders_send(now=two_days_before) == 0
    assert reminders_send(now=quito_at(0, 0, 5)) == 1


def test_r_apt_09_a_cancelled_appointment_is_not_reminded(ana, tomorrow_slots):
    from ventanilla.scheduling.services import booking_cancel

    booking = booking_create(slot=tomorrow_slots[0], person=ana, channel=Channel.WEB)
    booking_cancel(booking=booking, channel=Channel.WEB, by_person=ana,
                   now=timezone.now() - timedelta(days=1))
    WhatsAppConversation.objects.create(phone=ANA_PHONE, whatsapp_opt_in=True)
    assert reminders_send() == 0


def test_r_apt_09_the_daily_command_reminds_once(ana, tomorrow_slots):
    from io import StringIO

    from django.core.management import call_command

    booking_create(slot=tomorrow_slots[0], person=ana, channel=Channel.WEB)
    WhatsAppConversation.objects.create(phone=ANA_PHONE, whatsapp_opt_in=True)
    out = StringIO()
    call_command("whatsapp_reminders", stdout=out)
    call_command("whatsapp_reminders", stdout=out)
    assert out.getvalue().splitlines() == ["reminders queued: 1", "reminders queued: 0"]
