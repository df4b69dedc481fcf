"""Back office, dependants (R-DEP-01..03, R-AFF-05): the queue of coverage requests waiting
for a decision, a request's page (audited) with its decision, and a request filed at the
counter with the affiliate in front of the agent, the only way an Ecuadorian spouse married
abroad can be filed (R-DEP-02).

Adapters only: the dependants services and selectors take every decision.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ventanilla.core.audit import audit_record
from ventanilla.core.channels import Channel
from ventanilla.core.errors import DomainError, PermissionDenied
from ventanilla.core.i18n import country_choices, country_names
from ventanilla.countries.registry import get_pack
from ventanilla.dependants import rules as dependant_rules
from ventanilla.dependants import selectors as dependant_selectors
from ventanilla.dependants import services as dependant_services
from ventanilla.dependants.errors import HolderNotEligible, RequestNotFound
from ventanilla.dependants.models import DependantRequest

from ..web.views import INVALID, apply_errors
from . import forms
from .views import staff_required
from .views_people import _id_label, _staff_person

QUEUE_LIMIT = 200



def _status(exc: DomainError) -> int:
    return exc.status if exc.status != 400 else INVALID


def _affiliation_label(country: str, code: str) -> str:
    kind = get_pack(country).affiliation_type(code)
    return str(kind.label) if kind else code


def _request_for_staff(request: HttpRequest, public_id, *,
                       permission: str = dependant_selectors.VIEW_PERMISSION
                       ) -> DependantRequest:
    """The request, if this staff member may read it and serves its country; staff of
    another country get a 404, as if it did not exist."""
    try:
        return dependant_selectors.request_get_for_staff(request.user, public_id,
                                                         permission=permission)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied from exc
    except RequestNotFound as exc:
        raise Http404 from exc


def _checklist(country: str, relationship: str, *, marriage_abroad: bool = False,
               union_kind: str = dependant_rules.MARRIAGE):
    return dependant_rules.checklist(country, relationship, marriage_abroad=marriage_abroad,
                                     union_kind=union_kind or dependant_rules.MARRIAGE)


# --- the queue ------------------------------------------------------------------------------

@never_cache
@require_http_methods(["GET"])
@staff_required
@permission_required(dependant_selectors.REVIEW_PERMISSION, raise_exception=True)
def request_queue(request: HttpRequest) -> HttpResponse:
    """Requests waiting for a decision, oldest first; staff of one country see theirs."""
    rows = list(dependant_selectors.review_queue(request.user)[:QUEUE_LIMIT])
    audit_record(actor=request.user, action="dependant_request.queue.view",
                 object_type="dependants.dependantrequest",
                 object_id=request.user.country or "all",  # type: ignore[union-attr]
                 details={"count": len(rows), "subjects": [r.subject_ref for r in rows]})
    return render(request, "staff/dependant_queue.html", {"rows": rows})


# --- a request -------------------------------------------------------------------------------

@never_cache
@require_http_methods(["GET"])
@staff_required
def request_detail(request: HttpRequest, public_id) -> HttpResponse:
    return _request_page(request, _request_for_staff(request, public_id))


def _request_page(request: HttpRequest, found: DependantRequest, *,
                  form: forms.DependantDecisionForm | None = None,
                  status: int = 200) -> HttpResponse:
    """Every rendering shows personal data, so every rendering is audited."""
    holder_affiliation = found.holder_affiliation
    holder = holder_affiliation.person
    dependant_services.request_audit(request.user, "dependant_request.view", found)
    return render(request, "staff/dependant_request.html", {
        "r": found,
        "pack": get_pack(found.country),
        "holder": holder,
        "holder_affiliation": holder_affiliation,
        "holder_id_label": _id_label(holder.country, holder.id_type),
        "holder_affiliation_label": _affiliation_label(holder_affiliation.country,
                                                       holder_affiliation.affiliation_type),
        "id_label": _id_label(found.country, found.id_type),
        "nationality": country_names(get_language() or "es").get(found.nationality,
                                                                  found.nationality),
        "needs_inscription": dependant_rules.needs_inscription(
            found.country, found.relationship, found.marriage_abroad),
        "checklist": _checklist(found.country, found.relationship,
                                marriage_abroad=found.marriage_abroad,
                                union_kind=found.union_kind),
        "surcharge": dependant_selectors.surcharge_for(
            country=found.country, relationship=found.relationship,
            affiliation_type=holder_affiliation.affiliation_type,
            on=get_pack(found.country).today()),
        "history": dependant_selectors.request_history(found),
        "form": form or forms.DependantDecisionForm(),
        "page_has_errors": status != 200,
    }, status=status)


@require_POST
@staff_required
@permission_required(dependant_selectors.REVIEW_PERMISSION, raise_exception=True)
def request_decide(request: HttpRequest, public_id) -> HttpResponse:
    found = _request_for_staff(request, public_id,
                               permission=dependant_selectors.REVIEW_PERMISSION)
    form = forms.DependantDecisionForm(request.POST)
    if not form.is_valid():
        return _request_page(request, found, form=form, status=INVALID)
    try:
        decided = dependant_services.dependant_request_decide(
            request=found, approve=form.approve, reason=form.cleaned_data["reason"],
            actor=request.user)
    except DomainError as exc:
        apply_errors(form, exc)
        found.refresh_from_db()
        return _request_page(request, found, form=form, status=_status(exc))
    if decided.affiliation is not None:
        messages.success(request, _(
            "Request approved. %(name)s is covered from today, with affiliation number "
            "%(number)s.") % {"name": decided.full_name, "number": decided.affiliation.number})
    elif decided.in_person_case is not None:
        messages.success(request, _(
            "Request rejected. It was rejected more than once, so an in-person case was "
            "opened for the affiliate: %(reference)s.")
            % {"reference": decided.in_person_case.reference})
    else:
        messages.success(request, _("Request rejected. The affiliate can read the reason."))
    # Redirect, so that reloading the page cannot send the decision twice.
    return redirect("staff:dependant_request", public_id=decided.public_id)


# --- filed at the counter (R-DEP-02) ---------------------------------------------------------

@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
@permission_required(dependant_services.ADD_PERMISSION, raise_exception=True)
def request_new(request: HttpRequest, public_id) -> HttpResponse:
    person = _staff_person(request, public_id)
    pack = get_pack(person.country)
    today = get_pack(person.country).today()
    form = forms.DependantCounterForm(
        request.POST if request.method == "POST" else None,
        id_types=[(t.code, t.label) for t in pack.id_types],
        nationalities=country_choices(get_language() or "es"), nationality=pack.code,
        with_inscription=dependant_rules.needs_inscription(pack.code, dependant_rules.SPOUSE,
                                                           True))
    if request.method == "POST" and form.is_valid():
        situation = form.situation()
        try:
            created = dependant_services.dependant_request_create(
                holder_person=person, relationship=situation["relationship"],
                dependant=form.dependant(), channel=Channel.IN_PERSON, actor=request.user,
                marriage_abroad=situation["marriage_abroad"],
                union_kind=situation["union_kind"],
                inscription_reference=situation["inscription_reference"])
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _(
                "The request is filed: case %(reference)s. Give the reference to the "
                "affiliate.") % {"reference": created.case.reference})
            return redirect("staff:dependant_request", public_id=created.public_id)
    audit_record(actor=request.user, action="person.dependants.view", obj=person,
                 subject_ref=person.subject_ref, channel=Channel.IN_PERSON)
    checklists = [
        (_("A child under 18"), _checklist(pack.code, dependant_rules.CHILD)),
        (_("A spouse, married in this country"), _checklist(pack.code, dependant_rules.SPOUSE)),
        (_("A spouse, married abroad"), _checklist(pack.code, dependant_rules.SPOUSE,
                                                   marriage_abroad=True)),
        (_("A partner in a de-facto union"), _checklist(pack.code, dependant_rules.SPOUSE,
                                                        union_kind=dependant_rules.DE_FACTO)),
    ]
    return render(request, "staff/dependant_new.html", {
        "person": person,
        "pack": pack,
        "id_label": _id_label(person.country, person.id_type),
        "dependants": dependant_selectors.dependants_of(person, on=today),
        "today": today,
        "may_request": dependant_services.holder_may_request(person, on=today),
        "not_eligible": HolderNotEligible.default_message,
        "checklists": checklists,
        "form": form,
    }, status=INVALID if form.errors else 200)
