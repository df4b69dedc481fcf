"""Races only a real database shows (PostgreSQL; skipped on SQLite): two validators deciding
one certificate at once, a double submission with one Idempotency-Key, two CITT numbers."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from ventanilla.certificates import services
from ventanilla.certificates.errors import DecisionNotAllowed
from ventanilla.certificates.models import Certificate
from ventanilla.core.channels import Channel

from .conftest import NOW, scan, typed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ALL_CHECKS = ["letterhead", "typed", "stamp", "no_amendments", "legible"]


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests run on PostgreSQL (set DATABASE_URL)")


def _race(n, fn):
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = fn(i)
        except Exception as exc:  # collected and asserted below
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_r_cer_03_two_validators_at_once_make_one_decision(submit, validator_ec, roles):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create

    other = staff_create(username="validadora.ec", password="Staff-password-123",
                         role=Role.VALIDATOR, country="EC")
    cert = submit()

    def decide(i):
        if i == 0:
            return services.certificate_validate(certificate=cert, actor=validator_ec,
                                                 checklist=ALL_CHECKS)
        return services.certificate_reject(certificate=cert, actor=other,
                                           reasons=["illegible"])

    results = _race(2, decide)
    refused = [r for r in results if isinstance(r, DecisionNotAllowed)]
    decided = [r for r in results if isinstance(r, Certificate)]
    assert len(refused) == 1 and len(decided) == 1, results
    cert.refresh_from_db()
    assert cert.status == decided[0].status
    assert cert.case.events.filter(code__in=["certificate_validated",
                                             "certificate_rejected"]).count() == 1


def test_one_idempotency_key_sent_twice_at_once_stores_one_certificate(ana):
    def send(_i):
        return services.certificate_submit(submitter=ana, patient=ana, data=typed(),
                                           files=scan(), channel=Channel.API,
                                           idempotency_key="same-key", now=NOW)

    results = _race(4, send)
    assert all(isinstance(r, Certificate) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Certificate.objects.count() == 1


def test_r_cer_04_citt_numbers_are_unique_when_validated_at_once(make_affiliate, roles):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create

    validators = [staff_create(username=f"v{i}.pe", password="Staff-password-123",
                               role=Role.VALIDATOR, country="PE") for i in range(3)]
    certs = []
    for i, dni in enumerate(["45678912", "10203040", "70112233"]):
        person = make_affiliate(country="PE", id_type="dni", id_number=dni,
                                given_names="Rosa", family_names=f"Quispe {i}",
                                mobile_phone="+51987654321")
        certs.append(services.certificate_submit(
            submitter=person, patient=person,
            data=typed(patient_names=f"Rosa Quispe {i}", patient_id_number=dni,
                       doctor_registration="CMP 045123", establishment_phone="01 415 3000",
                       issued_country="PE", issued_place="Lima", issued_on="20/11/2026",
                       rest_start="20/11/2026", rest_end="14/12/2026", rest_days="25"),
            files=scan(), channel=Channel.WEB, now=NOW))

    results = _race(3, lambda i: services.certificate_validate(
        certificate=certs[i], actor=validators[i], checklist=ALL_CHECKS, now=NOW))
    numbers = sorted(r.official_number for r in results)
    assert numbers == ["CITT-PE-2026-0000001", "CITT-PE-2026-0000002",
                       "CITT-PE-2026-0000003"]
