from __future__ import annotations

from decimal import Decimal

from ninja import Query, Router, Schema

from ..selectors import contribution_quote

router = Router(tags=["contributions"])


class QuoteQuery(Schema):
    country: str
    year: int
    affiliation_type: str = ""
    month: int = 1
    declared_base: Decimal | None = None
    spouse: bool = False


class QuoteOut(Schema):
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


@router.get("/quote", response=QuoteOut, auth=None)
def quote(request, params: Query[QuoteQuery]):
    """The monthly contribution for a year (default: the country's voluntary affiliation),
    from the basic salary and the rate in force, each with its legal source. Amounts are
    exact decimals rounded half-up to the cent."""
    return contribution_quote(country=params.country, year=params.year,
                              affiliation_type=params.affiliation_type, month=params.month,
                              declared_base=params.declared_base, with_spouse=params.spouse)
