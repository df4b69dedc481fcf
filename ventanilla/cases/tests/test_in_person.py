"""Complex matters become in-person cases with a legal-advice notice (R-AFF-03, R-AFF-05)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from ventanilla.cases import services
from ventanilla.cases.models import CaseStatus
from ventanilla.core.channels import Channel
from ventanilla.core.errors import ValidationFailed
from ventanilla.core.models import AuditEntry
from ventanilla.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db):
    return Person.objects.create(
        country="EC", id_type="cedula", id_number="1710034065", given_names="Ana",
        family_names="Paz", date_of_birth=date(1980, 1, 1), nationality="EC",
        registration_number="IESS-2024-00000014")


@pytest.mark.parametrize("kind", ["contribution_error", "benefit_denied",
                                  "dependant_rejected", "visa_conflict", "appeal"])
def test_r_aff_05_complex_matters_route_to_an_in_person_case(person, agent, kind):
    case = services.case_open_in_person(person=person, kind=kind, description="  Falta  marzo ",
                                        channel=Channel.PHONE, actor=agent)
    assert case.status == CaseStatus.AWAITING_VISIT and case.person == person
    assert case.description == "Falta marzo"
    assert [e.code for e in case.events.all()] == ["opened", "routed_in_person"]
    assert AuditEntry.objects.filter(actor=agent, action="case.open_in_person").exists()


def test_r_aff_05_other_matters_and_empty_descriptions_are_refused(person, agent):
    with pytest.raises(ValidationFailed):
        services.case_open_in_person(person=person, kind="registration", description="x",
                                     channel=Channel.PHONE, actor=agent)
    with pytest.raises(ValidationFailed) as exc:
        services.case_open_in_person(person=person, kind="appeal", description=" ",
                                     channel=Channel.PHONE, actor=agent)
    assert "description" in exc.value.fields


def test_r_aff_03_contribution_error_reported_by_phone_becomes_an_in_person_case(
        person, agent, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "cases.lookup": "100/m"}
    staff = Client()
    staff.force_login(agent)
    r = staff.post("/api/v1/cases/in-person", {
        "country": "EC", "id_type": "cedula", "id_number": "171003406-5",
        "kind": "contribution_error", "description": "March 2024 is missing"},
        content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["status"] == "awaiting_visit" and "legal advice" in data["notice"]
    # the person follows it with the public lookup
    r = Client().post("/api/v1/cases/lookup", {"reference": data["reference"],
                                               "id_number": "1710034065"},
                      content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    assert "legal advice" in r.json()["history"][-1]["text"]
    assert Client().post("/api/v1/cases/in-person", {}, content_type="application/json"
                         ).status_code == 401
    unknown = staff.post("/api/v1/cases/in-person", {
        "country": "EC", "id_type": "cedula", "id_number": "0900000019",
        "kind": "appeal", "description": "x"}, content_type="application/json")
    assert unknown.status_code == 404
