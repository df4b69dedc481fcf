"""The clave issued at a counter and turned into the person's own password (R-AFF-04)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.utils import timezone

from ventanilla.accounts import clave
from ventanilla.accounts.models import OneTimeSecret
from ventanilla.core.errors import PermissionDenied, ValidationFailed
from ventanilla.core.models import AuditEntry
from ventanilla.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db):
    return Person.objects.create(
        country="EC", id_type="cedula", id_number="1710034065", given_names="Ana",
        family_names="Paz", date_of_birth=date(1980, 1, 1), nationality="EC",
        email="ana@example.com", registration_number="IESS-2024-00000014")


def sign_in(username, password):
    request = RequestFactory().post("/entrar/")
    return authenticate(request, username=username, password=password)


def test_r_aff_04_clave_issued_in_person_then_set_by_the_person(person, agent, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    code = clave.clave_issue(person=person, actor=agent)
    assert len(code) == 9 and code[4] == "-"
    assert AuditEntry.objects.filter(actor=agent, action="clave.issue").exists()
    user = clave.clave_set(person=person, code=code.lower(), password="una clave larga 2026")
    assert user.username == "EC:cedula:1710034065" and not user.is_staff
    assert user.password.startswith("argon2")
    assert sign_in("EC:cedula:1710034065", "una clave larga 2026") == user
    assert sign_in("EC:cedula:1710034065", "wrong password") is None
    with pytest.raises(ValidationFailed):  # single use
        clave.clave_set(person=person, code=code, password="otra clave larga 2026")


def test_r_aff_04_only_counter_staff_issue_it_and_only_to_registered_people(person,
                                                                            reviewer, agent):
    with pytest.raises(PermissionDenied):
        clave.clave_issue(person=person, actor=reviewer)
    person.registration_number = None
    with pytest.raises(ValidationFailed):
        clave.clave_issue(person=person, actor=agent)


def test_r_aff_04_the_code_is_short_lived_and_replaced_by_a_new_one(person, agent):
    first = clave.clave_issue(person=person, actor=agent)
    second = clave.clave_issue(person=person, actor=agent)
    with pytest.raises(ValidationFailed):
        clave.clave_set(person=person, code=first, password="una clave larga 2026")
    OneTimeSecret.objects.filter(purpose="clave").update(
        expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationFailed, match="expired"):
        clave.clave_set(person=person, code=second, password="una clave larga 2026")


def test_r_aff_04_weak_passwords_are_refused_with_the_reason(person, agent):
    code = clave.clave_issue(person=person, actor=agent)
    with pytest.raises(ValidationFailed) as exc:
        clave.clave_set(person=person, code=code, password="12345")
    assert "password" in exc.value.fields


def test_r_aff_04_brute_force_on_one_id_is_stopped_and_logged(person, agent):
    from axes.models import AccessAttempt

    code = clave.clave_issue(person=person, actor=agent)
    clave.clave_set(person=person, code=code, password="una clave larga 2026")
    for _ in range(5):
        assert sign_in("EC:cedula:1710034065", "guess") is None
    assert sign_in("EC:cedula:1710034065", "una clave larga 2026") is None  # locked
    attempt = AccessAttempt.objects.get(username="EC:cedula:1710034065")
    assert attempt.failures_since_start >= 5
