"""Medical appointments on the web after booking (R-APT-09): the list, one appointment
with its PDF, calendar file, copy and cancel, and the free-time alerts. Split from
``appointments`` (the booking steps)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ventanilla.affiliation.selectors import affiliate_overview
from ventanilla.core.channels import Channel
from ventanilla.core.dates import day_text
from ventanilla.core.errors import DomainError
from ventanilla.countries.registry import get_pack
from ventanilla.scheduling import alerts as scheduling_alerts
from ventanilla.scheduling import selectors as scheduling_selectors
from ventanilla.scheduling import services as scheduling_services
from ventanilla.scheduling.copies import booking_copy_send
from ventanilla.scheduling.facts import booking_facts

from ..web.views import INVALID
from .appointments import MEDICAL, _people, _what_form
from .views import _local, _render, affiliate_required, booking_document_response

# --- the list -------------------------------------------------------------------

@affiliate_required
def appointments(request, person):
    now = timezone.now()
    rows = [{"booking": b, "starts": _local(person, b.slot.starts_at)}
            for b in scheduling_selectors.bookings_of(person, kind=MEDICAL)]
    upcoming = [r for r in rows if r["booking"].status == "booked"
                and r["booking"].slot.starts_at >= now]
    geography = get_pack(person.country).geography
    alerts = [{"alert": a, "city": geography.get(a.place_code),
               "until": _local(person, a.expires_at)}
              for a in scheduling_alerts.slot_alerts_open_of(person, now=now)]
    return _render(request, "portal/appointments/list.html", {
        "upcoming": upcoming,
        "past": [r for r in rows if r not in upcoming][-20:],
        "alerts": alerts,
        "overview": affiliate_overview(person, on=timezone.localdate())})


# --- free-time alerts ("Avisarme") ---------------------------------------------------------

@affiliate_required
@require_POST
def appointment_alert_create(request, person):
    """"Notify me" from the empty date step: the same choices as the "what" step, posted;
    an e-mail once when a time opens (``alerts.slot_alert_create``, idempotent)."""
    people = _people(person)
    form = _what_form(person, request.POST, people=people)
    if not form.is_valid():
        return _render(request, "portal/appointments/alert_problem.html", {
            "message": _("Choose the specialty and city again, then ask to be notified."),
            "page_has_errors": True}, status=INVALID)
    data = form.cleaned_data
    booked_for = next(p for p in people if str(p.public_id) == data["booked_for"])
    service = scheduling_selectors.service_get(country=person.country, code=data["specialty"])
    city = get_pack(person.country).geography.get(data["city"])
    query = urlencode({k: data[k] for k in ("booked_for", "specialty", "province", "city")})
    try:
        alert = scheduling_alerts.slot_alert_create(person=person, booked_for=booked_for,
                                                    service=service, place=data["city"])
    except DomainError as exc:
        return _render(request, "portal/appointments/alert_problem.html", {
            "message": str(exc.message), "query": query, "page_has_errors": True},
            status=exc.status)
    to = scheduling_alerts.slot_alert_recipient(alert)
    messages.success(request, _(
        "We will e-mail %(email)s once, when a %(specialty)s time opens in %(city)s, until "
        "%(date)s.")
        % {"email": to.email if to else "", "specialty": service.label, "city": city.name,
           "date": day_text(_local(person, alert.expires_at))})
    return redirect("portal:appointments")


@affiliate_required
@require_POST
def appointment_alert_cancel(request, person, public_id):
    """"Stop notifying me", from the appointments page."""
    alert = scheduling_alerts.slot_alert_get_for(person, public_id)
    if alert is None:
        raise Http404
    scheduling_alerts.slot_alert_cancel(alert=alert, person=person)
    messages.success(request, _("We will not e-mail you about free %(specialty)s times "
                                "any more.") % {"specialty": alert.service.label})
    return redirect("portal:appointments")


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
    facts = booking_facts(booking)
    geography = pack.geography
    city = geography.ancestor_at(booking.slot.centre.subdivision_code, 1)
    change_query = urlencode({
        "booked_for": str(booking.booked_for.public_id), "specialty": booking.slot.service.code,
        "province": geography.top_level_of(booking.slot.centre.subdivision_code),
        "city": city.code if city else "", "cambiar": str(booking.public_id)})
    return _render(request, "portal/appointments/detail.html", {
        "booking": booking, "facts": facts, "starts": facts.starts,
        "can_change": facts.can_change, "notice_hours": facts.notice_hours,
        "change_query": change_query, "arrive_by": facts.arrive_by,
        "reference": facts.reference})


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
@require_http_methods(["POST"])
def appointment_copy(request, person, public_id):
    """A copy of the appointment by e-mail or WhatsApp (``scheduling.copies``, which limits
    them so the button cannot be used to flood an inbox)."""
    booking = _own(person, public_id)
    try:
        where = booking_copy_send(booking=booking, medium=request.POST.get("medio", ""))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("A copy is on its way to %(where)s.") % {"where": where})
    return redirect("portal:appointment", public_id=booking.public_id)


@affiliate_required
def appointment_document(request, person, public_id, kind: str):
    return booking_document_response(_own(person, public_id), kind)
