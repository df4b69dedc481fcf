"""The signed-in affiliate's own data (R-APT-03, R-AFF-03): who they are to the health
system, their contributions and their cases. Every object is filtered by the person the
token belongs to: another person's case is a 404, never a 403."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from ninja import Router

from ventanilla.accounts.api.auth import AFFILIATE_AUTH, person_of
from ventanilla.affiliation.selectors import affiliate_overview
from ventanilla.cases.selectors import case_history, cases_of
from ventanilla.cases.services import CaseNotFound
from ventanilla.contributions.selectors import contribution_history
from ventanilla.core.api_schema import OutputSchema

router = Router(tags=["me"], auth=AFFILIATE_AUTH)


class CoverageOut(OutputSchema):
    covered: bool
    reason: str
    message: str
    until: date | None


class MeOut(OutputSchema):
    public_id: str
    full_name: str
    country: str
    id_type: str
    id_number: str
    registration_number: str | None
    affiliation_number: str | None
    affiliation_type: str | None
    affiliation_type_label: str
    holder_name: str
    coverage: CoverageOut
    appointments: CoverageOut


def _coverage(c) -> dict:
    return {"covered": c.covered, "reason": str(c.reason), "message": str(c.message),
            "until": c.until}


@router.get("", response=MeOut)
def me(request):
    """Full name, ID number and type of insured, with coverage today (R-APT-03)."""
    person = person_of(request)
    o = affiliate_overview(person, on=timezone.localdate())
    return {
        "public_id": str(person.public_id), "full_name": person.full_name,
        "country": person.country, "id_type": person.id_type, "id_number": person.id_number,
        "registration_number": person.registration_number,
        "affiliation_number": o.affiliation.number if o.affiliation else None,
        "affiliation_type": o.affiliation.affiliation_type if o.affiliation else None,
        "affiliation_type_label": o.type_label, "holder_name": o.holder_name,
        "coverage": _coverage(o.coverage), "appointments": _coverage(o.appointments)}


class MyContributionMonthOut(OutputSchema):
    period: date
    expected: Decimal | None
    paid: Decimal
    owed: Decimal
    status: str


class MyContributionsOut(OutputSchema):
    affiliation_number: str | None
    months: list[MyContributionMonthOut]
    arrears: Decimal


@router.get("/contributions", response=MyContributionsOut)
def my_contributions(request):
    """R-AFF-03: the affiliate's contributions month by month; missing months are arrears.
    Dependants have none of their own."""
    person = person_of(request)
    o = affiliate_overview(person, on=timezone.localdate())
    rows = []
    if o.affiliation is not None and not o.affiliation.holder_id:
        rows = contribution_history(o.affiliation, until=timezone.localdate())
    return {"affiliation_number": o.affiliation.number if o.affiliation else None,
            "months": [{"period": r.period, "expected": r.expected, "paid": r.paid,
                        "owed": r.owed, "status": r.status} for r in rows],
            "arrears": sum((r.owed for r in rows), Decimal("0.00"))}


class MyCaseOut(OutputSchema):
    reference: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    created_at: datetime


class MyCaseEventOut(OutputSchema):
    at: datetime
    status: str
    text: str


class CaseDetailOut(MyCaseOut):
    description: str
    history: list[MyCaseEventOut]


def _case(case) -> dict:
    return {"reference": case.reference, "kind": case.kind,
            "kind_label": str(case.get_kind_display()), "status": case.status,
            "status_label": str(case.get_status_display()), "created_at": case.created_at}


@router.get("/cases", response=list[MyCaseOut])
def my_cases(request):
    return [_case(c) for c in cases_of(person_of(request))[:200]]


@router.get("/cases/{reference}", response=CaseDetailOut)
def my_case(request, reference: str):
    case = cases_of(person_of(request)).filter(reference=reference.upper()).first()
    if case is None:
        raise CaseNotFound()
    return {**_case(case), "description": case.description,
            "history": [{"at": e["at"], "status": e["status"], "text": e["text"]}
                        for e in case_history(case)]}
