"""Back office, the call centre console (R-APT-06): an operator finds the caller by their
identity document, reads their coverage and appointments, and books, changes or cancels
medical appointments on their behalf. Booking offers only the days the caller's ID allows
(the country pack's rule); the booking service enforces them again, with the coverage
(R-APT-01), referrals (R-APT-08), quotas (R-APT-11) and the notice window (R-APT-04,
R-APT-13).

Adapters only: every decision is taken by the services these views call. Every page shows
personal data, so every rendering is audited; the services audit the bookings, changes and
cancellations, and these views audit the refusals.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ventanilla.accounts import blocks
from ventanilla.accounts.authz import staff_serves
from ventanilla.affiliation.selectors import affiliate_overview
from ventanilla.core.audit import audit_record
from ventanilla.core.channels import Channel
from ventanilla.core.errors import DomainError
from ventanilla.countries.registry import get_pack
from ventanilla.dependants.selectors import dependants_of
from ventanilla.people.models import Person
from ventanilla.people.selectors import person_find
from ventanilla.scheduling import quotas as scheduling_quotas
from ventanilla.scheduling import selectors as scheduling_selectors
from ventanilla.scheduling import services as scheduling_services
from ventanilla.scheduling.facts import booking_facts
from ventanilla.scheduling.models import Booking, BookingStatus, Service, Weekday

from ..web.views import INVALID, apply_errors
from . import forms
from .views import staff_required
from .views_people import _id_label, _referral_rows, _service_error_status, _staff_person

MEDICAL = Service.Kind.MEDICAL
PAST_SHOWN = 20

console_required = permission_required(("people.view_person", "scheduling.view_booking"),
                                       raise_exception=True)
books = permission_required("scheduling.add_booking", raise_exception=True)
changes = permission_required("scheduling.change_booking", raise_exception=True)




def phone_days_text(person: Person) -> str:
    """R-APT-06 in plain words: "By phone: Tuesday, Thursday, Saturday"."""
    days = scheduling_selectors.phone_weekdays(person)
    if set(days) >= set(range(7)):
        return _("By phone: any day")
    return _("By phone: %(days)s") % {
        "days": ", ".join(str(Weekday(d).label) for d in sorted(days))}


def _audit(request: HttpRequest, action: str, person: Person, details: dict | None = None
           ) -> None:
    audit_record(actor=request.user, action=action, obj=person, subject_ref=person.subject_ref,
                 channel=Channel.PHONE, details=details or {})


def _refused(request: HttpRequest, caller: Person, exc: DomainError, *, action: str,
             booking: Booking | None = None) -> None:
    """A refused action is an operator action too: recorded with the service's reason."""
    details = {"action": action, "code": exc.code, "message": str(exc.message)}
    if booking is not None:
        details["booking"] = str(booking.public_id)
    _audit(request, "callcentre.refused", caller, details)


def _caller_booking(caller: Person, booking_id) -> Booking:
    booking = scheduling_selectors.booking_get_for(caller, booking_id, kind=MEDICAL)
    if booking is None:
        raise Http404
    return booking


def _booking_rows(caller: Person) -> tuple[list[dict], list[dict]]:
    now = timezone.now()
    upcoming, past = [], []
    for booking in scheduling_selectors.bookings_of(caller, kind=MEDICAL):
        row = {"booking": booking,
               "starts": get_pack(caller.country).localtime(booking.slot.starts_at)}
        if booking.status == BookingStatus.BOOKED and booking.slot.starts_at >= now:
            upcoming.append(row)
        else:
            past.append(row)
    return upcoming, list(reversed(past))[:PAST_SHOWN]


# --- find the caller ------------------------------------------------------------------------

@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
@console_required
def caller_find(request: HttpRequest) -> HttpResponse:
    """The ID number travels in a POST body, not in the URL (nor in the server's logs)."""
    form = forms.PersonFindForm(request.POST or None, user=request.user)
    not_found = False
    if request.method == "POST" and form.is_valid():
        country = form.cleaned_data["country"]
        id_type = form.cleaned_data["id_type"]
        try:
            id_number = get_pack(country).validate_id(id_type, form.cleaned_data["id_number"])
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            person = person_find(country=country, id_type=id_type, id_number=id_number)
            audit_record(actor=request.user, action="callcentre.lookup",
                         object_type="people.person",
                         object_id=str(person.public_id) if person else "",
                         subject_ref=f"{country}:{id_type}:{id_number}",
                         channel=Channel.PHONE, details={"found": person is not None})
            if person is not None and _serves(request, person):
                return redirect("staff:callcentre_caller", public_id=person.public_id)
            not_found = True
    return render(request, "staff/callcentre_find.html", {
        "form": form, "not_found": not_found, "page_has_errors": bool(form.errors)},
        status=INVALID if form.errors else 200)


def _serves(request: HttpRequest, person: Person) -> bool:
    return staff_serves(request.user, person.country)


# --- the caller's page ----------------------------------------------------------------------

@never_cache
@require_http_methods(["GET"])
@staff_required
@console_required
def caller_detail(request: HttpRequest, public_id) -> HttpResponse:
    caller = _staff_person(request, public_id)
    today = get_pack(caller.country).today()
    overview = affiliate_overview(caller, on=today)
    upcoming, past = _booking_rows(caller)
    referrals = _referral_rows(request, caller, today=today)
    _audit(request, "callcentre.view", caller,
           {"upcoming": [str(r["booking"].public_id) for r in upcoming],
            "referrals": len(referrals) if referrals is not None else None})
    return render(request, "staff/callcentre_caller.html", {
        "caller": caller,
        "pack": get_pack(caller.country),
        "today": today,
        "id_label": _id_label(caller.country, caller.id_type),
        "overview": overview,
        "active_block": blocks.account_block_active(caller),
        "booking_blocks": scheduling_quotas.blocks_of(caller, now=timezone.now()),
        "dependants": dependants_of(caller, on=today),
        "phone_days": phone_days_text(caller),
        "upcoming": upcoming,
        "past": past,
        "referrals": referrals,
    })


# --- one appointment: the summary read back, change, cancel -----------------------------------

def _booking_context(caller: Person, booking: Booking) -> dict:
    facts = booking_facts(booking)
    return {"caller": caller, "booking": booking, "facts": facts, "starts": facts.starts,
            "arrive_by": facts.arrive_by, "notice_hours": facts.notice_hours,
            "is_booked": facts.is_booked, "reference": facts.reference}


@never_cache
@require_http_methods(["GET"])
@staff_required
@console_required
def booking_detail(request: HttpRequest, public_id, booking_id) -> HttpResponse:
    caller = _staff_person(request, public_id)
    booking = _caller_booking(caller, booking_id)
    _audit(request, "callcentre.booking.view", caller, {"booking": str(booking.public_id)})
    return render(request, "staff/callcentre_booking.html", _booking_context(caller, booking))


@require_http_methods(["GET"])
@staff_required
@console_required
@changes
def booking_change(request: HttpRequest, public_id, booking_id) -> HttpResponse:
    """Opens the same list of free times, for the appointment's specialty and city."""
    caller = _staff_person(request, public_id)
    booking = _caller_booking(caller, booking_id)
    geography = get_pack(caller.country).geography
    place = booking.slot.centre.subdivision_code
    city = geography.ancestor_at(place, 1)
    query = urlencode({"booked_for": str(booking.booked_for.public_id),
                       "specialty": booking.slot.service.code,
                       "province": geography.top_level_of(place),
                       "city": city.code if city is not None else "",
                       "cambiar": str(booking.public_id)})
    return redirect(f"{reverse('staff:callcentre_slots', args=[caller.public_id])}?{query}")


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
@console_required
@changes
def booking_cancel(request: HttpRequest, public_id, booking_id) -> HttpResponse:
    """A "are you sure?" page, then the cancellation; the service keeps the notice window
    (R-APT-04: 12 hours in Ecuador, R-APT-13: 24 in Peru) and its refusal is shown."""
    caller = _staff_person(request, public_id)
    booking = _caller_booking(caller, booking_id)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            scheduling_services.booking_cancel(booking=booking, channel=Channel.PHONE,
                                               actor=request.user)
        except DomainError as exc:
            _refused(request, caller, exc, action="cancel", booking=booking)
            errors.append(str(exc.message))
            status = _service_error_status(exc)
        else:
            messages.success(request, _("The appointment is cancelled. The time is free for "
                                        "someone else."))
            return redirect("staff:callcentre_caller", public_id=caller.public_id)
    else:
        _audit(request, "callcentre.cancel.view", caller, {"booking": str(booking.public_id)})
    return render(request, "staff/callcentre_cancel.html", {
        **_booking_context(caller, booking), "errors": errors,
        "page_has_errors": bool(errors)}, status=status)
