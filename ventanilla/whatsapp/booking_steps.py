"""The booking steps of the WhatsApp conversation (R-APT-07, R-APT-14): specialty → city →
the next free times this patient may book there → a number → YES → booked.

Every list is filtered by the patient's rules (``scheduling.allowance``): a refusal comes as
soon as the specialty is known, with the reason and where to go instead (R-HLP-01); the city
is asked, the patient's registered city first; when the city has no free time, the cities
that have some are offered, nearest first.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ventanilla.core.channels import Channel
from ventanilla.core.errors import DomainError
from ventanilla.countries.help import numbers_text
from ventanilla.countries.registry import get_pack

from . import rules
from .models import WhatsAppConversation

if TYPE_CHECKING:
    from ventanilla.people.models import Person

State = WhatsAppConversation.State

SLOTS_OFFERED = 3
CITIES_OFFERED = 5
CITY_LEVEL = 1   # the geography level people name as a city (a canton, a province in Peru)


class BookingSteps:
    """Mixed into the conversation's flow: ``conv``, ``now``, ``say`` and ``booker`` come
    from it."""

    conv: WhatsAppConversation
    now: datetime
    message_id: str

    def say(self, text: str) -> None:
        raise NotImplementedError

    def booker(self):
        raise NotImplementedError

    def greet(self) -> None:
        raise NotImplementedError

    @property
    def patient(self) -> Person:
        """The identified patient (the booking steps run only after identification)."""
        person = self.conv.person
        assert person is not None
        return person

    # the patient's rules ---------------------------------------------------------------

    def allowance(self):
        from ventanilla.scheduling.allowance import booking_allowance
        from ventanilla.scheduling.selectors import service_get

        booker = self.booker()
        service = service_get(country=self.patient.country,
                              code=self.conv.data.get("specialty", ""))
        if booker is None or service is None:
            return None
        return booking_allowance(person=booker, booked_for=self.patient, service=service,
                                 channel=Channel.WHATSAPP, channel_key="+" + self.conv.phone,
                                 now=self.now)

    def _say_refusal(self, refusal) -> None:
        """R-APT-14: the reason, then where the patient can go instead."""
        from .conversation import _specialty_label

        self.say(refusal.message)
        care = refusal.care_elsewhere(self.patient.country)
        if care is not None:
            self.say(f"{care.explanation} {care.place}.")
        numbers = numbers_text(self.patient.country)
        if refusal.specialty_only:
            # another specialty could still be booked for this patient
            self.say(_("You can call %(numbers)s, or write another specialty:")
                     % {"numbers": numbers} + "\n"
                     + "\n".join(f"{n}. {_specialty_label(c)}"
                                 for n, c in enumerate(rules.WHATSAPP_SPECIALTIES, start=1)))
        else:
            # nothing can be booked for this patient here: no list that is refused again
            self.conv.state = State.DONE
            self.say(_("You can call %(numbers)s. Write MY APPOINTMENTS to see your "
                       "appointments.") % {"numbers": numbers})

    # specialty ---------------------------------------------------------------------------

    def on_specialty(self, text: str) -> None:
        from .conversation import _catalogue_labels, _specialty_label, allowed_list

        code = rules.specialty_code(text, labels=_catalogue_labels())
        if code is None:
            self.say(_("I did not recognise that specialty. By WhatsApp you can book:")
                     + "\n" + allowed_list())
            return
        if not rules.may_book_here(code):
            self.say(_("%(specialty)s cannot be booked by WhatsApp. By WhatsApp you can book "
                       "only:") % {"specialty": _specialty_label(code)}
                     + "\n" + allowed_list() + "\n"
                     + _("For other specialties use the portal or call %(numbers)s.")
                     % {"numbers": numbers_text(self.patient.country)})
            return
        self.conv.data["specialty"] = code
        self.conv.data.pop("city", None)
        allowance = self.allowance()
        if allowance is not None and allowance.refusal is not None:
            self.conv.state = State.ASK_SPECIALTY
            self._say_refusal(allowance.refusal)
            return
        self.ask_city(allowance)

    # city ----------------------------------------------------------------------------------

    def _home_city(self) -> str:
        booker = self.booker()
        home = self.patient.subdivision_code or (booker.subdivision_code if booker else "")
        if not home:
            return ""
        city = get_pack(self.patient.country).geography.ancestor_at(home, CITY_LEVEL)
        return city.code if city is not None else ""

    def _cities_with_times(self, allowance, *, near: str = "") -> list[tuple[str, int]]:
        """Cities with free times the patient may book, nearest to ``near`` first."""
        from ventanilla.scheduling.nearby import places_with_times

        return [(code, free) for code, free, _km in places_with_times(
            country=self.patient.country, service=allowance.service, level=CITY_LEVEL,
            near=near, allowance=allowance, now=self.now)]

    def ask_city(self, allowance) -> None:
        """The cities to choose from: the patient's own first when it has free times they
        may book, then the nearest that have some (R-APT-14: a city without times is not
        offered as a choice; it is named, so the person knows why it is missing)."""
        from .conversation import _specialty_label

        home = self._home_city()
        counts = self._cities_with_times(allowance, near=home) if allowance else []
        label = _specialty_label(self.conv.data["specialty"])
        if not counts:
            self.conv.state = State.ASK_SPECIALTY
            self.say(_("There are no free times in any city now. Try again tomorrow, "
                       "write another specialty, or call %(numbers)s.")
                     % {"numbers": numbers_text(self.patient.country)})
            return
        free = dict(counts)
        geography = get_pack(self.patient.country).geography
        if home and home not in free:
            self.say(_("There are no free times for %(specialty)s in %(city)s at the "
                       "moment. New times open every day.")
                     % {"specialty": label, "city": _city_name(geography, home)})
        codes = ([home] if home in free else []) + [c for c, _n in counts if c != home]
        self._list_cities(codes[:CITIES_OFFERED], counts, home=home, question=_(
            "In which city do you want the %(specialty)s appointment? Reply with the "
            "number, or write the name of the city:") % {"specialty": label})

    def _list_cities(self, codes: list[str], counts: list[tuple[str, int]], *,
                     home: str = "", question: str) -> None:
        geography = get_pack(self.patient.country).geography
        free = dict(counts)
        self.conv.data["cities"] = codes
        self.conv.state = State.ASK_CITY
        lines = []
        for n, code in enumerate(codes, start=1):
            line = f"{n}. {_city_name(geography, code)}"
            if code == home:
                line += " " + _("(your city)")
            line += " — " + ngettext("%(count)d free time", "%(count)d free times",
                                     free.get(code, 0)) % {"count": free.get(code, 0)}
            lines.append(line)
        self.say(question + "\n" + "\n".join(lines))

    def on_city(self, text: str) -> None:
        from .conversation import _catalogue_labels

        offered = self.conv.data.get("cities") or []
        index = rules.choice(text, count=len(offered)) if offered else None
        code = offered[index] if index is not None else _city_named(
            self.patient.country, text)
        if code is None:
            specialty = rules.specialty_code(text, labels=_catalogue_labels())
            if specialty is not None and not text.strip().isdigit():
                self.on_specialty(text)
                return
            self.say(_("I did not find that city. Reply with a number from the list, or "
                       "write the name of the city as it is written on a map."))
            return
        self.conv.data["city"] = code
        self.offer_slots()

    # times ---------------------------------------------------------------------------------

    def offer_slots(self) -> None:
        from ventanilla.scheduling.selectors import slots_free

        from .conversation import _specialty_label, slot_line

        conv = self.conv
        code, city_code = conv.data["specialty"], conv.data.get("city", "")
        label = _specialty_label(code)
        allowance = self.allowance()
        if allowance is None:
            self.greet()
            return
        if allowance.refusal is not None:
            conv.state = State.ASK_SPECIALTY
            self._say_refusal(allowance.refusal)
            return
        if not city_code:
            self.ask_city(allowance)
            return
        slots = list(slots_free(country=self.patient.country, service=allowance.service,
                                place=city_code, now=self.now, for_person=self.booker(),
                                allowance=allowance)[:SLOTS_OFFERED])
        city_name = _city_name(get_pack(self.patient.country).geography, city_code)
        if not slots:
            counts = self._cities_with_times(allowance, near=city_code)
            others = [c for c, _n in counts if c != city_code][:CITIES_OFFERED]
            self.say(_("There are no free times for %(specialty)s in %(city)s at the "
                       "moment. New times open every day.")
                     % {"specialty": label, "city": city_name})
            if others:
                conv.data["city"] = ""
                self._list_cities(others, counts, question=_(
                    "The nearest cities with free times (reply with the number of a "
                    "city):"))
            else:
                conv.state = State.ASK_SPECIALTY
                self.say(_("There are no free times in any city now. Try again tomorrow, "
                           "write another specialty, or call %(numbers)s.")
                         % {"numbers": numbers_text(self.patient.country)})
            return
        conv.data["offered"] = [str(s.public_id) for s in slots]
        conv.state = State.ASK_SLOT
        lines = []
        for n, s in enumerate(slots, start=1):
            line = f"{n}. {slot_line(s)}"
            if allowance.final(s.starts_at):   # R-APT-04, R-APT-13
                line += " " + _("(cannot be changed or cancelled once booked)")
            lines.append(line)
        self.say(_("The next free times for %(specialty)s in %(city)s:")
                 % {"specialty": label, "city": city_name}
                 + "\n" + "\n".join(lines) + "\n"
                 + _("Reply with the number of the time you want, or CITY to choose another "
                     "city."))

    def _offered_slot(self, index: int):
        from ventanilla.scheduling.selectors import slot_get

        offered = self.conv.data.get("offered") or []
        return slot_get(offered[index]) if 0 <= index < len(offered) else None

    def on_slot(self, text: str) -> None:
        from ventanilla.scheduling.errors import SlotTaken, SlotUnavailable
        from ventanilla.scheduling.services import slot_hold

        from .conversation import _catalogue_labels, slot_line

        conv = self.conv
        offered = conv.data.get("offered") or []
        if rules.fold(text) in ("ciudad", "city", "otra ciudad", "another city"):
            allowance = self.allowance()
            conv.data["city"] = ""
            self.ask_city(allowance)
            return
        index = rules.choice(text, count=len(offered))
        if index is None:
            code = rules.specialty_code(text, labels=_catalogue_labels())
            if code is not None and not text.strip().isdigit():
                self.on_specialty(text)
                return
            self.say(_("Please reply with a number from 1 to %(count)d.")
                     % {"count": len(offered)})
            return
        slot = self._offered_slot(index)
        if slot is None:
            self.offer_slots()
            return
        booker = self.booker()
        try:
            # the same short hold as on the web, while the person answers YES
            held = slot_hold(slot=slot, person=booker or self.patient,
                             now=self.now)
        except (SlotTaken, SlotUnavailable) as exc:
            self.say(str(exc.message))
            self.offer_slots()
            return
        conv.data["slot"] = str(slot.public_id)
        conv.state = State.CONFIRM
        self.say(_("%(specialty)s for %(name)s on %(when)s. Reply YES to book it, or NO to "
                   "choose another time.") % {
                       "specialty": slot.service.label, "name": self.patient.full_name,
                       "when": slot_line(slot)})
        if held is not None:
            self.say(ngettext("We keep this time for you for %(minutes)d minute.",
                              "We keep this time for you for %(minutes)d minutes.",
                              settings.SLOT_HOLD_MINUTES)
                     % {"minutes": settings.SLOT_HOLD_MINUTES})

    def on_confirm(self, text: str) -> None:
        if rules.is_no(text):
            self.offer_slots()
            return
        if not rules.is_yes(text):
            self.say(_("Reply YES to book this time, or NO to choose another."))
            return
        self.book()

    # the booking ---------------------------------------------------------------------------

    def _idempotency_key(self) -> str | None:
        message_id = self.message_id
        if not message_id:
            return None
        return "wa:" + hashlib.sha256(message_id.encode()).hexdigest()[:48]

    def book(self) -> None:
        from ventanilla.scheduling.errors import SlotTaken, SlotUnavailable
        from ventanilla.scheduling.facts import booking_facts
        from ventanilla.scheduling.selectors import slot_get
        from ventanilla.scheduling.services import booking_create

        from .conversation import _when

        conv = self.conv
        slot = slot_get(conv.data.get("slot", ""))
        booker = self.booker()
        if slot is None or booker is None:
            self.greet()
            return
        try:
            # R-APT-11: channel_key is the number the booking came from, blocked when the
            # quotas are exceeded
            booking = booking_create(
                slot=slot, person=booker, channel=Channel.WHATSAPP,
                booked_for=self.patient if self.patient.pk != booker.pk else None,
                idempotency_key=self._idempotency_key(), channel_key="+" + conv.phone,
                now=self.now)
        except (SlotTaken, SlotUnavailable) as exc:
            self.say(str(exc.message))
            self.offer_slots()
            return
        except DomainError as exc:
            conv.state = State.ASK_SPECIALTY
            self.say(str(exc.message))
            self.say(_("You can write another specialty, or MY APPOINTMENTS."))
            return
        conv.whatsapp_opt_in = True
        conv.state = State.DONE
        conv.data = {"booker": booker.pk}
        facts = booking_facts(booking, now=self.now)
        day, time = _when(slot.starts_at, slot.centre.country)
        self.say(_("Booked: %(specialty)s for %(name)s on %(day)s at %(time)s, at "
                   "%(centre)s, %(address)s. Reference: %(reference)s. Please arrive "
                   "%(minutes)d minutes early with your identity document. We will remind "
                   "you the day before. Write MY APPOINTMENTS to see your appointments.") % {
                       "specialty": facts.service_label, "name": facts.patient_name,
                       "day": day, "time": time, "centre": facts.centre.name,
                       "address": facts.centre.address, "reference": facts.reference,
                       "minutes": facts.arrive_early_minutes})
        if not facts.can_change:   # R-APT-04, R-APT-13: said again once booked
            self.say(_("This appointment can no longer be changed or cancelled online."))


# --- places ------------------------------------------------------------------------------------

def _city_name(geography, code: str) -> str:
    city = geography.get(code)
    return city.name if city is not None else code


def _city_named(country: str, text: str) -> str | None:
    """The code of the city whose name the person wrote (accents, case and spaces aside)."""
    wanted = rules.fold(text)
    if not wanted:
        return None
    geography = get_pack(country).geography
    for province in geography.top_level():
        for city in geography.children(province.code):
            if rules.fold(city.name) == wanted:
                return city.code
    return None
