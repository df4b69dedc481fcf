"""Back office, the institution's own rest certificate (R-CER-01): the clinician of the
medical centre where an appointment was attended records it from the day's list; it is
valid as issued, with no validation step, and the person sees it with their others.

Adapters only: ``certificates.services.certificate_issue`` decides (the centre, the
attendance, the dates, the ICD-10 code) and audits.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ventanilla.accounts.authz import staff_serves
from ventanilla.certificates import selectors, services
from ventanilla.certificates.errors import CertificateRefused
from ventanilla.certificates.icd10 import icd10_lookup
from ventanilla.core.audit import audit_record
from ventanilla.core.errors import DomainError, PermissionDenied
from ventanilla.countries.registry import get_pack
from ventanilla.scheduling import selectors as scheduling_selectors

from ..web.views import INVALID, apply_errors
from . import forms_certificates as forms
from .views import staff_required
from .views_people import _id_label

ISSUE = "certificates.issue_certificate"


def _booking(request: HttpRequest, public_id):
    """The appointment, if this staff member serves its country (else: not found)."""
    booking = scheduling_selectors.booking_get(public_id)
    if booking is None or not staff_serves(request.user, booking.slot.centre.country):
        raise Http404
    return booking


def _visit(booking, user) -> dict:
    centre = booking.slot.centre
    starts_at = get_pack(centre.country).localtime(booking.slot.starts_at)
    person = booking.booked_for
    query = {"fecha": starts_at.date().isoformat()}
    if not user.centre_id:   # staff of one centre see theirs without choosing
        query["centro"] = str(centre.public_id)
    return {"booking": booking, "centre": centre, "starts_at": starts_at, "person": person,
            "id_label": _id_label(person.country, person.id_type),
            "service": booking.slot.service.label,
            "day_url": f"{reverse('staff:visits')}?{urlencode(query)}"}


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
@permission_required(ISSUE, raise_exception=True)
def certificate_issue(request: HttpRequest, public_id) -> HttpResponse:
    booking = _booking(request, public_id)
    if selectors.certificates_of_bookings([booking]):
        return redirect("staff:certificate_issued", public_id=booking.public_id)
    visit = _visit(booking, request.user)
    form = forms.IssueForm(request.POST if request.method == "POST" else None,
                           initial={"kind": "illness"})
    errors: list[str] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.certificate_issue(
                booking=booking, actor=request.user, kind=data["kind"] or "",
                diagnosis=data["diagnosis"] or "", icd10_code=data["icd10_code"] or "",
                rest_start=data["rest_start"] or "", rest_end=data["rest_end"] or "")
        except PermissionDenied as exc:   # staff of another centre
            raise DjangoPermissionDenied from exc
        except CertificateRefused as exc:
            apply_errors(form, exc)
            status = INVALID
        except DomainError as exc:   # not attended, not medical, issued a moment ago
            errors.append(str(exc.message))
            status = exc.status if exc.status != 400 else INVALID
        else:
            return redirect("staff:certificate_issued", public_id=booking.public_id)
    elif form.errors:
        status = INVALID
    audit_record(actor=request.user, action="certificate.issue_form.view", obj=booking,
                 subject_ref=visit["person"].subject_ref)
    return render(request, "staff/certificate_issue.html", {
        **visit, "form": form, "errors": errors, "page_has_errors": status != 200,
    }, status=status)


@never_cache
@require_http_methods(["GET"])
@staff_required
@permission_required(ISSUE, raise_exception=True)
def certificate_issued(request: HttpRequest, public_id) -> HttpResponse:
    """The confirmation: the reference to give the person, valid at once."""
    booking = _booking(request, public_id)
    cert = selectors.certificates_of_bookings([booking]).get(booking.pk)
    if cert is None:
        return redirect("staff:certificate_issue", public_id=booking.public_id)
    services.certificate_viewed(certificate=cert, actor=request.user)
    return render(request, "staff/certificate_issued.html", {
        **_visit(booking, request.user), "cert": cert, "icd10": icd10_lookup(cert.icd10_code),
    })
