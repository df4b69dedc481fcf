"""Contribution quotes from the administrator's tables (R-AFF-02, R-AFF-06, R-AFF-07,
R-AFF-08, R-DEP-03)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from ventanilla.contributions import rules
from ventanilla.contributions.errors import BaseInvalid, NoBasicSalary
from ventanilla.contributions.models import BasicSalary, ContributionRate
from ventanilla.contributions.selectors import contribution_quote

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("base,rate,expected", [
    ("460", "20.60", "94.76"), ("470", "17.60", "82.72"), ("450", "20.60", "92.70"),
    ("482", "20.60", "99.29"), ("0.05", "10", "0.01"), ("0.04", "12.5", "0.01"),
], ids=["2024", "2025-published", "2023", "2026", "half-up", "half-up-2"])
def test_r_aff_02_percent_is_exact_and_rounded_half_up(base, rate, expected):
    assert rules.percent_of(Decimal(base), Decimal(rate)) == Decimal(expected)


def test_r_aff_02_voluntary_quote_2024_is_94_76():
    quote = contribution_quote(country="EC", year=2024)
    assert quote.affiliation_type == "voluntary"
    assert quote.basic_salary == Decimal("460.00") and quote.rate == Decimal("20.600")
    assert quote.monthly == Decimal("94.76") and quote.total == Decimal("94.76")
    assert quote.currency == "USD"
    assert any("460" in s for s in quote.legal_sources)


@pytest.mark.parametrize("year,amount", [(2023, "450.00"), (2025, "470.00"), (2026, "482.00")])
def test_r_aff_02_sbu_defaults_per_year(year, amount):
    assert BasicSalary.objects.get(country="EC", year=year).amount == Decimal(amount)


def test_r_aff_02_year_without_sbu_is_a_clear_error():
    with pytest.raises(NoBasicSalary) as exc:
        contribution_quote(country="EC", year=2031)
    assert "2031" in str(exc.value.message) and "year" in exc.value.fields
    r = Client().get("/api/v1/contributions/quote?country=EC&year=2031",
                     HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 404 and r.json()["code"] == "BASIC_SALARY_MISSING"


def test_r_aff_06_published_rate_entered_as_a_dated_row_without_code_changes():
    ContributionRate.objects.create(
        country="EC", affiliation_type="voluntary", kind="contribution", base="declared",
        rate=Decimal("17.60"), valid_from=date(2025, 1, 1),
        legal_source="IESS 2025: voluntary affiliation 17.60 % of a declared base")
    assert contribution_quote(country="EC", year=2024).monthly == Decimal("94.76")
    q2025 = contribution_quote(country="EC", year=2025)
    assert q2025.monthly == Decimal("82.72") and "17.60" in q2025.legal_sources[1]
    assert contribution_quote(country="EC", year=2025,
                              declared_base=Decimal("1000")).monthly == Decimal("176.00")
    with pytest.raises(BaseInvalid) as exc:
        contribution_quote(country="EC", year=2025, declared_base=Decimal("300"))
    assert "declared_base" in exc.value.fields


def test_r_aff_06_a_rate_can_end():
    row = ContributionRate.objects.get(country="EC", affiliation_type="voluntary")
    row.valid_to = date(2023, 12, 31)
    row.save()
    from ventanilla.contributions.errors import NoRate

    with pytest.raises(NoRate):
        contribution_quote(country="EC", year=2024)


def test_r_aff_06_employee_rate_split_between_worker_and_employer():
    row = ContributionRate.objects.get(country="EC", affiliation_type="employee")
    assert row.worker_rate + row.employer_rate == row.rate == Decimal("20.60")
    quote = contribution_quote(country="EC", year=2025, affiliation_type="employee",
                               declared_base=Decimal("1000.00"))
    assert quote.monthly == Decimal("206.00")


def test_r_dep_03_spouse_surcharge_3_41_percent_and_4_15_for_pensioners():
    quote = contribution_quote(country="EC", year=2024, with_spouse=True)
    assert quote.spouse_surcharge == Decimal("15.69")  # 460 × 3.41 % = 15.686
    assert quote.total == Decimal("110.45")
    # pensioners' own contribution is not shipped: an administrator enters it, then the
    # spouse surcharge is 4.15 % of the pension
    ContributionRate.objects.create(
        country="EC", affiliation_type="pensioner", kind="contribution", base="none",
        flat_amount=Decimal("0"), valid_from=date(2000, 1, 1), legal_source="test")
    with pytest.raises(BaseInvalid) as exc:
        contribution_quote(country="EC", year=2024, affiliation_type="pensioner",
                           with_spouse=True)
    assert str(exc.value.message) == "Enter the pension"
    pension = contribution_quote(country="EC", year=2024, affiliation_type="pensioner",
                                 with_spouse=True, declared_base=Decimal("800"))
    assert pension.spouse_surcharge == Decimal("33.20")


def test_r_aff_07_peasant_insurance_flat_family_contribution():
    quote = contribution_quote(country="EC", year=2026, affiliation_type="peasant",
                               with_spouse=True)
    assert quote.monthly == Decimal("2.82") and quote.spouse_surcharge == Decimal("0.00")
    assert quote.covers_family and quote.base is None


def test_r_aff_08_sis_plans():
    assert contribution_quote(country="PE", year=2025).monthly == Decimal("39.00")
    assert contribution_quote(country="PE", year=2025,
                              affiliation_type="sis_gratuito").monthly == Decimal("0.00")
    assert contribution_quote(country="PE", year=2025,
                              affiliation_type="sis_para_todos").monthly == Decimal("0.00")
    essalud = contribution_quote(country="PE", year=2025, affiliation_type="essalud_regular",
                                 declared_base=Decimal("2000"))
    assert essalud.monthly == Decimal("180.00") and essalud.currency == "PEN"


def test_quote_api():
    r = Client().get("/api/v1/contributions/quote?country=EC&year=2024")
    assert r.status_code == 200
    data = r.json()
    assert Decimal(str(data["monthly"])) == Decimal("94.76")
    assert data["affiliation_type"] == "voluntary" and data["currency"] == "USD"
    r = Client().get("/api/v1/contributions/quote?country=EC&year=2024&affiliation_type=x",
                     HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 422 and "affiliation_type" in r.json()["fields"]
    r = Client().get("/api/v1/contributions/quote?country=EC&year=abc")
    assert r.status_code == 422
