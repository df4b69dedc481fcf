"""The portal's dependants (R-DEP-01..03): who is covered as the affiliate's dependant,
and asking to add one. Split from ``views``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ventanilla.core.channels import Channel
from ventanilla.core.errors import DomainError
from ventanilla.dependants import rules as dependant_rules
from ventanilla.dependants import selectors as dependant_selectors
from ventanilla.dependants import services as dependant_services
from ventanilla.dependants.errors import InPersonOnly

from ..web.views import apply_errors
from . import forms
from .views import (
    INVALID,
    _dependant_rows,
    _render,
    affiliate_required,
)

# --- dependants (R-DEP-01..03) -------------------------------------------------------------

@affiliate_required
def dependants(request, person):
    today = timezone.localdate()
    rows = _dependant_rows(person, on=today)
    return _render(request, "portal/dependants.html", {
        "dependants": rows, "requests": dependant_selectors.requests_of(person)[:50],
        "can_request": dependant_services.holder_may_request(person, on=today)})


@affiliate_required
@require_http_methods(["GET", "POST"])
def dependant_new(request, person):
    """Step 1: who. An Ecuadorian spouse married abroad is filed in person only: the person
    gets the checklist and a link to book the office visit (R-DEP-02)."""
    form = forms.DependantSituationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        situation = form.situation()
        if not dependant_rules.filing_channel_allowed(
                person.country, situation["relationship"], situation["marriage_abroad"],
                Channel.WEB):
            return _in_person_page(request, person, situation)
        query = urlencode({**situation, "marriage_abroad": int(situation["marriage_abroad"])})
        return redirect(f"{reverse('portal:dependant_details')}?{query}")
    return _render(request, "portal/dependant_new.html", {"form": form},
                   status=INVALID if form.errors else 200)


def _in_person_page(request, person, situation, *, message=""):
    items = dependant_rules.checklist(person.country, situation["relationship"],
                                      marriage_abroad=situation["marriage_abroad"],
                                      union_kind=situation["union_kind"])
    return _render(request, "portal/dependant_in_person.html", {
        "checklist": items, "message": message}, status=200)


@affiliate_required
@require_http_methods(["GET", "POST"])
def dependant_details(request, person):
    """Step 2: who the dependant is; the request becomes a case with its history."""
    situation_form = forms.DependantSituationForm({
        "relationship": request.GET.get("relationship", ""),
        "union_kind": request.GET.get("union_kind", ""),
        "marriage_abroad": "yes" if request.GET.get("marriage_abroad") == "1" else "no"})
    if not situation_form.is_valid():
        return redirect("portal:dependant_new")
    situation = situation_form.situation()
    needs = dependant_rules.needs_inscription(person.country, situation["relationship"],
                                              situation["marriage_abroad"])
    form = forms.DependantDetailsForm(request.POST or None, country=person.country,
                                      needs_inscription=needs)
    if request.method == "POST" and form.is_valid():
        try:
            created = dependant_services.dependant_request_create(
                holder_person=person, dependant=form.dependant(), channel=Channel.WEB,
                actor=request.user,
                inscription_reference=form.cleaned_data.get("inscription_reference", ""),
                **situation)
        except InPersonOnly as exc:
            return _in_person_page(request, person, situation, message=exc.message)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            return redirect("portal:dependant_request", public_id=created.public_id)
    items = dependant_rules.checklist(person.country, situation["relationship"],
                                      marriage_abroad=situation["marriage_abroad"],
                                      union_kind=situation["union_kind"])
    return _render(request, "portal/dependant_details.html", {
        "form": form, "situation": situation, "checklist": items},
        status=INVALID if form.errors else 200)


@affiliate_required
def dependant_request(request, person, public_id):
    try:
        found = dependant_selectors.request_get_for_holder(person, public_id)
    except DomainError as exc:
        raise Http404 from exc
    holder = found.holder_affiliation
    return _render(request, "portal/dependant_request.html", {
        "r": found, "history": dependant_selectors.request_history(found),
        "checklist": dependant_rules.checklist(
            found.country, found.relationship, marriage_abroad=found.marriage_abroad,
            union_kind=found.union_kind or "marriage"),
        "surcharge": dependant_selectors.surcharge_for(
            country=found.country, relationship=found.relationship,
            affiliation_type=holder.affiliation_type, on=timezone.localdate())})
