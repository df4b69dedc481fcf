"""Back office, office visits (R-REG-07): the day's bookings of a service centre, in the
order people come, and whether each person came (which R-APT-05 counts).

Adapters only: ``scheduling.services.booking_attendance_record`` decides and records.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ventanilla.accounts.authz import staff_may, staff_serves
from ventanilla.certificates import selectors as certificate_selectors
from ventanilla.core.audit import audit_record
from ventanilla.core.errors import DomainError
from ventanilla.countries.registry import get_pack
from ventanilla.scheduling import selectors as scheduling_selectors
from ventanilla.scheduling import services as scheduling_services
from ventanilla.scheduling.models import BookingStatus, Centre, Service

from ..web.views import INVALID
from . import forms
from .views import staff_required
from .views_people import _id_label

ISSUE_CERTIFICATE = "certificates.issue_certificate"

# Colour is an extra cue only: the tag says the status in words.
STATUS_COLOURS = {
    BookingStatus.BOOKED: "blue",
    BookingStatus.ATTENDED: "green",
    BookingStatus.NO_SHOW: "red",
    BookingStatus.CANCELLED: "grey",
}


def _centres_to_choose(user) -> list[Centre] | None:
    """None for staff of one centre (they see theirs); else the active centres of the
    staff member's country (of every country for staff without one)."""
    if user.centre_id:
        return None
    centres = Centre.objects.filter(is_active=True)
    if user.country:
        centres = centres.filter(country=user.country)
    return list(centres.order_by("name"))


def _day_url(centre: Centre, day: date, *, with_centre: bool) -> str:
    query = {"fecha": day.isoformat()}
    if with_centre:
        query["centro"] = str(centre.public_id)
    return f"{reverse('staff:visits')}?{urlencode(query)}"


# --- the day page ---------------------------------------------------------------------------

@never_cache
@require_http_methods(["GET"])
@staff_required
@permission_required("scheduling.view_booking", raise_exception=True)
def visits_day(request: HttpRequest) -> HttpResponse:
    user = request.user
    centres = _centres_to_choose(user)
    form = forms.VisitsDayForm(request.GET or None, centres=centres)
    centre: Centre | None = user.centre  # type: ignore[union-attr]
    day: date | None = None
    if form.is_bound:
        form.is_valid()  # a wrong date is shown as an error; a valid centre is still used
        day = form.cleaned_data.get("fecha")
        if centres is not None:
            chosen = form.cleaned_data.get("centro")
            centre = next((c for c in centres if str(c.public_id) == chosen), None)
    if centres is not None and centre is None and len(centres) == 1:
        centre = centres[0]
    return _day_page(request, centre=centre, day=day, centres=centres,
                     form=form if form.errors else None,
                     status=INVALID if form.errors else 200)


def _day_page(request: HttpRequest, *, centre: Centre | None, day: date | None, form=None,
              centres=None, errors=(), status: int = 200) -> HttpResponse:
    """The bookings show personal data: every rendering with a centre is audited."""
    if centre is not None and not staff_serves(request.user, centre.country):
        raise Http404
    rows: list[dict] = []
    if centre is not None:
        tz = get_pack(centre.country).tz
        day = day or timezone.localdate(timezone=tz)
        bookings = list(scheduling_selectors.bookings_of_centre(centre, on=day))
        issued = (certificate_selectors.certificates_of_bookings(bookings)
                  if staff_may(request.user, ISSUE_CERTIFICATE) else {})
        for booking in bookings:
            person = booking.booked_for
            rows.append({
                "booking": booking,
                "starts_at": timezone.localtime(booking.slot.starts_at, tz),
                "service": booking.slot.service.label,
                "person": person,
                "id_label": _id_label(person.country, person.id_type),
                "colour": STATUS_COLOURS.get(BookingStatus(booking.status), "grey"),
                "is_booked": booking.status == BookingStatus.BOOKED,
                # R-CER-01: the rest certificate of an attended medical appointment
                "certificate": issued.get(booking.pk),
                "may_certify": (booking.status == BookingStatus.ATTENDED
                                and booking.slot.service.kind == Service.Kind.MEDICAL
                                and booking.pk not in issued),
            })
        audit_record(actor=request.user, action="visits.day.view", obj=centre,
                     subject_ref="", details={
                         "on": day.isoformat(), "count": len(rows),
                         "subjects": [r["person"].subject_ref for r in rows]})
    if form is None:
        form = forms.VisitsDayForm(centres=centres, initial={
            "fecha": day, "centro": str(centre.public_id) if centre else ""})
    with_centre = centres is not None
    return render(request, "staff/visits_day.html", {
        "centre": centre,
        "day": day,
        "rows": rows,
        "form": form,
        "errors": list(errors),
        "previous_url": _day_url(centre, day - timedelta(days=1), with_centre=with_centre)
        if centre and day else "",
        "next_url": _day_url(centre, day + timedelta(days=1), with_centre=with_centre)
        if centre and day else "",
        "page_has_errors": bool(errors) or bool(form.errors),
    }, status=status)


# --- attendance (R-APT-05 counts the no-shows) ----------------------------------------------

@require_POST
@staff_required
@permission_required("scheduling.change_booking", raise_exception=True)
def visit_attendance(request: HttpRequest, public_id) -> HttpResponse:
    booking = scheduling_selectors.booking_get(public_id)
    if booking is None or not staff_serves(request.user, booking.slot.centre.country):
        raise Http404
    centre = booking.slot.centre
    day = timezone.localtime(booking.slot.starts_at, get_pack(centre.country).tz).date()
    centres = _centres_to_choose(request.user)
    form = forms.AttendanceForm(request.POST)
    if not form.is_valid():
        return _day_page(request, centre=centre, day=day, centres=centres,
                         errors=[_("Choose attended or did not come")], status=INVALID)
    attended = form.cleaned_data["attended"] == "yes"
    try:
        scheduling_services.booking_attendance_record(booking=booking, attended=attended,
                                                      actor=request.user)
    except DomainError as exc:
        status = exc.status if exc.status != 400 else INVALID
        return _day_page(request, centre=centre, day=day, centres=centres,
                         errors=[str(exc.message)], status=status)
    name = booking.booked_for.full_name
    messages.success(request, _("Recorded: %(name)s came.") % {"name": name} if attended
                     else _("Recorded: %(name)s did not come.") % {"name": name})
    return redirect(_day_url(centre, day, with_centre=centres is not None))
