from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Router

from ventanilla.accounts.api.auth import StaffSession
from ventanilla.accounts.authz import staff_acting
from ventanilla.core.api_contract import errors
from ventanilla.core.api_schema import InputSchema, OutputSchema, column
from ventanilla.core.audit import audit_record
from ventanilla.people.models import Person

from .. import selectors

router = Router(tags=["affiliation"])


class LapsedOut(OutputSchema):
    full_name: str
    id_type: str
    id_number: str
    nationality: str
    residency_document: str
    affiliation_number: str | None
    affiliation_type: str | None
    reason: str
    message: str
    until: date | None


@router.get("/foreign-residents-without-coverage", response={200: list[LapsedOut], **errors(404)},
            auth=StaffSession())
def foreign_residents_without_coverage(request, country: str):
    """R-ID-03: foreign residents registered with a visa or residency document whose
    coverage has lapsed or ended today: their residency may be at risk. Audited."""
    actor = staff_acting(request.auth, perm="affiliation.view_affiliation",
                         country=country.upper())
    rows = selectors.foreign_residents_without_coverage(country=country.upper(),
                                                        on=timezone.localdate())
    audit_record(actor=actor, action="affiliation.lapsed_foreigners",
                 object_type="affiliation.report", object_id=country.upper(),
                 details={"count": len(rows)})
    return [
        {"full_name": p.full_name, "id_type": p.id_type, "id_number": p.id_number,
         "nationality": p.nationality, "residency_document": p.residency_document,
         "affiliation_number": a.number if a else None,
         "affiliation_type": a.affiliation_type if a else None,
         "reason": c.reason.value, "message": str(c.message), "until": c.until}
        for p, a, c in rows
    ]


class PlanStatusOut(OutputSchema):
    plan: str
    status: str
    status_label: str
    since: date


class PlanStatusIn(InputSchema):
    country: str = column(Person, "country")
    id_number: str = column(Person, "id_number")
    id_type: str = column(Person, "id_type", "")


@router.post("/plan-status", response={200: PlanStatusOut, **errors(404, 429)}, auth=None)
def plan_status(request, payload: PlanStatusIn):
    """R-AFF-08: the public status of a SIS plan by DNI (`Activo`, `Inactivo`, `Cancelado`,
    as `active` / `inactive` / `cancelled`). Only the plan and its status are given. The ID
    number goes in the body, never in the URL. Rate-limited per address."""
    from ventanilla.core.errors import NotFound
    from ventanilla.countries.registry import get_pack

    from ..services import plan_status_public

    pack = get_pack(payload.country.upper())
    kind = payload.id_type or next(t.code for t in pack.id_types if t.national)
    answer = plan_status_public(country=pack.code, id_type=kind, id_number=payload.id_number,
                                on=timezone.localdate())
    if answer is None:
        raise NotFound(_("No plan with a public status was found for this ID number."),
                       field="id_number")
    return answer
