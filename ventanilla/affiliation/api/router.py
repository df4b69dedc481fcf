from __future__ import annotations

from datetime import date

from django.utils import timezone
from ninja import Router, Schema

from ventanilla.accounts.roles import serves_country
from ventanilla.core.api_auth import StaffSession
from ventanilla.core.audit import audit_record
from ventanilla.core.errors import PermissionDenied

from .. import selectors

router = Router(tags=["affiliation"])


class LapsedOut(Schema):
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


@router.get("/foreign-residents-without-coverage", response=list[LapsedOut],
            auth=StaffSession())
def foreign_residents_without_coverage(request, country: str):
    """R-ID-03: foreign residents registered with a visa or residency document whose
    coverage has lapsed or ended today: their residency may be at risk. Audited."""
    actor = request.auth
    if not actor.has_perm("affiliation.view_affiliation") or not serves_country(
            actor, country.upper()):
        raise PermissionDenied()
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
