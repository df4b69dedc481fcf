"""Coverage rules, no database (R-AFF-01, R-DEP-01, R-APT-01)."""

from __future__ import annotations

from datetime import date

import pytest

from ventanilla.affiliation import rules
from ventanilla.affiliation.rules import AffiliationFacts, Reason, Service
from ventanilla.countries.ec import EcuadorPack

EC = EcuadorPack()


def facts(type_code="voluntary", born=date(1980, 1, 1), starts=date(2024, 1, 1), ends=None,
          relationship="", holder=None):
    return AffiliationFacts(EC.affiliation_type(type_code), born, starts, ends, relationship,
                            holder)


def test_r_aff_01_ecuador_affiliation_types():
    assert [t.code for t in EC.affiliation_types] == [
        "employee", "voluntary", "pensioner", "peasant", "dependant"]


@pytest.mark.parametrize("on,reason", [
    (date(2023, 12, 31), Reason.NOT_STARTED),
    (date(2024, 1, 1), Reason.COVERED),
    (date(2025, 6, 30), Reason.COVERED),
    (date(2025, 7, 1), Reason.ENDED),
], ids=["before", "first-day", "last-day", "after"])
def test_r_aff_01_coverage_between_start_and_end(on, reason):
    result = rules.coverage(facts(ends=date(2025, 6, 30)), on=on)
    assert result.reason == reason and result.covered == (reason == Reason.COVERED)


def test_not_affiliated():
    result = rules.coverage(None, on=date(2026, 1, 1))
    assert not result.covered and result.reason == Reason.NOT_AFFILIATED


def test_r_dep_01_child_coverage_ends_on_the_18th_birthday_without_anyone_acting():
    holder = facts()
    child = facts("dependant", born=date(2010, 5, 20), starts=date(2020, 1, 1),
                  relationship="child", holder=holder)
    day_before = rules.coverage(child, on=date(2028, 5, 19))
    assert day_before.covered and day_before.until == date(2028, 5, 19)
    birthday = rules.coverage(child, on=date(2028, 5, 20))
    assert not birthday.covered and birthday.reason == Reason.CHILD_TURNED_18


def test_r_dep_01_leap_day_child_turns_18_on_1_march():
    child = facts("dependant", born=date(2008, 2, 29), starts=date(2010, 1, 1),
                  relationship="child", holder=facts())
    assert rules.coverage(child, on=date(2026, 2, 28)).covered
    assert rules.coverage(child, on=date(2026, 3, 1)).reason == Reason.CHILD_TURNED_18


def test_r_dep_01_dependant_not_covered_when_the_holder_is_not():
    holder = facts(ends=date(2025, 1, 31))
    spouse = facts("dependant", relationship="spouse", holder=holder)
    assert rules.coverage(spouse, on=date(2025, 1, 31)).covered
    lapsed = rules.coverage(spouse, on=date(2025, 2, 1))
    assert lapsed.reason == Reason.HOLDER_NOT_COVERED


def test_r_apt_01_peasant_insurance_covered_but_not_for_the_appointment_service():
    peasant = facts("peasant")
    assert rules.coverage(peasant, on=date(2026, 1, 1)).covered
    result = rules.coverage(peasant, on=date(2026, 1, 1), service=Service.APPOINTMENTS)
    assert not result.covered and result.reason == Reason.SERVICE_NOT_INCLUDED
    assert rules.coverage(facts("pensioner"), on=date(2026, 1, 1),
                          service=Service.APPOINTMENTS).covered
