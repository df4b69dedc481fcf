"""Contribution history, arrears and the voluntary lapse (R-AFF-03, R-AFF-06)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from ventanilla.affiliation import selectors as affiliation_selectors
from ventanilla.affiliation import services as affiliation_services
from ventanilla.affiliation.rules import Reason
from ventanilla.contributions import rules, services
from ventanilla.contributions.selectors import contribution_history, unpaid_since
from ventanilla.core.errors import Conflict
from ventanilla.people.models import Person

D = Decimal


def test_r_aff_03_months_paid_partial_missing_and_not_due():
    periods = rules.months(date(2024, 10, 15), date(2025, 2, 10))
    assert periods == [date(2024, 10, 1), date(2024, 11, 1), date(2024, 12, 1),
                       date(2025, 1, 1), date(2025, 2, 1)]
    rows = rules.history(periods, paid={date(2024, 10, 1): D("94.76"),
                                        date(2024, 12, 1): D("50.00")},
                         expected=dict.fromkeys(periods, D("94.76")), today=date(2025, 2, 10))
    assert [r.status for r in rows] == ["paid", "missing", "partial", "missing", "not_due"]
    assert sum(r.owed for r in rows) == D("94.76") + D("44.76") + D("94.76")
    assert rules.unpaid_since(rows) == date(2024, 11, 30)


def test_months_cross_leap_years_and_year_ends():
    assert rules.month_end(date(2024, 2, 1)) == date(2024, 2, 29)
    assert len(rules.months(date(2023, 12, 31), date(2026, 1, 1))) == 26


@pytest.fixture
def voluntary(db, agent):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create

    person = Person.objects.create(
        country="EC", id_type="cedula", id_number="1710034065", given_names="Ana",
        family_names="Paz", date_of_birth=date(1980, 1, 1), nationality="EC",
        registration_number="IESS-2024-00000014")
    affiliation = affiliation_services.affiliation_open(
        person=person, affiliation_type="voluntary", starts_on=date(2024, 1, 1), actor=agent)
    boss = staff_create(username="cashier", password="Staff-password-123",
                        role=Role.ADMINISTRATOR)
    return affiliation, boss


def test_r_aff_06_voluntary_affiliation_lapses_after_90_days_unpaid(voluntary):
    affiliation, boss = voluntary
    for month in (1, 2, 3):
        services.payment_record(affiliation=affiliation, period=date(2024, month, 1),
                                amount=D("94.76"), paid_on=date(2024, month, 20), actor=boss)
    # April is unpaid: it fell due on 30 April; 90 days later is 29 July
    assert unpaid_since(affiliation, on=date(2024, 7, 29)) == date(2024, 4, 30)
    person = affiliation.person
    assert affiliation_selectors.coverage_for(person, on=date(2024, 7, 29)).covered
    lapsed = affiliation_selectors.coverage_for(person, on=date(2024, 7, 30))
    assert not lapsed.covered and lapsed.reason == Reason.LAPSED_UNPAID
    # paying the arrears restores coverage
    for month in (4, 5, 6, 7):
        services.payment_record(affiliation=affiliation, period=date(2024, month, 1),
                                amount=D("94.76"), paid_on=date(2024, 7, 30), actor=boss)
    assert affiliation_selectors.coverage_for(person, on=date(2024, 7, 31)).covered


def test_r_aff_03_history_uses_the_tables_and_shows_arrears(voluntary):
    affiliation, boss = voluntary
    services.payment_record(affiliation=affiliation, period=date(2024, 1, 1),
                            amount=D("94.76"), paid_on=date(2024, 1, 31), actor=boss)
    services.payment_record(affiliation=affiliation, period=date(2024, 2, 1),
                            amount=D("90.00"), paid_on=date(2024, 2, 28), actor=boss)
    rows = contribution_history(affiliation, until=date(2024, 3, 15))
    assert [(r.period.month, r.expected, r.status) for r in rows] == [
        (1, D("94.76"), "paid"), (2, D("94.76"), "partial"), (3, D("94.76"), "not_due")]
    assert rows[1].owed == D("4.76")
    with pytest.raises(Conflict):
        services.payment_record(affiliation=affiliation, period=date(2024, 1, 1),
                                amount=D("94.76"), paid_on=date(2024, 3, 1), actor=boss)


def test_history_api_is_for_staff_and_audited(voluntary, agent):
    affiliation, _cashier = voluntary
    url = f"/api/v1/contributions/history/EC/{affiliation.number}"
    assert Client().get(url).status_code == 401
    client = Client()
    client.force_login(agent)
    data = client.get(url).json()
    assert data["affiliation_number"] == "1710034065"
    first = data["months"][0]
    assert first["period"] == "2024-01-01" and first["status"] == "missing"
    assert Decimal(str(first["owed"])) == D("94.76")
    owed = sum(Decimal(str(m["owed"])) for m in data["months"])
    assert Decimal(str(data["arrears"])) == owed > D("94.76")
    from ventanilla.core.models import AuditEntry

    assert AuditEntry.objects.filter(actor=agent, action="contribution.history").exists()
