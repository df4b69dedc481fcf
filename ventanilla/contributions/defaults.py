"""Seeds the tables from the country packs' defaults (once; administrators edit the rows)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def seed(apps=None) -> None:
    from django.apps import apps as global_apps

    from ventanilla.countries.registry import all_packs

    registry = apps or global_apps
    basic_salary = registry.get_model("contributions", "BasicSalary")
    rate = registry.get_model("contributions", "ContributionRate")
    for pack in all_packs():
        for s in pack.basic_salary_defaults:
            basic_salary.objects.get_or_create(
                country=pack.code, year=s.year,
                defaults={"amount": Decimal(s.amount), "legal_source": s.legal_source})
        for r in pack.rate_defaults:
            rate.objects.get_or_create(
                country=pack.code, affiliation_type=r.affiliation_type, kind=r.kind,
                valid_from=date.fromisoformat(r.valid_from),
                defaults={
                    "base": r.base, "legal_source": r.legal_source,
                    "rate": Decimal(r.rate) if r.rate else None,
                    "flat_amount": Decimal(r.flat_amount) if r.flat_amount else None,
                    "worker_rate": Decimal(r.worker_rate) if r.worker_rate else None,
                    "employer_rate": Decimal(r.employer_rate) if r.employer_rate else None,
                    "covers_family": r.covers_family,
                })
