"""Contribution quotes (R-AFF-02, R-AFF-06, R-AFF-07, R-AFF-08, R-DEP-03)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import ValidationFailed
from ventanilla.countries.registry import get_pack

from . import rules
from .errors import BaseInvalid, NoBasicSalary, NoRate
from .models import BasicSalary, ContributionPayment, ContributionRate


@dataclass(frozen=True)
class Quote:
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
    legal_sources: list[str] = field(default_factory=list)


def basic_salary_get(*, country: str, year: int) -> BasicSalary:
    row = BasicSalary.objects.filter(country=country, year=year).first()
    if row is None:
        raise NoBasicSalary(
            _("There is no basic salary for %(year)s yet. An administrator enters it with its "
              "legal source when it is published.") % {"year": year}, field="year")
    return row


def rate_in_force(*, country: str, affiliation_type: str, kind: str, on: date
                  ) -> ContributionRate | None:
    """The newest rule in force on ``on``; a rule for the type beats the one for every type."""
    rows = (ContributionRate.objects
            .filter(country=country, kind=kind, valid_from__lte=on,
                    affiliation_type__in=[affiliation_type, "*"])
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
            .order_by("-valid_from"))
    candidates = list(rows)
    specific = [r for r in candidates if r.affiliation_type == affiliation_type]
    best = specific or candidates
    return best[0] if best else None


def contribution_quote(*, country: str, year: int, affiliation_type: str = "",
                       month: int = 1, declared_base: Decimal | None = None,
                       with_spouse: bool = False) -> Quote:
    pack = get_pack(country)
    affiliation_type = affiliation_type or pack.quote_affiliation_type
    if pack.affiliation_type(affiliation_type) is None:
        raise ValidationFailed(_("Choose an affiliation type of this country"),
                               field="affiliation_type")
    if not 1 <= month <= 12:
        raise ValidationFailed(_("Enter a month from 1 to 12"), field="month")
    if not 1900 <= year <= 2200:
        raise ValidationFailed(_("Enter a year between 1900 and 2200"), field="year")
    on = date(year, month, 1)
    sbu = basic_salary_get(country=pack.code, year=year)
    row = rate_in_force(country=pack.code, affiliation_type=affiliation_type,
                        kind=ContributionRate.Kind.CONTRIBUTION, on=on)
    if row is None:
        raise NoRate(field="affiliation_type")
    sources = [f"{pack.basic_salary_name} {year}: {sbu.legal_source}", row.legal_source]
    base = _base(row.base, sbu.amount, declared_base)
    if row.flat_amount is not None:
        monthly = rules.money(row.flat_amount)
    else:
        assert row.rate is not None and base is not None  # the check constraint holds
        monthly = rules.percent_of(base, row.rate)
    surcharge = Decimal("0.00")
    if with_spouse and not row.covers_family:
        spouse = rate_in_force(country=pack.code, affiliation_type=affiliation_type,
                               kind=ContributionRate.Kind.SPOUSE_SURCHARGE, on=on)
        if spouse is None or spouse.rate is None:
            raise NoRate(_("No spouse surcharge is in force for this affiliation type."),
                         field="spouse")
        spouse_base = _base(spouse.base, sbu.amount, declared_base)
        assert spouse_base is not None
        surcharge = rules.percent_of(spouse_base, spouse.rate)
        sources.append(spouse.legal_source)
    return Quote(
        country=pack.code, year=year, month=month, currency=pack.currency,
        affiliation_type=affiliation_type, basic_salary=sbu.amount, base=base, rate=row.rate,
        monthly=monthly, spouse_surcharge=surcharge, total=monthly + surcharge,
        covers_family=row.covers_family, legal_sources=sources)


def _base(kind: str, sbu: Decimal, declared: Decimal | None) -> Decimal | None:
    if kind == ContributionRate.Base.NONE:
        return None
    if kind == ContributionRate.Base.SBU:
        return sbu
    if kind == ContributionRate.Base.DECLARED:
        if declared is None:
            return sbu
        if declared < sbu:
            raise BaseInvalid(_("The declared income must be at least the basic salary "
                                "(%(amount)s)") % {"amount": sbu}, field="declared_base")
        return declared
    if declared is None or declared <= 0:
        label = (_("Enter the pension") if kind == ContributionRate.Base.PENSION
                 else _("Enter the salary"))
        raise BaseInvalid(label, field="declared_base")
    return declared


def unpaid_since(affiliation, *, on: date) -> date | None:
    """The day the oldest month without any payment fell due (one query; for coverage)."""
    paid = set(ContributionPayment.objects.filter(affiliation=affiliation, period__lte=on)
               .values_list("period", flat=True))
    for period in rules.months(affiliation.starts_on, on):
        if period not in paid and rules.month_end(period) < on:
            return rules.month_end(period)
    return None


def contribution_history(affiliation, *, until: date) -> list[rules.MonthRow]:
    """R-AFF-03: every month of the affiliation up to ``until``, paid, partly paid, missing
    (arrears) or not due yet, with the amount expected from the tables where it is known."""
    last = min(until, affiliation.ends_on) if affiliation.ends_on else until
    periods = rules.months(affiliation.starts_on, last)
    paid = {p.period: p.amount for p in ContributionPayment.objects.filter(
        affiliation=affiliation, period__lte=last)}
    expected: dict[date, Decimal | None] = {}
    last_known: Decimal | None = None
    for period in periods:
        try:
            want: Decimal | None = contribution_quote(
                country=affiliation.country, year=period.year, month=period.month,
                affiliation_type=affiliation.affiliation_type).monthly
        except (NoBasicSalary, NoRate, BaseInvalid, ValidationFailed):
            # A salary-based rate: only the employer knows the salary, and its declaration
            # is the payment; a month not paid expects what the month before did. The same
            # when this year's basic salary is not entered yet.
            want = paid.get(period, last_known)
        expected[period] = want
        if want is not None:
            last_known = want
    return rules.history(periods, paid=paid, expected=expected, today=until)
