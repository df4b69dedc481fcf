"""The call centre's booking (R-APT-06, R-APT-14): for whom, specialty and place, then the
free times this caller may book on their phone days, fifteen at a time. Split from
``views_callcentre`` (the caller, one appointment)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ventanilla.core.channels import Channel
from ventanilla.core.dates import weekday_day_time_text
from ventanilla.core.errors import DomainError
from ventanilla.core.forms import HintedChoice
from ventanilla.countries.registry import get_pack
from ventanilla.people.models import Person
from ventanilla.scheduling import selectors as scheduling_selectors
from ventanilla.scheduling import services as scheduling_services
from ventanilla.scheduling.allowance import Allowance, booking_allowance
from ventanilla.scheduling.models import Booking, Slot

from ..common import grouped_place_choices, specialty_choices
from ..web.views import INVALID, apply_errors
from . import forms
from .views import staff_required
from .views_callcentre import (
    MEDICAL,
    _audit,
    _caller_booking,
    _refused,
    books,
    console_required,
    phone_days_text,
)
from .views_people import _service_error_status, _staff_person

SLOTS_OFFERED = 15  # the operator reads the first ones to the caller, then "More times"


# --- booking: what, for whom, where ---------------------------------------------------------

def _people(caller: Person) -> list[Person]:
    today = get_pack(caller.country).today()
    return [caller, *scheduling_selectors.people_bookable_by(caller, on=today)
            .exclude(pk=caller.pk).order_by("date_of_birth")]


def _what_form(caller: Person, data=None, *, initial=None, changing: Booking | None = None):
    """For a change, the specialty and the patient stay those of the appointment."""
    provinces, cities = grouped_place_choices(caller.country)
    if changing is not None:
        people = [changing.booked_for]
        specialties: list = [(changing.slot.service.code, changing.slot.service.label)]
    else:
        people = _people(caller)
        specialties = specialty_choices(caller.country, people)
    return forms.CallerAppointmentForm(data, initial=initial, caller=caller, people=people,
                                       specialties=specialties, provinces=provinces,
                                       cities=cities)


def _changing(request: HttpRequest, caller: Person) -> Booking | None:
    booking_id = request.GET.get("cambiar", "")
    return _caller_booking(caller, booking_id) if booking_id else None


@never_cache
@require_http_methods(["GET"])
@staff_required
@console_required
@books
def book_what(request: HttpRequest, public_id) -> HttpResponse:
    """A GET form: the choices travel in the URL (public ids and codes, no ID numbers) and
    are checked again on the next step."""
    caller = _staff_person(request, public_id)
    changing = _changing(request, caller)
    geography = get_pack(caller.country).geography
    home_city = geography.ancestor_at(caller.subdivision_code, 1)
    initial = {"booked_for": str(caller.public_id),
               "province": geography.top_level_of(caller.subdivision_code),
               "city": home_city.code if home_city is not None else ""}
    # An unticked radio sends nothing: any answer of the form means it was submitted.
    bound = any(k in request.GET for k in ("booked_for", "specialty", "province", "city"))
    form = _what_form(caller, request.GET if bound else None, initial=initial,
                      changing=changing)
    refusal = None
    if bound and form.is_valid():
        allowance = _allowance(caller, form.cleaned_data, changing)
        if allowance is not None and allowance.refusal is None:
            return redirect(f"{reverse('staff:callcentre_slots', args=[caller.public_id])}?"
                            f"{request.GET.urlencode()}")
        refusal = allowance.refusal if allowance is not None else None
    _audit(request, "callcentre.book.start", caller,
           {"change": str(changing.public_id) if changing else "",
            "refused": str(refusal.reason) if refusal is not None else ""})
    return render(request, "staff/callcentre_what.html", {
        "caller": caller, "form": form, "changing": changing, "refusal": refusal,
        "care": _care(caller, refusal),
        "phone_days": phone_days_text(caller),
        "page_has_errors": bool(form.errors) or refusal is not None},
        status=INVALID if form.errors or refusal is not None else 200)


def _care(caller: Person, refusal):
    """Where a refused patient gets care instead (the country pack, R-HLP-01)."""
    return refusal.care_elsewhere(caller.country) if refusal is not None else None


def _allowance(caller: Person, what: dict, changing: Booking | None) -> Allowance | None:
    """R-APT-14: what this caller may book for the chosen patient by phone — the operator
    is offered nothing else. The quotas' channel is the caller's registered number; the
    phone days are those of whoever booked (for a change: the original booker)."""
    booked_for = next((p for p in _people(caller) + ([changing.booked_for] if changing else [])
                       if str(p.public_id) == what["booked_for"]), None)
    specialty = scheduling_selectors.service_get(country=caller.country,
                                                 code=what["specialty"])
    if booked_for is None or specialty is None:
        return None
    return booking_allowance(person=changing.person if changing is not None else caller,
                             booked_for=booked_for, service=specialty, channel=Channel.PHONE,
                             channel_key=caller.mobile_phone or None, staff=True,
                             moving=changing)


# --- booking: the free times on the caller's phone days ----------------------------------------

def _page(request: HttpRequest) -> int:
    """``pagina``: which fifteen free times ("More times"); 0 is the first."""
    try:
        return min(max(int(request.GET.get("pagina", "0")), 0), 50)
    except ValueError:
        return 0


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("pagina", None)
    return query.urlencode()


def _slot_label(country: str, slot: Slot, *, final: bool = False) -> HintedChoice:
    starts = get_pack(country).localtime(slot.starts_at)
    label = weekday_day_time_text(starts)
    if final:   # R-APT-04, R-APT-13: say it before booking
        label = _("%(time)s (cannot be changed or cancelled online)") % {"time": label}
    hint = [slot.centre.name, slot.centre.address]
    if slot.doctor is not None:
        hint.append(slot.doctor.title_name)
    return HintedChoice(label, " · ".join(str(h) for h in hint if h))


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
@console_required
@books
def book_slots(request: HttpRequest, public_id) -> HttpResponse:
    """The next free times of the specialty in the city, on the caller's phone days only
    (R-APT-06); choosing one books it (or moves the appointment being changed)."""
    caller = _staff_person(request, public_id)
    changing = _changing(request, caller)
    what_form = _what_form(caller, request.GET, changing=changing)
    what_url = f"{reverse('staff:callcentre_book', args=[caller.public_id])}?" \
               f"{request.GET.urlencode()}"
    if not what_form.is_valid():
        return redirect(what_url)
    what = what_form.cleaned_data
    pack = get_pack(caller.country)
    booked_for = next(p for p in _people(caller) + ([changing.booked_for] if changing else [])
                      if str(p.public_id) == what["booked_for"])
    specialty = scheduling_selectors.service_get(country=caller.country,
                                                 code=what["specialty"])
    city = pack.geography.get(what["city"])
    allowance = _allowance(caller, what, changing)
    if specialty is None or city is None or allowance is None or allowance.refusal:
        return redirect(what_url)
    # The service checks the days of whoever booked (for a change: the original booker).
    days_of = changing.person if changing is not None else caller
    weekdays = scheduling_selectors.phone_weekdays(days_of)
    page = _page(request)
    offered = list(scheduling_selectors.slots_free(
        country=caller.country, service=specialty, place=city.code, kind=MEDICAL,
        allowance=allowance)[page * SLOTS_OFFERED:(page + 1) * SLOTS_OFFERED + 1])
    slots, more = offered[:SLOTS_OFFERED], len(offered) > SLOTS_OFFERED
    if request.method == "POST":
        # A time taken or tampered with since the list was shown: the service says why.
        chosen = scheduling_selectors.slot_get(request.POST.get("slot", ""))
        if chosen is not None and chosen not in slots:
            slots.append(chosen)
    choices = [(str(s.public_id), _slot_label(caller.country, s,
                                              final=allowance.final(s.starts_at)))
               for s in slots]
    form = forms.CallerSlotForm(request.POST or None, slots=choices)
    status = 200
    if request.method == "POST" and form.is_valid():
        slot = next(s for s in slots if str(s.public_id) == form.cleaned_data["slot"])
        try:
            booking = _book_or_move(request, caller, booked_for, slot, changing)
        except DomainError as exc:
            _refused(request, caller, exc, action="change" if changing else "book",
                     booking=changing)
            apply_errors(form, exc)
            status = _service_error_status(exc)
        else:
            if changing is not None:
                messages.success(request, _("The appointment is moved. Read the new details "
                                            "to the caller."))
            return redirect("staff:callcentre_booking", public_id=caller.public_id,
                            booking_id=booking.public_id)
    elif form.errors:
        status = INVALID
    _audit(request, "callcentre.slots", caller, {
        "specialty": specialty.code, "place": city.code, "weekdays": sorted(weekdays),
        "offered": len(choices), "booked_for": booked_for.subject_ref,
        "change": str(changing.public_id) if changing else ""})
    return render(request, "staff/callcentre_slots.html", {
        "caller": caller, "booked_for": booked_for, "specialty": specialty, "city": city,
        "province": pack.geography.get(what["province"]), "changing": changing,
        "changing_starts": (get_pack(caller.country).localtime(changing.slot.starts_at)
                            if changing else None),
        "form": form, "has_slots": bool(choices), "what_url": what_url,
        "other_cities": [] if choices else _other_cities(request, caller, allowance, city),
        "page": page, "more": more, "query": _query_without_page(request),
        "closed": [c for _d, c in sorted(allowance.closed.items())][:5],
        "ends": allowance.last_day_reason, "notice_hours": allowance.notice_hours,
        "phone_days": phone_days_text(days_of), "page_has_errors": bool(form.errors)},
        status=status)


def _other_cities(request: HttpRequest, caller: Person, allowance, city) -> list[dict]:
    """The empty state: the nearest cities with times this caller may book, to offer on
    the phone (issue 12 item 6), each leading to its times."""
    from urllib.parse import urlencode

    from ventanilla.scheduling.nearby import places_with_times

    geography = get_pack(caller.country).geography
    query = request.GET.copy()
    query.pop("pagina", None)
    out = []
    for code, free, km in places_with_times(country=caller.country, service=allowance.service,
                                            level=city.level, near=city.code,
                                            allowance=allowance):
        place = geography.get(code)
        if code == city.code or place is None:
            continue
        query["city"], query["province"] = code, geography.top_level_of(code)
        out.append({"city": place, "free": free,
                    "km": round(km) if km is not None else None,
                    "query": urlencode(query)})
        if len(out) == 5:
            break
    return out


def _book_or_move(request: HttpRequest, caller: Person, booked_for: Person, slot: Slot,
                  changing: Booking | None) -> Booking:
    if changing is not None:
        return scheduling_services.booking_reschedule(
            booking=changing, new_slot=slot, channel=Channel.PHONE, actor=request.user)
    # The quotas' sanction falls on the number the caller registered (R-APT-11).
    return scheduling_services.booking_create(
        slot=slot, person=caller, booked_for=booked_for, channel=Channel.PHONE,
        actor=request.user, channel_key=caller.mobile_phone or None)


