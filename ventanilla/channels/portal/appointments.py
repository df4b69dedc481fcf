"""Medical appointments on the web (R-APT-03): who you are; your contact details; for whom,
specialty, province and city; a date among the next ones with free times; a centre (nearest
first when the browser shares a location); a time and a doctor; the confirmation with PDF,
calendar file and cancel. Thin adapters over scheduling.services / selectors."""

from __future__ import annotations

import math
from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
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
from ventanilla.scheduling import rules as scheduling_rules
from ventanilla.scheduling import selectors as scheduling_selectors
from ventanilla.scheduling import services as scheduling_services
from ventanilla.scheduling.defaults import medical_services_ensure
from ventanilla.scheduling.models import Centre, Service
from ventanilla.scheduling.quotas import web_account_key

from ..web.views import INVALID, apply_errors
from . import forms
from .views import _local, _render, affiliate_required, booking_document_response

MEDICAL = Service.Kind.MEDICAL


def _specialty_choices(person) -> list[tuple[str, str]]:
    out = []
    for service in medical_services_ensure(person.country):
        if not service.is_active:
            continue
        label = str(service.label)
        if service.needs_referral:
            label = _("%(specialty)s (needs a referral)") % {"specialty": label}
        out.append((service.code, label))
    return out


def _places(person):
    geography = get_pack(person.country).geography
    provinces = geography.top_level()
    cities = [(p.name, [(c.code, c.name) for c in geography.children(p.code)])
              for p in provinces]
    return [(p.code, p.name) for p in provinces], cities


def _people(person):
    return [person, *scheduling_selectors.people_bookable_by(person)
            .exclude(pk=person.pk).order_by("date_of_birth")]


def _what(request, person):
    """The choices of the "what" step, from the query string, checked again on every step."""
    provinces, cities = _places(person)
    people = _people(person)
    form = forms.AppointmentWhatForm(request.GET, people=people,
                                     specialties=_specialty_choices(person),
                                     provinces=provinces, cities=cities)
    if not form.is_valid():
        return None
    data = form.cleaned_data
    pack = get_pack(person.country)
    keys = ("booked_for", "specialty", "province", "city")
    extra = {k: request.GET[k] for k in ("lat", "lng", "cambiar") if request.GET.get(k)}
    return {
        "booked_for": next(p for p in people if str(p.public_id) == data["booked_for"]),
        "specialty": scheduling_selectors.service_get(country=person.country,
                                                      code=data["specialty"]),
        "province": pack.geography.get(data["province"]),
        "city": pack.geography.get(data["city"]),
        "query": urlencode({k: data[k] for k in keys} | extra),
        "reschedule": request.GET.get("cambiar", ""),
    }


# --- list, contact, what -------------------------------------------------------------------

@affiliate_required
def appointments(request, person):
    now = timezone.now()
    rows = [{"booking": b, "starts": _local(person, b.slot.starts_at)}
            for b in scheduling_selectors.bookings_of(person, kind=MEDICAL)]
    upcoming = [r for r in rows if r["booking"].status == "booked"
                and r["booking"].slot.starts_at >= now]
    return _render(request, "portal/appointments/list.html", {
        "upcoming": upcoming,
        "past": [r for r in rows if r not in upcoming][-20:],
        "overview": affiliate_overview(person, on=timezone.localdate())})


@affiliate_required
@require_http_methods(["GET", "POST"])
def appointment_contact(request, person):
    """Step 1 (R-APT-03): who you are (name, ID, type of insured) and your mobile phone,
    carrier and e-mail, confirmed or corrected."""
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
    provinces, cities = _places(person)
    geography = get_pack(person.country).geography
    home_city = geography.ancestor_at(person.subdivision_code, 1)
    initial = {"booked_for": str(person.public_id),
               "province": geography.top_level_of(person.subdivision_code),
               "city": home_city.code if home_city is not None else ""}
    bound = "specialty" in request.GET
    form = forms.AppointmentWhatForm(request.GET if bound else None, initial=initial,
                                     people=_people(person),
                                     specialties=_specialty_choices(person),
                                     provinces=provinces, cities=cities)
    if bound and form.is_valid():
        return redirect(f"{reverse('portal:appointment_date')}?{request.GET.urlencode()}")
    return _render(request, "portal/appointments/what.html", {
        "form": form, "reschedule": request.GET.get("cambiar", "")},
        status=INVALID if form.errors else 200)


# --- date, centre, time -------------------------------------------------------------------

@affiliate_required
def appointment_date(request, person):
    what = _what(request, person)
    if what is None:
        return redirect("portal:appointment_what")
    dates = scheduling_selectors.slot_dates_free(
        country=person.country, service=what["specialty"], place=what["city"].code, limit=10)
    first = scheduling_selectors.slots_free(country=person.country, service=what["specialty"],
                                            place=what["city"].code).first()
    return _render(request, "portal/appointments/date.html", {
        **what, "dates": dates, "first": first,
        "first_starts": _local(person, first.starts_at) if first else None})


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
    slots = scheduling_selectors.slots_free(
        country=person.country, service=what["specialty"], place=what["city"].code,
        date_from=day, date_to=day)
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
        **what, "day": day, "rows": rows, "located": where is not None})


@affiliate_required
@require_http_methods(["GET", "POST"])
def appointment_time(request, person):
    """Step 5: a time (grouped morning / afternoon) and, if the person wants, a doctor."""
    what = _what(request, person)
    day = _day(request)
    centre = scheduling_selectors.centre_get(request.GET.get("centre", ""))
    if what is None or day is None or centre is None:
        return redirect("portal:appointment_what")
    slots = list(scheduling_selectors.slots_free(
        country=person.country, service=what["specialty"], centre=centre, date_from=day,
        date_to=day))
    times = sorted({f"{_local(person, s.starts_at):%H:%M}" for s in slots})
    doctors = sorted({(str(s.doctor.public_id), str(s.doctor)) for s in slots if s.doctor_id},
                     key=lambda d: d[1])
    form = forms.AppointmentTimeForm(request.POST or None, times=times, doctors=doctors)
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
        **what, "day": day, "centre": centre, "form": form, "has_slots": bool(slots)},
        status=INVALID if form.errors else 200)


@affiliate_required
@require_http_methods(["GET", "POST"])
def appointment_check(request, person):
    """Step 6: check the answers, then book (or move the appointment)."""
    what = _what(request, person)
    slot = scheduling_selectors.slot_get(request.GET.get("slot", ""))
    if what is None or slot is None or slot.service_id != what["specialty"].pk:
        return redirect("portal:appointment_what")
    error = None
    if request.method == "POST":
        try:
            booking = _book_or_move(request, person, what, slot)
        except DomainError as exc:
            error = str(exc.message)
        else:
            return redirect("portal:appointment", public_id=booking.public_id)
    starts = _local(person, slot.starts_at)
    return _render(request, "portal/appointments/check.html", {
        **what, "slot": slot, "starts": starts, "day": starts.date(), "centre": slot.centre,
        "error": error, "page_has_errors": bool(error)},
        status=INVALID if error else 200)


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


# --- one appointment --------------------------------------------------------------------------

def _own(person, public_id):
    booking = scheduling_selectors.booking_get_for(person, public_id, kind=MEDICAL)
    if booking is None:
        raise Http404
    return booking


@affiliate_required
def appointment(request, person, public_id):
    booking = _own(person, public_id)
    pack = get_pack(booking.slot.centre.country)
    starts = _local(person, booking.slot.starts_at)
    can_change = booking.status == "booked" and scheduling_rules.may_change(
        starts_at=booking.slot.starts_at, now=timezone.now(),
        notice_hours=pack.cancel_notice_hours)
    geography = pack.geography
    city = geography.ancestor_at(booking.slot.centre.subdivision_code, 1)
    change_query = urlencode({
        "booked_for": str(booking.booked_for.public_id), "specialty": booking.slot.service.code,
        "province": geography.top_level_of(booking.slot.centre.subdivision_code),
        "city": city.code if city else "", "cambiar": str(booking.public_id)})
    return _render(request, "portal/appointments/detail.html", {
        "booking": booking, "starts": starts, "can_change": can_change,
        "notice_hours": pack.cancel_notice_hours, "change_query": change_query,
        "arrive_by": _local(person, booking.slot.starts_at
                            - timedelta(minutes=30))})


@affiliate_required
@require_http_methods(["GET", "POST"])
def appointment_cancel(request, person, public_id):
    """A "are you sure?" page, then the cancellation."""
    booking = _own(person, public_id)
    if request.method == "GET":
        return _render(request, "portal/appointments/cancel.html", {
            "booking": booking, "starts": _local(person, booking.slot.starts_at)})
    try:
        scheduling_services.booking_cancel(booking=booking, channel=Channel.WEB,
                                           by_person=person)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("portal:appointment", public_id=booking.public_id)
    messages.success(request, _("Your appointment is cancelled. The time is free for "
                                "someone else."))
    return redirect("portal:appointments")


@affiliate_required
def appointment_document(request, person, public_id, kind: str):
    return booking_document_response(_own(person, public_id), kind)
