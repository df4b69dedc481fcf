from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone
from ninja import Query, Router
from pydantic import Field

from ventanilla.accounts.api.auth import StaffSession
from ventanilla.accounts.authz import staff_acting
from ventanilla.affiliation.models import Affiliation
from ventanilla.affiliation.selectors import affiliation_get_by_number
from ventanilla.core.api_contract import errors
from ventanilla.core.api_schema import InputSchema, OutputSchema, column
from ventanilla.core.audit import audit_record
from ventanilla.core.errors import NotFound

from ..selectors import contribution_history, contribution_quote

router = Router(tags=["contributions"])


class QuoteQuery(InputSchema):
    country: str = column(Affiliation, "country")
    year: int
    affiliation_type: str = column(Affiliation, "affiliation_type", "")
    month: int = 1
    # a number, or its digits (the query string's spelling): nothing else parses
    declared_base: Decimal | None = Field(None, json_schema_extra={"anyOf": [
        {"type": "number"}, {"type": "string", "pattern": r"^\d{1,12}(\.\d{1,2})?$"},
        {"type": "null"}]})
    spouse: bool = False


class QuoteOut(OutputSchema):
    country: str
    year: int
    month: int
    currency: str
    affiliation_type: str
    basic_salary: Decimal
    base: Decimal | None
    rate: Decimal | None
    monthly: Decimal
    spouse_surcharge: Decimal
    total: Decimal
    covers_family: bool
    legal_sources: list[str]


@router.get("/quote", response={200: QuoteOut, **errors(404)}, auth=None)
def quote(request, params: Query[QuoteQuery]):
    """The monthly contribution for a year (default: the country's voluntary affiliation),
    from the basic salary and the rate in force, each with its legal source. Amounts are
    exact decimals rounded half-up to the cent."""
    return contribution_quote(country=params.country, year=params.year,
                              affiliation_type=params.affiliation_type, month=params.month,
                              declared_base=params.declared_base, with_spouse=params.spouse)


class ContributionMonthOut(OutputSchema):
    period: date
    expected: Decimal | None
    paid: Decimal
    owed: Decimal
    status: str


class HistoryOut(OutputSchema):
    affiliation_number: str
    country: str
    affiliation_type: str
    months: list[ContributionMonthOut]
    arrears: Decimal


@router.get("/history/{country}/{affiliation_number}", response=HistoryOut,
            auth=StaffSession())
def history(request, country: str, affiliation_number: str):
    """R-AFF-03: an affiliation's contributions month by month, with arrears (staff; the
    affiliate's own view comes with sign-in). Audited."""
    actor = staff_acting(request.auth, perm="affiliation.view_affiliation",
                         country=country.upper())
    affiliation = affiliation_get_by_number(country=country.upper(), number=affiliation_number)
    if affiliation is None:
        raise NotFound(field="affiliation_number")
    audit_record(actor=actor, action="contribution.history", obj=affiliation,
                 subject_ref=affiliation.person.subject_ref)
    rows = contribution_history(affiliation, until=timezone.localdate())
    return {
        "affiliation_number": affiliation.number, "country": affiliation.country,
        "affiliation_type": affiliation.affiliation_type,
        "months": [{"period": r.period, "expected": r.expected, "paid": r.paid,
                    "owed": r.owed, "status": r.status} for r in rows],
        "arrears": sum((r.owed for r in rows), Decimal("0.00")),
    }
