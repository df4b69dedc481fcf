"""R-APT-14 in a browser: the booking walked as the five demo people of Ecuador, on the web
(390 px), the call centre and WhatsApp (the demo simulator), in Spanish and in English.
Nobody is offered what is then refused or punished:

- Andrea (``1708881113``), nothing booked, books end to end;
- Marcela (``1708882228``), two first-level appointments on her next phone day: that day is
  not in her date list, not behind "first available", not among the call centre's times
  nor WhatsApp's (nor are its times by the address), and the first time she is offered
  on each channel books without a refusal, a warning or a block (then it is undone);
- Washington (``0908884448``), a Dentistry appointment on a day with other Dentistry
  times: told about it, not offered a second that day;
- Segundo Manuel (``0601234560``), peasant insurance: refused on the first step with the
  Seguro Social Campesino and a ``tel:`` link, no way into the time lists, refused at the
  call centre's specialty step and by WhatsApp before any time;
- Gloria (``0109876540``), Cuenca, where no centre has medical times: the empty state lists
  the nearest cities with free times in other provinces, and "Notify me".

The demo is loaded once, as ``ventanilla serve`` loads it (``demo.data.load``), and both
languages are walked in one test; axe on every page visited (0 serious or critical; once
per language for a page that is the same for everybody). Every problem is listed, not only
the first. The unit-level walks are in ventanilla/channels/tests/
test_portal_never_trapped.py; the defects this walk found are pinned by strict xfails in
ventanilla/demo/tests/test_walk_defects.py.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from .support import follow, html_lang, path_of, submit

pytestmark = pytest.mark.browser

WIDTH_390 = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}   # operators work at a desk
PASSWORD = "Ventanilla-demo-2026"          # every demo account (README.md)

ANDREA = ("1708881113", "Andrea Lucía Ortega Pazmiño", "593991110011")
MARCELA = ("1708882228", "Marcela Inés Jaramillo Vera", "593991110022")
WASHINGTON = ("0908884448", "Washington Efraín Mero Zambrano", "593991110044")
SEGUNDO = ("0601234560", "Segundo Manuel Chicaiza Guamán", "593969001122")
GLORIA = ("0109876540", "Gloria Beatriz Salazar Cordero", "593998877001")

TEXT = {
    "es": {"same_specialty": "Ya tiene una cita de Odontología ese día",
           "closed": "Algunos días no se ofrecen por sus otras citas",
           "peasant": "Seguro Social Campesino", "notify": "Avisarme",
           "hello": "Hola", "dentistry": "ODONTOLOGIA", "yes": "SI"},
    "en": {"same_specialty": "You already have a Dentistry appointment that day",
           "closed": "Some days are not offered because of your other appointments",
           "peasant": "Seguro Social Campesino", "notify": "Notify me",
           "hello": "Hello", "dentistry": "DENTISTRY", "yes": "YES"},
}


class Walk:
    """Soft checks: every problem of the walk is listed, not only the first."""

    def __init__(self, new_page, a11y, language: str):
        self.new_page = new_page
        self.a11y = a11y
        self.language = language
        self.problems: list[str] = []
        self.pages: list = []
        self.seen: set[str] = set()

    def open(self, viewport=WIDTH_390):
        """A new context (a new person, no cookies) in the walk's language."""
        page = self.new_page(viewport=viewport,
                             language="en" if self.language == "en" else None)
        self.pages.append(page)
        return page

    def check(self, ok: bool, what: str) -> None:
        if not ok:
            self.problems.append(f"[{self.language}] {what}")

    def page(self, page, label: str, *, same_as: str = "") -> None:
        """The page's language, and axe — once per language for a page that is the same
        for everybody (``same_as``: what it is, e.g. "contact details")."""
        self.check(html_lang(page) == self.language, f"{label}: <html lang={html_lang(page)}>")
        if same_as and same_as in self.seen:
            return
        self.seen.add(same_as)
        self.a11y.check(page, f"[{self.language}] {label}")

    def assert_clean(self) -> None:
        for page in self.pages:
            self.check(page.browsing.external_requests == [],
                       f"requests to other hosts: {page.browsing.external_requests}")
            self.check(page.browsing.page_errors == [],
                       f"JavaScript errors: {page.browsing.page_errors}")
        assert not self.problems, "\n".join(self.problems)


def load_demo() -> dict:
    from ventanilla.accounts.services import roles_sync
    from ventanilla.demo import appointments
    from ventanilla.demo.data import load
    from ventanilla.people.models import Person
    from ventanilla.scheduling.models import Booking

    roles_sync()
    assert load()
    people = {p.id_number: p for p in Person.objects.filter(
        country="EC", id_number__in=[x[0] for x in (ANDREA, MARCELA, WASHINGTON, SEGUNDO,
                                                     GLORIA)])}
    same = Booking.objects.select_related("slot").get(person=people[WASHINGTON[0]])
    return {"people": people, "full_day": appointments.full_day(),
            "same_day": local_day(same.slot.starts_at), "same_booking": same}


def local_day(when) -> date:
    from ventanilla.countries.registry import get_pack

    return when.astimezone(get_pack("EC").tz).date()


def slot_of(public_id: str):
    from ventanilla.scheduling.models import Slot

    return Slot.objects.select_related("centre").get(public_id=public_id)


def first_free(specialty: str, place: str, *, not_on: date):
    """The first free time of the specialty in the place on another day than ``not_on``."""
    from ventanilla.scheduling.selectors import slots_free

    return next(s for s in slots_free(country="EC", service=specialty, place=place)
                if local_day(s.starts_at) != not_on)


def query_of(href: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}


def hrefs(page, selector: str) -> list[str]:
    return [a.get_attribute("href") or "" for a in page.locator(selector).all()]


def sign_in(walk: Walk, id_number: str):
    page = walk.open()
    page.goto("/portal/entrar/")
    page.select_option("#id_document", "EC:cedula")
    page.fill("#id_id_number", id_number)
    page.fill("#id_password", PASSWORD)
    submit(page)
    assert path_of(page) == "/portal/", (id_number, page.locator("main").inner_text())
    return page


def start_booking(page, walk: Walk, who: str, *, specialty: str, province: str,
                  city: str) -> None:
    """The contact step (confirmed as it is), then specialty and place."""
    page.goto("/portal/citas/nueva/")
    walk.page(page, f"{who}: contact details", same_as="contact details")
    submit(page)
    assert path_of(page) == "/portal/citas/nueva/especialidad/", \
        (who, page.locator("main").inner_text())
    walk.page(page, f"{who}: specialty and place", same_as="specialty and place")
    page.check(f"input[name=specialty][value={specialty}]")
    page.select_option("#id_province", province)
    page.select_option("#id_city", city)
    submit(page, "main form[method=get] button[type=submit]")


# --- the web ---------------------------------------------------------------------------------

def web_andrea(walk: Walk, language: str) -> None:
    from ventanilla.scheduling.models import Booking

    page = sign_in(walk, ANDREA[0])
    start_booking(page, walk, "Andrea", specialty="general_medicine", province="17",
                  city="1701")
    assert path_of(page) == "/portal/citas/nueva/fecha/", page.locator("main").inner_text()
    walk.page(page, "Andrea: dates")
    walk.check(page.locator("#closed-days").count() == 0, "Andrea: days closed to her")
    follow(page, "#dates a")
    assert path_of(page) == "/portal/citas/nueva/centro/"
    walk.page(page, "Andrea: centres")
    follow(page, "main ul.govuk-list a")
    assert path_of(page) == "/portal/citas/nueva/hora/"
    walk.page(page, "Andrea: times")
    page.locator("input[name=time]").first.check()
    submit(page)
    assert path_of(page) == "/portal/citas/nueva/confirmar/", page.locator("main").inner_text()
    walk.page(page, "Andrea: check")
    submit(page)
    booking = Booking.objects.get(person__id_number=ANDREA[0], status="booked")
    walk.check(path_of(page) == f"/portal/citas/{booking.public_id}/", "Andrea: not booked")
    walk.check(page.locator(".govuk-panel--confirmation").count() == 1,
               "Andrea: no confirmation panel")
    walk.page(page, "Andrea: confirmation")


def web_marcela(walk: Walk, language: str, full_day: date) -> None:
    """Her full day is not listed nor behind "first available"; the gap is explained; the
    time she is offered books without a refusal, a warning or a block."""
    from ventanilla.scheduling.models import Booking, ChannelBlock, QuotaAttempt

    page = sign_in(walk, MARCELA[0])
    start_booking(page, walk, "Marcela", specialty="dentistry", province="09", city="0901")
    assert path_of(page) == "/portal/citas/nueva/fecha/", page.locator("main").inner_text()
    walk.page(page, "Marcela: dates")
    days = [query_of(h).get("date") for h in hrefs(page, "#dates a")]
    walk.check(bool(days), "Marcela: no dates listed")
    walk.check(full_day.isoformat() not in days,
               f"Marcela: her full day {full_day} is in the date list {days}")
    first_href = hrefs(page, "main a[href*='/confirmar/']")
    assert first_href, "Marcela: no first available"
    first = slot_of(query_of(first_href[0])["slot"])
    walk.check(local_day(first.starts_at) != full_day,
               f"Marcela: first available is on her full day {full_day}")
    expected = first_free("dentistry", "0901", not_on=full_day)
    walk.check(first.pk == expected.pk,
               f"Marcela: first available {first.starts_at} is not the first time she may "
               f"book ({expected.starts_at})")
    closed = page.locator("#closed-days")
    walk.check(closed.count() == 1 and TEXT[language]["closed"] in closed.inner_text(),
               "Marcela: the closed day is not explained on the date step")
    # her full day by its address (an old page, the back button): no time to choose
    query = query_of(page.url)
    query.pop("desde", None)
    centre = first_free("dentistry", "0901", not_on=date.min).centre
    page.goto("/portal/citas/nueva/hora/?" + urlencode(
        query | {"date": full_day.isoformat(), "centre": str(centre.public_id)}))
    walk.check(page.locator("input[name=time]").count() == 0,
               f"Marcela: times of her full day {full_day} by the address")
    walk.page(page, "Marcela: her full day by the address")
    page.go_back()
    follow(page, "main a[href*='/confirmar/']")
    walk.page(page, "Marcela: check the first available")
    submit(page)
    walk.check(Booking.objects.filter(person__id_number=MARCELA[0], status="booked",
                                      slot=first).exists(),
               f"Marcela: the offered time was refused: {page.locator('main').inner_text()}")
    walk.check(not QuotaAttempt.objects.exists() and not ChannelBlock.objects.exists(),
               "Marcela: a warning or a block for booking what she was offered")
    walk.page(page, "Marcela: confirmation")


def web_washington(walk: Walk, language: str, same_day: date, same) -> None:
    page = sign_in(walk, WASHINGTON[0])
    start_booking(page, walk, "Washington", specialty="dentistry", province="09",
                  city="0901")
    assert path_of(page) == "/portal/citas/nueva/fecha/", page.locator("main").inner_text()
    walk.page(page, "Washington: dates")
    main = page.locator("main").inner_text()
    walk.check(TEXT[language]["same_specialty"] in main,
               f"Washington: not told about his Dentistry appointment on {same_day}")
    walk.check(page.locator(f"#closed-days a[href='/portal/citas/{same.public_id}/']")
               .count() == 1, "Washington: no link to his appointment that day")
    days = [query_of(h).get("date") for h in hrefs(page, "#dates a")]
    walk.check(same_day.isoformat() not in days,
               f"Washington: {same_day} offered again for Dentistry: {days}")
    first_href = hrefs(page, "main a[href*='/confirmar/']")
    walk.check(bool(first_href) and local_day(slot_of(query_of(first_href[0])["slot"])
                                              .starts_at) != same_day,
               "Washington: first available is a second Dentistry the same day")


def web_segundo(walk: Walk, language: str) -> None:
    """Peasant insurance: the refusal on the first step, with the Seguro Social Campesino
    and a number to call; no way into the time lists, even by the address."""
    page = sign_in(walk, SEGUNDO[0])
    page.goto("/portal/citas/nueva/")
    walk.page(page, "Segundo Manuel: first step")
    walk.check(page.locator("#refusal").count() == 1, "Segundo Manuel: no refusal first")
    walk.check(TEXT[language]["peasant"] in page.locator("main").inner_text(),
               "Segundo Manuel: the Seguro Social Campesino is not named")
    walk.check(page.locator("main a[href^='tel:']").count() >= 1,
               "Segundo Manuel: no tel: link")
    walk.check(page.locator("main a[href*='/citas/nueva/']").count() == 0,
               "Segundo Manuel: a link back into the booking")
    walk.check(page.locator("form input[name=mobile_phone]").count() == 0,
               "Segundo Manuel: the contact form behind the refusal")
    person_id = walk_person_public_id(SEGUNDO[0])
    page.goto(f"/portal/citas/nueva/fecha/?booked_for={person_id}&specialty=general_medicine"
              "&province=17&city=1701")
    walk.check(page.locator("#dates, input[name=time], main a[href*='/confirmar/']")
               .count() == 0, "Segundo Manuel: a list of times by the address")
    walk.check(page.locator("#refusal").count() == 1,
               "Segundo Manuel: the date step by address is not the refusal")
    walk.page(page, "Segundo Manuel: the date step by address")


def walk_person_public_id(id_number: str) -> str:
    from ventanilla.people.models import Person

    return str(Person.objects.get(country="EC", id_number=id_number).public_id)


def web_gloria(walk: Walk, language: str) -> None:
    """Nothing in Cuenca: the nearest cities with free times, other provinces, nearest
    first, each leading to dates; "Notify me"."""
    page = sign_in(walk, GLORIA[0])
    start_booking(page, walk, "Gloria", specialty="general_medicine", province="01",
                  city="0101")
    assert path_of(page) == "/portal/citas/nueva/fecha/", page.locator("main").inner_text()
    walk.page(page, "Gloria: no free times in Cuenca")
    walk.check(page.locator("#no-slots").count() == 1, "Gloria: no empty state")
    cities = [query_of(h) for h in hrefs(page, "#other-cities a")]
    codes = [c.get("city") for c in cities]
    # nearest first: a known defect, ventanilla/demo/tests/test_walk_defects.py
    walk.check({"0901", "1701"} <= set(codes),
               f"Gloria: Guayaquil and Quito are not among the nearest cities: {codes}")
    walk.check(all(c.get("province") != "01" for c in cities),
               f"Gloria: other cities not across provinces: {cities}")
    button = page.locator("main form[method=post] button")
    walk.check(TEXT[language]["notify"] in " ".join(button.all_inner_texts()),
               f"Gloria: no {TEXT[language]['notify']!r}")
    if codes:
        follow(page, "#other-cities a")
        walk.page(page, "Gloria: the nearest city's dates")
        walk.check(page.locator("#dates a").count() > 0,
                   "Gloria: the nearest city has no dates for her")


# --- the call centre -------------------------------------------------------------------------

def operator_page(walk: Walk):
    page = walk.open(DESKTOP)
    page.goto("/staff/entrar/")
    page.fill("input[name=username]", "operador.ec")
    page.fill("input[name=password]", PASSWORD)
    submit(page)
    assert path_of(page) == "/staff/llamadas/", page.url
    return page


def call_book(page, walk: Walk, who: str, id_number: str, *, specialty: str,
              province: str, city: str) -> None:
    page.goto("/staff/llamadas/")
    page.select_option("select[name=id_type]", "cedula")
    page.fill("input[name=id_number]", id_number)
    submit(page)
    follow(page, "main a#book")
    walk.page(page, f"call centre, {who}: specialty and place",
              same_as="call centre: specialty and place")
    page.check(f"input[name=specialty][value={specialty}]")
    page.select_option("#id_province", province)
    page.select_option("#id_city", city)
    submit(page, "main form[method=get] button[type=submit]")


def offered_days(page) -> list[date]:
    return [local_day(slot_of(v).starts_at) for v in
            (r.get_attribute("value") for r in page.locator("input[name=slot]").all()) if v]


def call_centre(walk: Walk, language: str, demo: dict) -> None:
    page = operator_page(walk)
    full_day, same_day = demo["full_day"], demo["same_day"]
    call_book(page, walk, "Marcela", MARCELA[0], specialty="dentistry", province="09",
              city="0901")
    walk.page(page, "call centre, Marcela: free times")
    days = offered_days(page)
    walk.check(bool(days), "call centre, Marcela: no times offered")
    walk.check(full_day not in days,
               f"call centre, Marcela: times of her full day {full_day} offered")
    walk.check(any(d > full_day for d in days),
               f"call centre, Marcela: no time after her full day {full_day}: {days}")
    walk.check(all(d.weekday() in (1, 3, 5) for d in days),
               f"call centre, Marcela: times off her phone days: {days}")
    walk.check(page.locator("#closed-days").count() == 1,
               "call centre, Marcela: her full day is not explained")
    if days:   # the first time offered books, with no refusal, warning or block
        page.locator("input[name=slot]").first.check()
        submit(page)
        booked_without_sanction(walk, "call centre, Marcela", MARCELA[0], "phone")
        walk.page(page, "call centre, Marcela: booked")
        undo_bookings(demo["last"])

    call_book(page, walk, "Washington", WASHINGTON[0], specialty="dentistry",
              province="09", city="0901")
    walk.page(page, "call centre, Washington: free times")
    days = offered_days(page)
    walk.check(bool(days) and same_day not in days,
               f"call centre, Washington: a second Dentistry on {same_day}: {days}")

    call_book(page, walk, "Segundo Manuel", SEGUNDO[0], specialty="general_medicine",
              province="17", city="1701")
    walk.page(page, "call centre, Segundo Manuel: refused")
    walk.check(page.locator("#refusal").count() == 1
               and TEXT[language]["peasant"] in page.locator("#refusal").inner_text(),
               "call centre, Segundo Manuel: not refused at the specialty step")
    walk.check(page.locator("input[name=slot]").count() == 0
               and "/cita/horas/" not in path_of(page),
               "call centre, Segundo Manuel: times offered")


# --- WhatsApp (the demo simulator) ---------------------------------------------------------

def whatsapp(page, walk: Walk, number: str, messages: list[str]) -> str:
    """Send ``messages`` from ``number`` through the simulator; the last replies' text."""
    if f"numero={number}" not in page.url:
        page.goto(f"/demo/whatsapp/?numero={number}")
    for text in messages:
        page.select_option("select[name=sender]", number)
        page.fill("input[name=text]", text)
        submit(page)
    return page.locator("main").inner_text()


def conversation(number: str):
    from ventanilla.whatsapp.models import WhatsAppConversation

    return WhatsAppConversation.objects.get(phone=number)


def whatsapp_walk(walk: Walk, language: str, demo: dict) -> None:
    from ventanilla.whatsapp.models import WhatsAppConversation

    words = TEXT[language]
    page = walk.open()
    whatsapp(page, walk, MARCELA[2], [words["hello"], MARCELA[1], MARCELA[0],
                                      words["dentistry"]])
    cities = conversation(MARCELA[2]).data.get("cities") or []
    walk.check("0901" in cities, f"WhatsApp, Marcela: Guayaquil not offered: {cities}")
    if "0901" in cities:
        whatsapp(page, walk, MARCELA[2], [str(cities.index("0901") + 1)])
    walk.page(page, "WhatsApp, Marcela: times", same_as="the simulator")
    offered = [slot_of(s) for s in conversation(MARCELA[2]).data.get("offered") or []]
    walk.check(bool(offered), "WhatsApp, Marcela: no times offered")
    walk.check(all(local_day(s.starts_at) != demo["full_day"] for s in offered),
               f"WhatsApp, Marcela: a time of her full day {demo['full_day']} offered")
    expected = first_free("dentistry", "0901", not_on=demo["full_day"])
    walk.check(bool(offered) and offered[0].pk == expected.pk,
               "WhatsApp, Marcela: the first time offered is not the first she may book")
    if offered:   # the first time offered books, with no refusal, warning or block
        whatsapp(page, walk, MARCELA[2], ["1", words["yes"]])
        booked_without_sanction(walk, "WhatsApp, Marcela", MARCELA[0], "whatsapp")
        walk.page(page, "WhatsApp, Marcela: booked", same_as="the simulator")
        undo_bookings(demo["last"])

    text = whatsapp(page, walk, SEGUNDO[2], [words["hello"], SEGUNDO[1], SEGUNDO[0],
                                             words["dentistry"]])
    walk.page(page, "WhatsApp, Segundo Manuel: refused", same_as="the simulator")
    conv = conversation(SEGUNDO[2])
    walk.check(words["peasant"] in text, "WhatsApp, Segundo Manuel: SSC not named")
    # refused for every specialty: the conversation ends there, nothing else is offered
    walk.check(conv.state == WhatsAppConversation.State.DONE
               and not conv.data.get("offered") and not conv.data.get("cities"),
               f"WhatsApp, Segundo Manuel: not refused before any time ({conv.state}, "
               f"{conv.data})")


def booked_without_sanction(walk: Walk, who: str, id_number: str, channel: str) -> None:
    from ventanilla.scheduling.models import Booking, ChannelBlock, QuotaAttempt

    walk.check(Booking.objects.filter(person__id_number=id_number, status="booked",
                                      channel=channel).exists(),
               f"{who}: the time offered was not booked")
    walk.check(not QuotaAttempt.objects.exists() and not ChannelBlock.objects.exists(),
               f"{who}: a warning or a block for booking what was offered")


def undo_bookings(after_pk: int) -> None:
    """Undo the bookings the walk made (a fresh demo for the next language; cancelling
    could be refused inside the 12-hour window)."""
    from django.db.models import F

    from ventanilla.scheduling.models import Booking, Slot

    for booking in Booking.objects.filter(pk__gt=after_pk):
        slot_pk = booking.slot_id
        booking.delete()
        Slot.objects.filter(pk=slot_pk).update(booked_count=F("booked_count") - 1)


# --- the walk --------------------------------------------------------------------------------

def test_five_people_are_never_offered_what_is_then_refused(new_page, a11y):
    """Both languages in one test: the demo loads once (it takes seconds)."""
    from ventanilla.scheduling.models import Booking

    demo = load_demo()
    last = demo["last"] = Booking.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    walks = []
    for language in ("es", "en"):
        walk = Walk(new_page, a11y, language)
        walks.append(walk)
        # the call centre and WhatsApp first: the web walk then books for Andrea and Marcela
        call_centre(walk, language, demo)
        whatsapp_walk(walk, language, demo)
        web_andrea(walk, language)
        web_marcela(walk, language, demo["full_day"])
        web_washington(walk, language, demo["same_day"], demo["same_booking"])
        web_segundo(walk, language)
        web_gloria(walk, language)
        undo_bookings(last)
    for walk in walks:
        walk.assert_clean()
    a11y.assert_clean()
