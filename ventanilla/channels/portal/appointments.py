"""Medical appointments on the web (R-APT-03): who you are; your contact details; for whom,
specialty, province and city; a date among the next ones with free times; a centre (nearest
first when the browser shares a location); a time and a doctor; the confirmation with PDF,
calendar file and cancel. Thin adapters over scheduling.services / selectors."""

from __future__ import annotations

import math
from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ventanilla.affiliation.selectors import affiliate_overview
from ventanilla.core.channels import Channel
from ventanilla.core.errors import DomainError
from ventanilla.countries.registry import get_pack
from ventanilla.people.services import person_contact_update
from ventanilla.scheduling import alerts as scheduling_alerts
from ventanilla.scheduling import selectors as scheduling_selectors
from ventanilla.scheduling import services as scheduling_services
from ventanilla.scheduling.allowance import booking_allowance, booking_start_refusal
from ventanilla.scheduling.errors import SlotTaken
from ventanilla.scheduling.models import Centre, Service
from ventanilla.scheduling.nearby import places_with_times
from ventanilla.scheduling.quotas import web_account_key

from ..common import place_choices, specialty_choices
from ..web.views import INVALID, apply_errors
from . import forms
from .views import _local, _render, affiliate_required

MEDICAL = Service.Kind.MEDICAL


def _people(person):
    return [person, *scheduling_selectors.people_bookable_by(person)
            .exclude(pk=person.pk).order_by("date_of_birth")]


def _what_form(person, data, *, people=None, initial=None):
    """The "what" step's form (for whom, specialty, province, city) with this person's
    choices: the specialties most booked first and only those for the ages of the people
    they may book for; the cities of the province chosen (or first shown) only."""
    people = people if people is not None else _people(person)
    province = (data or {}).get("province") or (initial or {}).get("province")
    provinces, cities = place_choices(person.country, province)
    return forms.AppointmentWhatForm(data, initial=initial, people=people,
                                     specialties=specialty_choices(person.country, people),
                                     provinces=provinces, cities=cities)


def _what(request, person):
    """The choices of the "what" step, from the query string, checked again on every step."""
    people = _people(person)
    form = _what_form(person, request.GET, people=people)
    if not form.is_valid():
        return None
    data = form.cleaned_data
    pack = get_pack(person.country)
    keys = ("booked_for", "specialty", "province", "city")
    extra = {k: request.GET[k] for k in ("lat", "lng", "cambiar") if request.GET.get(k)}
    booked_for = next(p for p in people if str(p.public_id) == data["booked_for"])
    specialty = scheduling_selectors.service_get(country=person.country, code=data["specialty"])
    moving = (scheduling_selectors.booking_get_for(person, request.GET["cambiar"], kind=MEDICAL)
              if request.GET.get("cambiar") else None)
    return {
        "booked_for": booked_for,
        "specialty": specialty,
        # R-APT-14: every list below offers only what this person may book
        "allowance": booking_allowance(person=person, booked_for=booked_for,
                                       service=specialty, channel=Channel.WEB,
                                       channel_key=web_account_key(person), moving=moving),
        "province": pack.geography.get(data["province"]),
        "city": pack.geography.get(data["city"]),
        "query": urlencode({k: data[k] for k in keys} | extra),
        "reschedule": request.GET.get("cambiar", ""),
    }


def _refused(request, person, refusal, what=None):
    """R-APT-14: the refusal first, with the reason and where this person can go instead;
    never a link back into the same dead end. Choosing another person or specialty is
    offered only when another choice could succeed."""
    others = what is not None and (len(_people(person)) > 1 or refusal.specialty_only
                                   or refusal.reason == "child_turned_18")
    care = refusal.care_elsewhere(person.country)
    return _render(request, "portal/appointments/refused.html", {
        "refusal": refusal, "what": what, "other_choice": others, "care": care,
        "country": person.country, "page_has_errors": request.method == "POST"},
        status=INVALID if request.method == "POST" else 200)
# --- contact, what ---------------------------------------------------------------------------

@affiliate_required
@require_http_methods(["GET", "POST"])
def appointment_contact(request, person):
    """Step 1 (R-APT-03): who you are (name, ID, type of insured) and your mobile phone,
    carrier and e-mail, confirmed or corrected."""
    refusal = booking_start_refusal(person=person, channel=Channel.WEB,
                                    channel_key=web_account_key(person))
    if refusal is not None:
        return _refused(request, person, refusal)
    pack = get_pack(person.country)
    form = forms.ContactForm(request.POST or None, carriers=pack.carriers, initial={
        "mobile_phone": person.mobile_phone, "carrier": person.carrier,
        "email": person.email})
    if request.method == "POST" and form.is_valid():
        try:
            person_contact_update(person=person, channel=Channel.WEB,
                                  **{k: form.cleaned_data[k] for k in
                                     ("mobile_phone", "carrier", "email")})
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            return redirect("portal:appointment_what")
    return _render(request, "portal/appointments/contact.html", {
        "form": form, "person": person,
        "overview": affiliate_overview(person, on=timezone.localdate())},
        status=INVALID if form.errors else 200)


@affiliate_required
def appointment_what(request, person):
    """Step 2: for whom, specialty, province and city (a GET form: the choices travel in
    the URL and are repeated on every later step)."""
    geography = get_pack(person.country).geography
    home_city = geography.ancestor_at(person.subdivision_code, 1)
    initial = {"booked_for": str(person.public_id),
               "province": geography.top_level_of(person.subdivision_code),
               "city": home_city.code if home_city is not None else ""}
    bound = "specialty" in request.GET
    form = _what_form(person, request.GET if bound else None, initial=initial)
    if bound and forms.province_changed_alone(form):
        # Without JavaScript, a new province shows its cities: no error, the other answers
        # kept (the city list of the old province was stale, not wrong).
        data = request.GET.copy()
        data["city"] = ""
        form = _what_form(person, None, initial={**data.dict(), "city": ""})
        return _render(request, "portal/appointments/what.html", {
            "form": form, "reschedule": request.GET.get("cambiar", ""),
            "province_changed": True, "country": person.country})
    if bound and form.is_valid():
        what = _what(request, person)
        if what is not None and what["allowance"].refusal is not None:
            return _refused(request, person, what["allowance"].refusal, what)
        return redirect(f"{reverse('portal:appointment_date')}?{request.GET.urlencode()}")
    return _render(request, "portal/appointments/what.html", {
        "form": form, "reschedule": request.GET.get("cambiar", ""), "country": person.country},
        status=INVALID if form.errors else 200)


# --- date, centre, time -------------------------------------------------------------------

@affiliate_required
def appointment_date(request, person):
    """Step 3 (UX "Booking"): the next dates with free times, each with how many, ten at a
    time ("More dates": ``desde``, the last date shown), and the first available time as a
    shortcut to the check page. No free time at all: the "No slots" state, never a dead end
    (other cities of the province that have times, when new times open, "Notify me")."""
    what = _what(request, person)
    if what is None:
        return redirect("portal:appointment_what")
    allowance = what["allowance"]
    if allowance.refusal is not None:
        return _refused(request, person, allowance.refusal, what)
    where = {"country": person.country, "service": what["specialty"],
             "place": what["city"].code, "allowance": allowance}
    since = _since(request, person)
    rows = scheduling_selectors.slot_dates_free_counts(
        **where, date_from=since + timedelta(days=1) if since else None,
        limit=DATES_PER_PAGE + 1, for_person=person)
    first = scheduling_selectors.slots_free(**where, for_person=person).first()
    context = {
        **what, "dates": rows[:DATES_PER_PAGE], "since": since, "first": first,
        "more_from": rows[DATES_PER_PAGE - 1][0] if len(rows) > DATES_PER_PAGE else None,
        "first_starts": _local(person, first.starts_at) if first else None,
        "first_final": allowance.final(first.starts_at) if first else False,
        "closed": _closed_days(person, allowance),
        "ends": allowance.last_day_reason if allowance.last_day and allowance.last_day
        <= allowance.today + timedelta(days=settings.SLOTS_AHEAD_DAYS) else ""}
    if first is None:
        context.update(_no_slots(person, what))
    return _render(request, "portal/appointments/date.html", context)


DATES_PER_PAGE = 10
OTHER_CITIES = 5


def _closed_days(person, allowance) -> list:
    """The next days this person cannot book because of their own appointments (a full
    quota, the same specialty that day), said on the date step so the gap is explained."""
    today = allowance.today
    return [c for day, c in sorted(allowance.closed.items())
            if today <= day <= today + timedelta(days=settings.SLOTS_AHEAD_DAYS)][:5]


def _since(request, person) -> date | None:
    """``desde`` of "More dates": the last date already shown. Missing, malformed or more
    than a year away means from today."""
    try:
        day = date.fromisoformat(request.GET.get("desde", ""))
    except ValueError:
        return None
    today = timezone.localdate(timezone=get_pack(person.country).tz)
    return day if today <= day <= today + timedelta(days=366) else None


def _no_slots(person, what) -> dict:
    """The empty state: up to five other cities with free times of the specialty that this
    person may book, nearest first across provinces (``nearby``), the person's open alert
    if they already asked, and how far ahead times open."""
    geography = get_pack(person.country).geography
    same = {"booked_for": str(what["booked_for"].public_id),
            "specialty": what["specialty"].code, "province": what["province"].code}
    if what["reschedule"]:
        same["cambiar"] = what["reschedule"]
    places = places_with_times(country=person.country, service=what["specialty"],
                               level=what["city"].level, near=what["city"].code,
                               allowance=what["allowance"])
    others = []
    for code, free, km in places:
        city = geography.get(code)
        if code == what["city"].code or city is None:
            continue
        others.append({"city": city, "free": free, "km": round(km) if km is not None else None,
                       "query": urlencode(same | {"city": code,
                                                  "province": geography.top_level_of(code)})})
    others = others[:OTHER_CITIES]
    alert = scheduling_alerts.slot_alert_open_get(
        person=person, booked_for=what["booked_for"], service=what["specialty"],
        place=what["city"].code)
    return {"other_cities": others, "ahead_days": settings.SLOTS_AHEAD_DAYS,
            "alert": alert, "alert_until": _local(person, alert.expires_at) if alert else None,
            "alert_days": settings.SLOT_ALERT_DAYS}
def _distance_km(lat1, lng1, lat2, lng2) -> float:
    """Great-circle distance (haversine), enough to sort centres by nearness."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _where(request) -> tuple[float, float] | None:
    try:
        lat, lng = float(request.GET["lat"]), float(request.GET["lng"])
    except (KeyError, ValueError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    return lat, lng


def _day_closed(allowance, day: date) -> str:
    """Why this person cannot book on ``day`` (a page reached by its address: an old link,
    the back button), or "" when nothing of theirs closes it (R-APT-14: every refusal names
    the reason)."""
    if day in allowance.closed:
        return allowance.closed[day].message
    if allowance.last_day is not None and day > allowance.last_day:
        return allowance.last_day_reason
    return ""


def _day(request) -> date | None:
    try:
        return date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return None


@affiliate_required
def appointment_centre(request, person):
    """Step 4: the centres with free times that day, nearest first when the browser shared
    a location (a same-origin script adds it), else by name."""
    what = _what(request, person)
    day = _day(request)
    if what is None or day is None:
        return redirect("portal:appointment_what")
    if what["allowance"].refusal is not None:
        return _refused(request, person, what["allowance"].refusal, what)
    slots = scheduling_selectors.slots_free(
        country=person.country, service=what["specialty"], place=what["city"].code,
        date_from=day, date_to=day, for_person=person, allowance=what["allowance"])
    counts: dict[int, int] = {}
    for centre_id in slots.values_list("centre_id", flat=True):
        counts[centre_id] = counts.get(centre_id, 0) + 1
    centres = list(Centre.objects.filter(pk__in=counts))
    where = _where(request)
    rows = []
    for centre in centres:
        km = None
        if where and centre.latitude is not None and centre.longitude is not None:
            km = _distance_km(where[0], where[1], float(centre.latitude),
                              float(centre.longitude))
        rows.append({"centre": centre, "free": counts[centre.pk], "km": km})
    rows.sort(key=lambda r: (r["km"] is None, r["km"] or 0, r["centre"].name))
    return _render(request, "portal/appointments/centre.html", {
        **what, "day": day, "rows": rows, "located": where is not None,
        "day_closed": "" if rows else _day_closed(what["allowance"], day)})


@affiliate_required
@require_http_methods(["GET", "POST"])
def appointment_time(request, person):
    """Step 5: a time (grouped morning / afternoon) and, if the person wants, a doctor."""
    what = _what(request, person)
    day = _day(request)
    centre = scheduling_selectors.centre_get(request.GET.get("centre", ""))
    if what is None or day is None or centre is None:
        return redirect("portal:appointment_what")
    allowance = what["allowance"]
    if allowance.refusal is not None:
        return _refused(request, person, allowance.refusal, what)
    slots = list(scheduling_selectors.slots_free(
        country=person.country, service=what["specialty"], centre=centre, date_from=day,
        date_to=day, for_person=person, allowance=allowance))
    times = sorted({f"{_local(person, s.starts_at):%H:%M}" for s in slots})
    final = {f"{_local(person, s.starts_at):%H:%M}" for s in slots
             if allowance.final(s.starts_at)}
    doctors = sorted({(str(s.doctor.public_id), s.doctor.title_name) for s in slots
                      if s.doctor_id},
                     key=lambda d: d[1])
    form = forms.AppointmentTimeForm(request.POST or None, times=times, doctors=doctors,
                                     final=final)
    if request.method == "POST" and form.is_valid():
        chosen = [s for s in slots if f"{_local(person, s.starts_at):%H:%M}"
                  == form.cleaned_data["time"]]
        if form.cleaned_data["doctor"]:
            chosen = [s for s in chosen if s.doctor_id
                      and str(s.doctor.public_id) == form.cleaned_data["doctor"]]
        if chosen:
            return redirect(f"{reverse('portal:appointment_check')}?{what['query']}"
                            f"&slot={chosen[0].public_id}")
        form.add_error("doctor", _("This doctor has no free time then. Choose another "
                                   "time, or any doctor."))
    return _render(request, "portal/appointments/time.html", {
        **what, "day": day, "centre": centre, "form": form, "has_slots": bool(slots),
        "any_final": bool(final), "notice_hours": allowance.notice_hours,
        "day_closed": "" if slots else _day_closed(allowance, day)},
        status=INVALID if form.errors else 200)


def _alternatives(person, what, slot, *, count: int = 3) -> list[dict]:
    """When the chosen time was taken: the next free times of the same specialty in the
    same city from that time on (UX.md: the three nearest alternatives)."""
    rows = (scheduling_selectors.slots_free(
        country=person.country, service=what["specialty"], place=what["city"].code,
        date_from=_local(person, slot.starts_at).date(), for_person=person,
        allowance=what["allowance"])
        .filter(starts_at__gte=slot.starts_at).exclude(pk=slot.pk)[:count])
    return [{"slot": s, "starts": _local(person, s.starts_at)} for s in rows]


@affiliate_required
@require_http_methods(["GET", "POST"])
def appointment_check(request, person):
    """Step 6: check the answers, then book (or move the appointment). Showing the page
    holds the time for the person for ``SLOT_HOLD_MINUTES`` (``slot_hold``); when it was
    taken meanwhile, the page says so and offers the nearest free times."""
    what = _what(request, person)
    slot = scheduling_selectors.slot_get(request.GET.get("slot", ""))
    if what is None or slot is None or slot.service_id != what["specialty"].pk:
        return redirect("portal:appointment_what")
    allowance = what["allowance"]
    if allowance.refusal is not None:
        return _refused(request, person, allowance.refusal, what)
    error, taken, held_until = None, False, None
    not_allowed = None if what["reschedule"] else allowance.why_not(slot)
    try:
        if not_allowed is not None:      # a time from an old page: say why, offer others
            error, taken = not_allowed, True
        elif request.method == "POST":
            booking = _book_or_move(request, person, what, slot)
            return redirect("portal:appointment", public_id=booking.public_id)
        held_until = scheduling_services.slot_hold(slot=slot, person=person)
    except SlotTaken as exc:    # SlotHeld too
        error, taken = str(exc.message), True
    except DomainError as exc:
        error = str(exc.message)
    starts = _local(person, slot.starts_at)
    return _render(request, "portal/appointments/check.html", {
        **what, "slot": slot, "starts": starts, "day": starts.date(), "centre": slot.centre,
        "error": error, "page_has_errors": bool(error), "taken": taken,
        "alternatives": _alternatives(person, what, slot) if taken else [],
        "held_until": _local(person, held_until) if held_until else None,
        "hold_minutes": settings.SLOT_HOLD_MINUTES,
        "final": allowance.final(slot.starts_at), "notice_hours": allowance.notice_hours,
        "room": [] if what["reschedule"] else allowance.room(starts.date()),
        "no_show_block_after": get_pack(person.country).no_show_block_after},
        status=(409 if taken else INVALID) if error else 200)


def _book_or_move(request, person, what, slot):
    if what["reschedule"]:
        booking = scheduling_selectors.booking_get_for(person, what["reschedule"],
                                                       kind=MEDICAL)
        if booking is None:
            raise Http404
        return scheduling_services.booking_reschedule(booking=booking, new_slot=slot,
                                                      channel=Channel.WEB, by_person=person)
    return scheduling_services.booking_create(
        slot=slot, person=person, booked_for=what["booked_for"], channel=Channel.WEB,
        channel_key=web_account_key(person))
