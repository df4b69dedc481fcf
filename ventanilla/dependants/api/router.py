"""Dependants API: thin adapters over dependants.services and selectors."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status

from ventanilla.accounts.api.auth import AFFILIATE_AUTH, StaffSession, actor_of, person_of
from ventanilla.affiliation.models import Affiliation
from ventanilla.cases.models import CaseStatus
from ventanilla.core.api_contract import errors
from ventanilla.core.channels import Channel
from ventanilla.core.errors import PermissionDenied, ValidationFailed
from ventanilla.countries.registry import get_pack

from .. import rules, selectors, services
from ..models import DependantRequest
from .schemas import (
    ChecklistOut,
    DecisionIn,
    DependantOut,
    DependantQueueItemOut,
    RequestDetailOut,
    RequestIn,
    RequestOut,
)

router = Router(tags=["dependants"])
_affiliate_or_staff = [*AFFILIATE_AUTH, StaffSession()]



def _affiliate(request):
    person = person_of(request)
    if person is None:
        raise PermissionDenied()
    return person


def _surcharge_out(s: rules.Surcharge) -> dict:
    return {"applies": s.applies, "message": str(s.message), "rate": s.rate, "base": s.base,
            "monthly": s.monthly, "currency": s.currency, "legal_sources": list(s.legal_sources)}


def request_out(r: DependantRequest) -> dict:
    return {
        "id": r.public_id, "reference": r.case.reference, "country": r.country,
        "relationship": r.relationship,
        "relationship_label": str(Affiliation.Relationship(r.relationship).label),
        "full_name": r.full_name,
        **{f: getattr(r, f) for f in (
            "given_names", "family_names", "id_type", "id_number", "date_of_birth",
            "nationality", "union_kind", "marriage_abroad", "inscription_reference",
            "channel", "status", "created_at", "decided_at", "decision_reason")},
        "status_label": str(CaseStatus(r.status).label),
        "affiliation_number": r.affiliation.number if r.affiliation else None,
        "in_person_case": r.in_person_case.reference if r.in_person_case else None,
    }


def request_detail_out(r: DependantRequest) -> dict:
    holder = r.holder_affiliation
    items = rules.checklist(r.country, r.relationship, marriage_abroad=r.marriage_abroad,
                            union_kind=r.union_kind or rules.MARRIAGE)
    surcharge = selectors.surcharge_for(
        country=r.country, relationship=r.relationship,
        affiliation_type=holder.affiliation_type, on=get_pack(r.country).today())
    return {**request_out(r), "checklist": [i.as_dict() for i in items],
            "surcharge": _surcharge_out(surcharge), "history": selectors.request_history(r)}


# --- public ------------------------------------------------------------------------------------

@router.get("/checklist", response={200: ChecklistOut, **errors(404)}, auth=None)
def checklist(request, country: str, relationship: str, marriage_abroad: bool = False,
              union_kind: str = "marriage", affiliation_type: str = ""):
    """The papers to extend coverage to a spouse or partner or a child, whether the request
    is accepted only in person (R-DEP-02), and what it costs (R-DEP-03)."""
    data = selectors.checklist_get(country=country, relationship=relationship,
                                   marriage_abroad=marriage_abroad, union_kind=union_kind)
    pack = get_pack(country)
    kind = affiliation_type or pack.quote_affiliation_type
    if pack.affiliation_type(kind) is None:
        raise ValidationFailed(_("Choose an affiliation type of this country"),
                               field="affiliation_type")
    surcharge = selectors.surcharge_for(country=pack.code, relationship=data["relationship"],
                                        affiliation_type=kind, on=get_pack(pack.code).today())
    return {**data, "surcharge": _surcharge_out(surcharge)}


# --- the affiliate -----------------------------------------------------------------------------

@router.get("", response=list[DependantOut], auth=AFFILIATE_AUTH)
def dependants(request):
    """The affiliate's dependants and whether each is covered today, and if not, why."""
    person = _affiliate(request)
    rows = selectors.dependants_of(person, on=get_pack(person.country).today())
    return [
        {"full_name": p.full_name, "id_type": p.id_type, "id_number": p.id_number,
         "date_of_birth": p.date_of_birth, "relationship": a.relationship,
         "relationship_label": str(Affiliation.Relationship(a.relationship).label),
         "affiliation_number": a.number, "starts_on": a.starts_on, "covered": c.covered,
         "reason": c.reason.value, "message": str(c.message), "until": c.until}
        for p, a, c in rows
    ]


@router.get("/requests", response=list[RequestOut], auth=AFFILIATE_AUTH)
def requests(request):
    """The affiliate's requests, newest first."""
    person = _affiliate(request)
    return [request_out(r) for r in
            selectors.requests_of(person).select_related("in_person_case")[:200]]


@router.post("/requests", response={201: RequestDetailOut, **errors(409)}, auth=AFFILIATE_AUTH)
def request_create(request, payload: RequestIn):
    """File a request. A spouse married abroad in Ecuador is refused here with code
    ``IN_PERSON_ONLY`` and the ``checklist`` of papers to bring to a service centre."""
    person = _affiliate(request)
    dependant = payload.dict(include={"id_type", "id_number", "given_names", "family_names",
                                      "date_of_birth", "nationality"})
    with transaction.atomic():
        created = services.dependant_request_create(
            holder_person=person, relationship=payload.relationship, dependant=dependant,
            channel=Channel.WEB, actor=getattr(request, "user", None),
            marriage_abroad=payload.marriage_abroad, union_kind=payload.union_kind,
            inscription_reference=payload.inscription_reference)
    return Status(201, request_detail_out(created))


@router.get("/requests/{public_id}", response=RequestDetailOut, auth=_affiliate_or_staff)
def request_get(request, public_id: str):
    """One request with its papers, cost and history. Another affiliate's is not found."""
    actor = actor_of(request)
    if actor is not None:
        found = selectors.request_get_for_staff(actor, public_id)
        services.request_audit(actor, "dependant_request.view", found)
    else:
        found = selectors.request_get_for_holder(_affiliate(request), public_id)
    return request_detail_out(found)


# --- staff -------------------------------------------------------------------------------------

@router.get("/review/queue", response=list[DependantQueueItemOut], auth=StaffSession())
def review_queue(request):
    """Requests waiting for a decision, oldest first, of the countries the staff serves."""
    rows = selectors.review_queue(request.auth)[:200]
    return [
        {"id": r.public_id, "reference": r.case.reference, "country": r.country,
         "relationship": r.relationship, "full_name": r.full_name,
         "holder_name": r.holder_affiliation.person.full_name,
         "holder_id_number": r.holder_affiliation.person.id_number, "status": r.status,
         "created_at": r.created_at, "marriage_abroad": r.marriage_abroad}
        for r in rows
    ]


@router.post("/requests/{public_id}/decision", response={200: RequestDetailOut, **errors(409)},
             auth=StaffSession())
def request_decide(request, public_id: str, payload: DecisionIn):
    """Approve (the dependant is affiliated from today) or reject with a reason."""
    actor = request.auth
    found = selectors.request_get_for_staff(actor, public_id,
                                            permission=selectors.REVIEW_PERMISSION)
    decided = services.dependant_request_decide(request=found, approve=payload.approve,
                                                reason=payload.reason, actor=actor)
    return request_detail_out(decided)
