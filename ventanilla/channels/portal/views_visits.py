"""The portal's office visits (R-REG-07), with a clave or with an e-mailed code. Split from
``views``."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ventanilla.cases.selectors import cases_of
from ventanilla.core.channels import Channel
from ventanilla.core.errors import DomainError
from ventanilla.countries.registry import get_pack
from ventanilla.scheduling import rules as scheduling_rules
from ventanilla.scheduling import selectors as scheduling_selectors
from ventanilla.scheduling import services as scheduling_services
from ventanilla.scheduling.defaults import office_services_ensure
from ventanilla.scheduling.models import Centre

from ..web.views import apply_errors
from . import forms
from .views import (
    INVALID,
    VISITOR_MINUTES,
    VISITOR_PENDING_KEY,
    VISITOR_SESSION_KEY,
    _local,
    _render,
    booker_required,
    booking_document_response,
)


def _visit_choices(person):
    today = timezone.localdate()
    return {
        "services": office_services_ensure(person.country),
        "centres": list(Centre.objects.filter(country=person.country, is_active=True,
                                              kind=Centre.Kind.SERVICE).order_by("name")),
        # the person first, then their dependants
        "people": [person, *scheduling_selectors.people_bookable_by(person, on=today)
                   .exclude(pk=person.pk).order_by("date_of_birth")],
    }


def _visit_what(request, person):
    """Step 1's answers from the query string, checked again on every later step."""
    choices = _visit_choices(person)
    form = forms.VisitWhatForm(request.GET, **choices)
    if not form.is_valid():
        return None
    data = form.cleaned_data
    return {
        "service": next(s for s in choices["services"] if s.code == data["service"]),
        "centre": next(c for c in choices["centres"] if str(c.public_id) == data["centre"]),
        "booked_for": next(p for p in choices["people"]
                           if str(p.public_id) == data["booked_for"]),
        "query": urlencode({k: data[k] for k in ("service", "centre", "booked_for")}
                           | ({"case": request.GET["case"]} if request.GET.get("case") else {})),
    }


@booker_required
def visits(request, person):
    rows = [{"booking": b, "starts": _local(person, b.slot.starts_at)}
            for b in scheduling_selectors.bookings_of(person, kind="office")]
    now = timezone.now()
    return _render(request, "portal/visits.html", {
        "upcoming": [r for r in rows if r["booking"].status == "booked"
                     and r["booking"].slot.starts_at >= now],
        "past": [r for r in rows if not (r["booking"].status == "booked"
                                         and r["booking"].slot.starts_at >= now)][-20:]})


@booker_required
def visit_new(request, person):
    """Step 1: what for, where, for whom (GET form: the answers travel in the URL)."""
    choices = _visit_choices(person)
    geography = get_pack(person.country).geography
    province = geography.top_level_of(person.subdivision_code)
    near = next((c for c in choices["centres"]
                 if province and geography.top_level_of(c.subdivision_code) == province), None)
    initial = {"service": request.GET.get("service", ""),
               "centre": str(near.public_id) if near else "",
               "booked_for": str(person.public_id)}
    form = forms.VisitWhatForm(request.GET if "centre" in request.GET else None,
                               initial=initial, **choices)
    if form.is_bound and form.is_valid():
        return redirect(f"{reverse('portal:visit_date')}?{request.GET.urlencode()}")
    return _render(request, "portal/visit_new.html", {"form": form},
                   status=INVALID if form.errors else 200)


@booker_required
def visit_date(request, person):
    """Step 2: the next dates with a free place, and the first free time."""
    what = _visit_what(request, person)
    if what is None:
        return redirect("portal:visit_new")
    dates = scheduling_selectors.slot_dates_free(service=what["service"],
                                                 centre=what["centre"], limit=10)
    first = (scheduling_selectors.slots_free(service=what["service"], centre=what["centre"])
             .first())
    return _render(request, "portal/visit_date.html", {
        **what, "dates": dates, "first": first,
        "first_starts": _local(person, first.starts_at) if first else None})


@booker_required
@require_http_methods(["GET", "POST"])
def visit_time(request, person):
    """Step 3: a time on the chosen date; booking it."""
    what = _visit_what(request, person)
    if what is None:
        return redirect("portal:visit_new")
    try:
        day = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return redirect(f"{reverse('portal:visit_date')}?{what['query']}")
    slots = list(scheduling_selectors.slots_free(service=what["service"],
                                                 centre=what["centre"], date_from=day,
                                                 date_to=day))
    choices = [(str(s.public_id), f"{_local(person, s.starts_at):%H:%M}") for s in slots]
    form = forms.VisitTimeForm(request.POST or None, slots=choices,
                               initial={"slot": request.GET.get("slot", "")})
    if request.method == "POST" and form.is_valid():
        slot = next(s for s in slots if str(s.public_id) == form.cleaned_data["slot"])
        case = None
        if request.GET.get("case"):
            case = cases_of(person).filter(reference=request.GET["case"].upper()).first()
        try:
            booking = scheduling_services.booking_create(
                slot=slot, person=person, booked_for=what["booked_for"], channel=Channel.WEB,
                case=case)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            return redirect("portal:visit", public_id=booking.public_id)
    return _render(request, "portal/visit_time.html", {
        **what, "day": day, "form": form, "has_slots": bool(slots)},
        status=INVALID if form.errors else 200)


@booker_required
def visit(request, person, public_id):
    booking = scheduling_selectors.booking_get_for(person, public_id, kind="office")
    if booking is None:
        raise Http404
    pack = get_pack(booking.slot.centre.country)
    starts = _local(person, booking.slot.starts_at)
    can_cancel = booking.status == "booked" and scheduling_rules.may_change(
        starts_at=booking.slot.starts_at, now=timezone.now(),
        notice_hours=pack.cancel_notice_hours)
    return _render(request, "portal/visit.html", {
        "booking": booking, "starts": starts, "can_cancel": can_cancel,
        "notice_hours": pack.cancel_notice_hours})


@booker_required
@require_POST
def visit_cancel(request, person, public_id):
    booking = scheduling_selectors.booking_get_for(person, public_id, kind="office")
    if booking is None:
        raise Http404
    try:
        scheduling_services.booking_cancel(booking=booking, channel=Channel.WEB,
                                           by_person=person)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("portal:visit", public_id=booking.public_id)
    messages.success(request, _("Your visit is cancelled. The time is free for someone "
                                "else."))
    return redirect("portal:visits")




@booker_required
def visit_document(request, person, public_id, kind: str):
    """The visit as a calendar file or a printable PDF."""
    booking = scheduling_selectors.booking_get_for(person, public_id, kind="office")
    if booking is None:
        raise Http404
    return booking_document_response(booking, kind)



# --- office visits without a clave (R-REG-07) ------------------------------------------------

@require_http_methods(["GET", "POST"])
def visitor(request):
    """Step 1 for people without a clave: ID, date of birth; a code goes to the e-mail on
    file. The next page is the same whether or not the details matched anyone."""
    from ventanilla.accounts.visitor import visitor_code_send

    form = forms.VisitorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ident = form.identity()
        try:
            visitor_code_send(**ident, date_of_birth=form.cleaned_data["date_of_birth"])
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            request.session[VISITOR_PENDING_KEY] = ident
            target = request.GET.get("next", "")
            query = f"?{urlencode({'next': target})}" if target else ""
            return redirect(f"{reverse('portal:visitor_code')}{query}")
    return _render(request, "portal/visitor.html", {"form": form,
                                                    "login_url": reverse("portal:login")},
                   status=INVALID if form.errors else 200)


@require_http_methods(["GET", "POST"])
def visitor_code(request):
    from ventanilla.accounts.visitor import visitor_code_check

    ident = request.session.get(VISITOR_PENDING_KEY)
    if not ident:
        return redirect("portal:visitor")
    form = forms.VisitorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = visitor_code_check(**ident, code=form.cleaned_data["code"])
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            request.session.cycle_key()
            request.session.pop(VISITOR_PENDING_KEY, None)
            request.session[VISITOR_SESSION_KEY] = {
                "person": str(person.public_id),
                "until": timezone.now().timestamp() + VISITOR_MINUTES * 60}
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                   require_https=request.is_secure()):
                target = reverse("portal:visit_new")
            return redirect(target)
    return _render(request, "portal/visitor_code.html", {"form": form},
                   status=INVALID if form.errors else 200)
