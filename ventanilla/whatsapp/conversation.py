"""The WhatsApp conversation (R-APT-07, R-APT-09): a state machine over one sender number.

greeting → full name → ID number → specialty → city (the patient's first) → the next free
times this patient may book there (numbered, ``booking_steps``) → a number → confirm →
booked. "MIS CITAS" / "MY APPOINTMENTS" lists the upcoming appointments and
"CANCELAR n" / "CANCEL n" cancels one, at any step once the person is identified.

Security (R-APT-07): the conversation acts only for the person identified by full name and
ID number *and* whose registered mobile is the sender's number, or whose holder's (the
affiliate a dependant hangs from) is. Anything else, including a wrong name, gets the same
neutral answer, which says how to register a number and reveals nothing about the ID.

No HTTP here: ``conversation_reply`` takes the sender's number and the text and returns the
replies, so tests replay a conversation without a webhook. Bookings and cancellations go
through ``ventanilla.scheduling.services`` with ``channel=WHATSAPP``; every reply is a
gettext string with an English msgid, rendered in the conversation's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ventanilla.core.channels import Channel
from ventanilla.core.dates import time_text, weekday_day_text
from ventanilla.core.errors import DomainError
from ventanilla.core.text import clean_text
from ventanilla.countries.help import numbers_text
from ventanilla.countries.registry import get_pack
from ventanilla.scheduling.catalogue import MEDICAL

from . import rules
from .booking_steps import BookingSteps
from .models import WhatsAppConversation

State = WhatsAppConversation.State

DEFAULT_MINUTES = 30
MAX_FAILED_IDENTIFICATIONS = 3
SLOTS_OFFERED = 3
NAME_MAX = 200


@dataclass
class Outcome:
    conversation: WhatsAppConversation
    replies: list[str]


def _ttl() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "WHATSAPP_CONVERSATION_MINUTES",
                                         DEFAULT_MINUTES)))


def _forget(conv: WhatsAppConversation) -> None:
    conv.state = State.START
    conv.person = None
    conv.data = {}
    conv.failed_attempts = 0


def conversation_get(phone: str, *, now: datetime) -> WhatsAppConversation:
    """The sender's conversation, locked for this message; an expired one starts again."""
    conv, _created = WhatsAppConversation.objects.select_for_update().get_or_create(
        phone=phone)
    if conv.expires_at is not None and conv.expires_at <= now:
        _forget(conv)
    return conv


def conversation_reply(*, phone: str, text: str, now: datetime | None = None,
                       message_id: str = "", kind: str = "text") -> Outcome:
    """Advance the sender's conversation by one message and return the replies to send."""
    now = now or timezone.now()
    phone = rules.digits(phone)
    text = clean_text(text, max_length=1000)
    with transaction.atomic():
        conv = conversation_get(phone, now=now)
        hint = rules.language_hint(text)
        if hint:
            conv.language = hint
        with translation.override(conv.language):
            flow = _Flow(conv, now=now, message_id=message_id)
            if kind != "text":
                flow.say(_("I can read only text messages. Please write your answer."))
            else:
                flow.handle(text)
        conv.expires_at = now + _ttl()
        conv.save()
    return Outcome(conv, flow.replies)


# --- identification ------------------------------------------------------------------------

def identify(*, phone: str, name: str, id_number: str, on_date=None):
    """(person, booker) when ``name`` and ``id_number`` are a registered person's and
    ``phone`` is their registered mobile (booker = the person) or their holder's (booker =
    the holder); else None. Never says which check failed."""
    from ventanilla.dependants.selectors import holder_affiliation_on
    from ventanilla.people.models import Person

    if not id_number or not name or not phone:
        return None
    for person in Person.objects.filter(id_number=id_number).order_by("pk")[:5]:
        if not rules.name_matches(name, given_names=person.given_names,
                                  family_names=person.family_names):
            continue
        if rules.digits(person.mobile_phone) == phone:
            return person, person
        on = on_date or timezone.now().astimezone(get_pack(person.country).tz).date()
        affiliation = holder_affiliation_on(person, on=on)
        holder_affiliation = affiliation.holder if affiliation is not None else None
        holder = holder_affiliation.person if holder_affiliation is not None else None
        if holder is not None and rules.digits(holder.mobile_phone) == phone:
            return person, holder
    return None


# --- formatting ----------------------------------------------------------------------------

def _when(starts_at: datetime, country: str) -> tuple[str, str]:
    local = starts_at.astimezone(get_pack(country).tz)
    return weekday_day_text(local), time_text(local)


def slot_line(slot) -> str:
    day, time = _when(slot.starts_at, slot.centre.country)
    return _("%(day)s at %(time)s, %(centre)s (%(address)s)") % {
        "day": day, "time": time, "centre": slot.centre.name, "address": slot.centre.address}


def allowed_list() -> str:
    from ventanilla.scheduling.catalogue import known_service

    names = []
    for n, code in enumerate(rules.WHATSAPP_SPECIALTIES, start=1):
        known = known_service(code)
        names.append(f"{n}. {known.label if known else code}")
    return "\n".join(names)


def _specialty_label(code: str) -> str:
    from ventanilla.scheduling.catalogue import known_service

    known = known_service(code)
    return str(known.label) if known else code


def _catalogue_labels() -> dict[str, list[str]]:
    """The catalogue's medical specialty names in every language, for matching."""
    from ventanilla.scheduling.catalogue import MEDICAL_SERVICES

    out: dict[str, list[str]] = {}
    for lang, _name in settings.LANGUAGES:
        with translation.override(lang):
            for known in MEDICAL_SERVICES:
                out.setdefault(known.code, []).append(str(known.label))
    return out


# --- the flow ------------------------------------------------------------------------------

class _Flow(BookingSteps):
    def __init__(self, conv: WhatsAppConversation, *, now: datetime, message_id: str):
        self.conv = conv
        self.now = now
        self.message_id = message_id
        self.replies: list[str] = []

    def say(self, text: str) -> None:
        self.replies.append(text)

    def _language(self, code: str) -> None:
        if code in dict(settings.LANGUAGES) and code != self.conv.language:
            self.conv.language = code
            translation.activate(code)  # inside the caller's override: restored after

    # who acts ---------------------------------------------------------------------------

    @property
    def person(self):
        return self.conv.person

    def booker(self):
        from ventanilla.people.models import Person

        pk = self.conv.data.get("booker")
        if self.conv.person is None or pk is None:
            return None
        if pk == self.conv.person.pk:
            return self.conv.person
        return Person.objects.filter(pk=pk).first()

    # dispatch ---------------------------------------------------------------------------

    def handle(self, text: str) -> None:
        conv = self.conv
        if conv.failed_attempts >= MAX_FAILED_IDENTIFICATIONS:
            self.say(_("Too many attempts. For your security, wait %(minutes)d minutes "
                       "and write again.") % {"minutes": int(_ttl().total_seconds() // 60)})
            return
        cmd = rules.command(text)
        if cmd is not None:
            if conv.person is None:
                conv.data = {"pending": {"action": cmd.action, "number": cmd.number}}
                conv.state = State.ASK_NAME
                self.say(_("First I need to know who you are."))
                self.say(self._ask_name_text())
                return
            self.run_command(cmd)
            return
        if conv.state == State.START or rules.is_restart(text):
            self.greet()
            return
        handler = {
            State.ASK_NAME: self.on_name,
            State.ASK_ID: self.on_id,
            State.ASK_SPECIALTY: self.on_specialty,
            State.ASK_CITY: self.on_city,
            State.ASK_SLOT: self.on_slot,
            State.CONFIRM: self.on_confirm,
            State.DONE: self.on_done,
        }.get(State(conv.state), self.greet_with)
        handler(text)

    def greet_with(self, text: str) -> None:
        self.greet()

    def greet(self) -> None:
        failed = self.conv.failed_attempts  # saying "hola" again does not reset the count
        _forget(self.conv)
        self.conv.failed_attempts = failed
        self.conv.state = State.ASK_NAME
        self.say(_("Hello! This is the appointments service of your health insurance. By "
                   "WhatsApp you can book Dentistry and General Medicine, see your "
                   "appointments (write MY APPOINTMENTS) and cancel them."))
        self.say(self._ask_name_text())

    def _ask_name_text(self) -> str:
        return _("Please write the full name of the patient (given names and family names), "
                 "as on the identity document.")

    # steps ------------------------------------------------------------------------------

    def on_name(self, text: str) -> None:
        name = clean_text(text, max_length=NAME_MAX)
        if len(rules.name_tokens(name)) < 2:
            self.say(_("Please write the full name: given names and family names."))
            return
        self.conv.data["name"] = name
        self.conv.state = State.ASK_ID
        self.say(_("Thank you. Now write the patient's ID number (cédula, DNI or other "
                   "identity document)."))

    def on_id(self, text: str) -> None:
        conv = self.conv
        id_number = rules.clean_id(text)
        if not id_number:
            self.say(_("Please write the ID number, digits only."))
            return
        found = identify(phone=conv.phone, name=conv.data.get("name", ""),
                         id_number=id_number)
        if found is None:
            conv.failed_attempts += 1
            pending = conv.data.get("pending")
            conv.data = {"pending": pending} if pending else {}
            conv.state = State.ASK_NAME
            self.say(self._refusal_text())
            return
        person, booker = found
        conv.person = person
        conv.failed_attempts = 0
        pending = conv.data.pop("pending", None)
        conv.data = {"booker": booker.pk}
        if person.language == "en" or booker.language == "en":
            self._language("en")
        if pending:
            conv.state = State.DONE
            self.run_command(rules.Command(pending["action"], pending.get("number")))
            return
        conv.state = State.ASK_SPECIALTY
        self.say(_("Thank you, %(name)s. Which specialty do you need? Write its name or "
                   "number:") % {"name": person.given_names.split()[0]}
                 + "\n" + allowed_list())

    def _refusal_text(self) -> str:
        portal = settings.SITE_URL.rstrip("/") + "/portal/"
        return _("We could not confirm these details from this WhatsApp number. For your "
                 "security, appointments are handled here only from the mobile number "
                 "registered for the patient, or for the affiliate the patient depends on. "
                 "To register or change your number, sign in at %(portal)s with your ID "
                 "number and clave and update your mobile phone, or ask at a service centre. "
                 "Then write to us again. To try again, write the patient's full name.") % {
                     "portal": portal}

    def _appointment_numbers(self) -> str:
        """R-HLP-01: the phone lines for appointments of the patient's country."""
        person = self.conv.person
        return numbers_text(person.country if person is not None else "")

    def on_done(self, text: str) -> None:
        code = rules.specialty_code(text, labels=_catalogue_labels())
        if code is not None:
            self.on_specialty(text)
            return
        self.say(_("Write MY APPOINTMENTS to see your appointments, CANCEL and the number "
                   "to cancel one, or the name of a specialty to book another:")
                 + "\n" + allowed_list())

    # appointments ----------------------------------------------------------------------

    def _upcoming(self):
        from ventanilla.scheduling.selectors import bookings_of

        return list(bookings_of(self.person, active_only=True, kind=MEDICAL)
                    .filter(slot__starts_at__gt=self.now)[:20])

    def run_command(self, cmd: rules.Command) -> None:
        if cmd.action == "list":
            self.list_appointments()
        elif cmd.action == "cancel" and cmd.number is not None:
            self.cancel(cmd.number)

    def list_appointments(self) -> None:
        """R-APT-09: the upcoming appointments, numbered for CANCEL n."""
        bookings = self._upcoming()
        self.conv.data["listed"] = [str(b.public_id) for b in bookings]
        if not bookings:
            self.say(_("You have no upcoming appointments. To book one, write the "
                       "specialty:") + "\n" + allowed_list())
            return
        lines = []
        for n, booking in enumerate(bookings, start=1):
            lines.append(_("%(n)d. %(specialty)s for %(name)s: %(when)s") % {
                "n": n, "specialty": booking.slot.service.label,
                "name": booking.booked_for.full_name, "when": slot_line(booking.slot)})
        self.say(_("Your upcoming appointments:") + "\n" + "\n".join(lines) + "\n"
                 + _("Please arrive 30 minutes early. To cancel one, write CANCEL and its "
                     "number, for example CANCEL 1."))

    def cancel(self, number: int) -> None:
        from ventanilla.scheduling.selectors import booking_get_for
        from ventanilla.scheduling.services import booking_cancel

        listed = self.conv.data.get("listed")
        if listed is None:
            listed = [str(b.public_id) for b in self._upcoming()]
        booking = (booking_get_for(self.person, listed[number - 1], kind=MEDICAL)
                   if 1 <= number <= len(listed) else None)
        if booking is None:
            self.say(_("There is no appointment number %(n)d. Write MY APPOINTMENTS to see "
                       "the list.") % {"n": number})
            return
        try:
            booking_cancel(booking=booking, channel=Channel.WHATSAPP, by_person=self.person,
                           now=self.now)
        except DomainError as exc:
            self.say(str(exc.message))
            return
        self.conv.data.pop("listed", None)
        self.say(_("Cancelled: %(specialty)s for %(name)s on %(when)s. The time is free for "
                   "someone else.") % {
                       "specialty": booking.slot.service.label,
                       "name": booking.booked_for.full_name, "when": slot_line(booking.slot)})
