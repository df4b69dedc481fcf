"""Back office, referrals to second-level specialties (R-APT-08, R-APT-12): staff record the
referral a person brings from a doctor or health centre, so that the person can then book
the specialty on any channel. The person's page lists their referrals.

Adapters only: ``scheduling.referrals.referral_issue`` checks the permission, the specialty
and the dates, and audits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ventanilla.core.audit import audit_record
from ventanilla.core.channels import Channel
from ventanilla.core.dates import day_text
from ventanilla.core.errors import DomainError
from ventanilla.countries.registry import get_pack
from ventanilla.people.models import Person
from ventanilla.scheduling import selectors as scheduling_selectors
from ventanilla.scheduling.defaults import medical_services_ensure
from ventanilla.scheduling.models import Referral, Service
from ventanilla.scheduling.referrals import referral_expiry_default, referral_issue

from ..web.views import INVALID, apply_errors
from . import forms
from .views import staff_required
from .views_people import _id_label, _service_error_status, _staff_person


@dataclass(frozen=True)
class ReferralRow:
    referral: Referral
    status: str
    colour: str


def referral_rows(person: Person, *, today: date) -> list[ReferralRow]:
    """The person's referrals with their status in plain words (an active referral past its
    expiry date is shown as expired: it can no longer be used)."""
    rows = []
    for referral in scheduling_selectors.referrals_of(person):
        if referral.status == Referral.Status.USED:
            status, colour = _("Used for an appointment"), "grey"
        elif referral.status == Referral.Status.VOID:
            status, colour = _("No longer valid"), "red"
        elif referral.expires_on < today:
            status, colour = _("Expired"), "orange"
        else:
            status, colour = _("Can be used"), "green"
        rows.append(ReferralRow(referral=referral, status=str(status), colour=colour))
    return rows


def _specialties(country: str) -> list[Service]:
    """The country's active specialties that are booked only with a referral."""
    return [s for s in medical_services_ensure(country) if s.is_active and s.needs_referral]


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
@permission_required("scheduling.add_referral", raise_exception=True)
def referral_new(request: HttpRequest, public_id) -> HttpResponse:
    person = _staff_person(request, public_id)
    today = get_pack(person.country).today()
    specialties = {s.code: s for s in _specialties(person.country)}
    doctors = {str(d.public_id): d
               for d in scheduling_selectors.doctor_list(country=person.country)}
    centre = getattr(request.user, "centre", None)
    form = forms.ReferralIssueForm(
        request.POST if request.method == "POST" else None,
        specialties=[(code, s.label) for code, s in specialties.items()],
        doctors=[(key, d.full_name) for key, d in doctors.items()],
        today=today,
        initial={"issued_by": centre.name if centre is not None else "",
                 "issued_on": today, "expires_on": referral_expiry_default(today)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        issued_by = data["issued_by"]
        try:
            referral = referral_issue(
                person=person, specialty=specialties[data["specialty"]], issued_by=issued_by,
                issued_on=data["issued_on"], expires_on=data["expires_on"],
                doctor=doctors.get(data.get("doctor") or ""), actor=request.user, today=today,
                # the staff member's own centre, when they kept it as the referrer
                centre=centre if centre is not None and issued_by.strip() == centre.name
                else None)
        except DomainError as exc:
            apply_errors(form, exc)
            status = _service_error_status(exc)
        else:
            messages.success(request, _(
                "Referral to %(specialty)s recorded. It can be used to book until "
                "%(date)s.") % {"specialty": referral.specialty.label,
                                "date": day_text(referral.expires_on)})
            return redirect("staff:person", public_id=person.public_id)
    else:
        status = INVALID if form.errors else 200
    audit_record(actor=request.user, action="person.referrals.view", obj=person,
                 subject_ref=person.subject_ref, channel=Channel.IN_PERSON)
    return render(request, "staff/referral_new.html", {
        "person": person,
        "pack": get_pack(person.country),
        "id_label": _id_label(person.country, person.id_type),
        "referrals": [r for r in referral_rows(person, today=today)
                      if r.referral.usable_on(today)],
        "has_specialties": bool(specialties),
        "form": form,
        "page_has_errors": bool(form.errors),
    }, status=status)
