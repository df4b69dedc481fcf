from __future__ import annotations

from datetime import date

import pytest

from ventanilla.affiliation import selectors, services
from ventanilla.affiliation.errors import AffiliationRefused, AlreadyAffiliated
from ventanilla.affiliation.rules import Reason, Service
from ventanilla.core.errors import PermissionDenied
from ventanilla.core.models import AuditEntry
from ventanilla.people.models import Person

pytestmark = pytest.mark.django_db


def person(id_type="cedula", id_number="1710034065", born=date(1980, 1, 1), country="EC",
           registered=True):
    return Person.objects.create(
        country=country, id_type=id_type, id_number=id_number, given_names="Ana",
        family_names="Paz", date_of_birth=born, nationality="EC",
        registration_number=f"R-{id_number}" if registered else None)


def test_r_aff_01_cedula_holders_are_affiliated_under_their_cedula(agent):
    holder = person()
    affiliation = services.affiliation_open(person=holder, affiliation_type="voluntary",
                                            starts_on=date(2024, 1, 1), actor=agent)
    assert affiliation.number == "1710034065"
    foreigner = person("passport", "X1234567")
    other = services.affiliation_open(person=foreigner, affiliation_type="employee",
                                      starts_on=date(2024, 1, 1), actor=agent)
    assert other.number == "EC000000001"
    assert AuditEntry.objects.filter(actor=agent, action="affiliation.open").count() == 2


def test_one_open_affiliation_per_person_and_only_registered_people(agent):
    someone = person()
    services.affiliation_open(person=someone, affiliation_type="voluntary",
                              starts_on=date(2024, 1, 1), actor=agent)
    with pytest.raises(AlreadyAffiliated):
        services.affiliation_open(person=someone, affiliation_type="employee",
                                  starts_on=date(2025, 1, 1), actor=agent)
    with pytest.raises(AffiliationRefused):
        services.affiliation_open(person=person(id_number="0900000019", registered=False),
                                  affiliation_type="voluntary", starts_on=date(2024, 1, 1),
                                  actor=agent)


def test_r_dep_01_child_dependant_until_18_and_spouse_through_the_holder(agent):
    holder = services.affiliation_open(person=person(), affiliation_type="employee",
                                       starts_on=date(2020, 1, 1), actor=agent)
    child = person("passport", "CHILD123", born=date(2010, 5, 20))
    services.affiliation_open(person=child, affiliation_type="dependant",
                              starts_on=date(2020, 1, 1), actor=agent, holder=holder,
                              relationship="child")
    assert selectors.coverage_for(child, on=date(2028, 5, 19)).covered
    assert selectors.coverage_for(child, on=date(2028, 5, 20)).reason == \
        Reason.CHILD_TURNED_18
    adult = person("passport", "ADULT123", born=date(2000, 1, 1))
    with pytest.raises(AffiliationRefused):
        services.affiliation_open(person=adult, affiliation_type="dependant",
                                  starts_on=date(2020, 1, 1), actor=agent, holder=holder,
                                  relationship="child")
    with pytest.raises(AffiliationRefused):
        services.affiliation_open(person=adult, affiliation_type="dependant",
                                  starts_on=date(2020, 1, 1), actor=agent)


def test_r_apt_01_coverage_for_asks_one_function(agent):
    peasant = person()
    services.affiliation_open(person=peasant, affiliation_type="peasant",
                              starts_on=date(2024, 1, 1), actor=agent)
    assert selectors.coverage_for(peasant, on=date(2026, 1, 1)).covered
    refused = selectors.coverage_for(peasant, on=date(2026, 1, 1),
                                     service=Service.APPOINTMENTS)
    assert refused.reason == Reason.SERVICE_NOT_INCLUDED
    assert selectors.coverage_for(person(id_number="0900000019"),
                                  on=date(2026, 1, 1)).reason == Reason.NOT_AFFILIATED


def test_ending_an_affiliation_needs_a_reason_and_is_audited(agent, reviewer):
    affiliation = services.affiliation_open(person=person(), affiliation_type="voluntary",
                                            starts_on=date(2024, 1, 1), actor=agent)
    with pytest.raises(PermissionDenied):
        services.affiliation_end(affiliation=affiliation, ends_on=date(2025, 1, 1),
                                 reason="x", actor=reviewer)
    with pytest.raises(AffiliationRefused):
        services.affiliation_end(affiliation=affiliation, ends_on=date(2025, 1, 1),
                                 reason=" ", actor=agent)
    services.affiliation_end(affiliation=affiliation, ends_on=date(2025, 1, 1),
                             reason="Unpaid for 90 days", actor=agent)
    assert selectors.coverage_for(affiliation.person, on=date(2025, 1, 2)).reason == \
        Reason.ENDED
    assert AuditEntry.objects.filter(action="affiliation.end").exists()


def test_r_id_03_foreign_residents_whose_coverage_lapsed_are_flagged(agent):
    from django.test import Client
    from django.utils import timezone

    today = timezone.localdate()
    resident = person("passport", "X1234567")
    resident.nationality = "US"
    resident.residency_document = "VR-2024-000123"
    resident.save()
    ended = services.affiliation_open(person=resident, affiliation_type="employee",
                                      starts_on=date(2024, 1, 1), actor=agent)
    services.affiliation_end(affiliation=ended, ends_on=date(2025, 1, 31),
                             reason="Contract ended", actor=agent)
    covered = person("passport", "Y7654321")
    covered.nationality = "CO"
    covered.residency_document = "VR-2025-000999"
    covered.save()
    services.affiliation_open(person=covered, affiliation_type="employee",
                              starts_on=date(2024, 1, 1), actor=agent)
    person()  # an Ecuadorian citizen without affiliation is not a foreign resident
    rows = selectors.foreign_residents_without_coverage(country="EC", on=today)
    assert [(p.id_number, c.reason) for p, _a, c in rows] == [("X1234567", Reason.ENDED)]
    client = Client()
    client.force_login(agent)
    data = client.get("/api/v1/affiliations/foreign-residents-without-coverage?country=EC").json()
    assert [(d["id_number"], d["reason"], d["residency_document"]) for d in data] == [
        ("X1234567", "ended", "VR-2024-000123")]
    assert AuditEntry.objects.filter(action="affiliation.lapsed_foreigners").exists()
