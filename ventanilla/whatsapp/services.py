"""Writes of the WhatsApp channel: receiving a message once, queueing replies, reminders.

A received message is recorded under its Cloud API id (unique) in the same transaction
that advances the conversation, so a delivery retried by Meta, even at the same moment, is
processed once. Replies are stored and queued in the outbox (``notifications``) in that
transaction, and sent by the worker after the commit.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ventanilla.core.text import clean_text
from ventanilla.countries.registry import all_packs

from . import conversation, rules
from .models import WhatsAppConversation, WhatsAppMessage, WhatsAppReminder

logger = logging.getLogger(__name__)

BODY_MAX = 4096  # the Cloud API's limit for a text message
PHONE_MIN, PHONE_MAX = 8, 15  # E.164 without "+"


def _queue(*, phone: str, body: str, conv: WhatsAppConversation | None) -> WhatsAppMessage:
    """Record a reply in the conversation and queue it in the outbox, in one transaction
    (the outbox retries it while the API is unreachable and tells ``tasks.text`` the
    outcome)."""
    from . import tasks

    with transaction.atomic():
        message = WhatsAppMessage.objects.create(
            direction=WhatsAppMessage.Direction.OUT, phone=phone, body=body[:BODY_MAX],
            status=WhatsAppMessage.Status.QUEUED, conversation=conv)
        tasks.text.queue(to=phone, language=conv.language if conv else "es",
                         message_id=str(message.public_id))
    return message


def message_receive(*, wa_id: str, phone: str, text: str, kind: str = "text",
                    now: datetime | None = None) -> list[WhatsAppMessage] | None:
    """Process one received message; None when it was already processed (or cannot be
    answered). Returns the replies queued for sending."""
    phone = rules.digits(phone)
    wa_id = clean_text(wa_id, max_length=128)
    text = clean_text(text, multiline=True)   # no NUL for PostgreSQL's text columns
    if not wa_id or not PHONE_MIN <= len(phone) <= PHONE_MAX:
        return None
    now = now or timezone.now()
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    inbound = WhatsAppMessage.objects.create(
                        direction=WhatsAppMessage.Direction.IN, wa_id=wa_id, phone=phone,
                        body=(text or "")[:BODY_MAX], status=WhatsAppMessage.Status.RECEIVED)
            except IntegrityError:
                return None  # the same delivery again
            outcome = conversation.conversation_reply(phone=phone, text=text or "", now=now,
                                                      message_id=wa_id, kind=kind)
            inbound.conversation = outcome.conversation
            inbound.save(update_fields=["conversation", "updated_at"])
            return [_queue(phone=phone, body=body, conv=outcome.conversation)
                    for body in outcome.replies]
    except Exception:
        # A bug must not leave the person without an answer, nor make Meta retry forever:
        # record the delivery and apologise.
        logger.exception("WhatsApp message %s could not be processed", wa_id)
        return _apologise(wa_id=wa_id, phone=phone, text=text)


def _apologise(*, wa_id: str, phone: str, text: str) -> list[WhatsAppMessage] | None:
    try:
        with transaction.atomic():
            WhatsAppMessage.objects.create(
                direction=WhatsAppMessage.Direction.IN, wa_id=wa_id, phone=phone,
                body=(text or "")[:BODY_MAX], status=WhatsAppMessage.Status.RECEIVED,
                error="not processed")
            conv = WhatsAppConversation.objects.filter(phone=phone).first()
            with translation.override(conv.language if conv else "es"):
                body = _("Sorry, something went wrong. Please write again in a few minutes.")
            return [_queue(phone=phone, body=body, conv=conv)]
    except IntegrityError:
        return None


# --- reminders (R-APT-09) ----------------------------------------------------------------

def _booking_facts(booking) -> dict[str, str]:
    """What a message about a booking says of it (in the active language): day and time
    local to the centre, patient, specialty, centre and address."""
    slot = booking.slot
    day, at = conversation._when(slot.starts_at, slot.centre.country)
    return {"day": day, "time": at, "name": booking.booked_for.full_name,
            "specialty": slot.service.label, "centre": slot.centre.name,
            "address": slot.centre.address}


def _reminder_text(booking) -> str:
    return _("Reminder: tomorrow, %(day)s at %(time)s, %(name)s has a %(specialty)s "
             "appointment at %(centre)s, %(address)s. Please arrive 30 minutes early with "
             "the identity document. If you cannot come, write MY APPOINTMENTS and then "
             "CANCEL and the number, so that someone else can have the time.") % (
                 _booking_facts(booking))


def reminders_send(*, now: datetime | None = None) -> int:
    """Queue a WhatsApp reminder for every medical appointment of tomorrow (the local day
    of each centre's country) whose patient or booker has opted in on their number. Each
    booking is reminded once, however often this runs. Returns the reminders queued."""
    from ventanilla.scheduling.models import Service
    from ventanilla.scheduling.selectors import bookings_starting_on

    now = now or timezone.now()
    queued = 0
    for pack in all_packs():
        tomorrow = timezone.localtime(now, pack.tz).date() + timedelta(days=1)
        bookings = (bookings_starting_on(country=pack.code, day=tomorrow,
                                         kind=Service.Kind.MEDICAL)
                    .exclude(pk__in=WhatsAppReminder.objects.values("booking_id")))
        for booking in bookings.iterator():
            if _remind(booking):
                queued += 1
    return queued


def _opted_in(booking) -> WhatsAppConversation | None:
    """The conversation of the patient's (else the booker's) registered mobile, when that
    number has opted in to WhatsApp messages."""
    phones = [p for p in (rules.digits(booking.booked_for.mobile_phone),
                          rules.digits(booking.person.mobile_phone)) if p]
    if not phones:
        return None
    opted = {c.phone: c for c in WhatsAppConversation.objects.filter(phone__in=phones,
                                                                      whatsapp_opt_in=True)}
    return next((opted[p] for p in phones if p in opted), None)


def person_notice_queue(*people, text) -> str | None:
    """A notice to the first of ``people`` whose registered mobile opted in to WhatsApp
    messages; ``text()`` is called in that conversation's language. Returns the number, or
    None when none has opted in."""
    phones = [p for p in (rules.digits(person.mobile_phone) for person in people if person)
              if p]
    if not phones:
        return None
    opted = {c.phone: c for c in WhatsAppConversation.objects.filter(phone__in=phones,
                                                                      whatsapp_opt_in=True)}
    conv = next((opted[p] for p in phones if p in opted), None)
    if conv is None:
        return None
    with translation.override(conv.language):
        body = str(text())
    _queue(phone=conv.phone, body=body, conv=conv)
    return conv.phone


def booking_copy_queue(booking) -> str | None:
    """A copy of an appointment the person asked for on its page (UX.md: WhatsApp copies),
    to the registered mobile that opted in. Returns the number, or None when none has."""
    conv = _opted_in(booking)
    if conv is None:
        return None
    with translation.override(conv.language):
        body = _("Your appointment: %(day)s at %(time)s, %(name)s, %(specialty)s at "
                 "%(centre)s, %(address)s. Please arrive 30 minutes early with the identity "
                 "document. To cancel, write MY APPOINTMENTS.") % _booking_facts(booking)
    _queue(phone=conv.phone, body=body, conv=conv)
    return conv.phone


def _remind(booking) -> bool:
    conv = _opted_in(booking)
    if conv is None:
        return False
    phone = conv.phone
    try:
        with transaction.atomic():
            reminder, created = WhatsAppReminder.objects.get_or_create(
                booking=booking, defaults={"phone": phone})
            if not created:
                return False
            with translation.override(conv.language):
                body = _reminder_text(booking)
            reminder.message = _queue(phone=phone, body=body, conv=conv)
            reminder.save(update_fields=["message", "updated_at"])
    except IntegrityError:
        return False  # another run reminded it at the same moment
    return True
