"""Fixtures of the certificate tests: an affiliate with a dependant, validators of each
country, a certificate as typed that passes every check."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from conftest import PDF, png_bytes
from ventanilla.certificates.checks import CertificateIn
from ventanilla.certificates.services import Upload

# Monday 7 December 2026, 10:00 in Quito
NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)


def typed(**changes) -> CertificateIn:
    """Ana Paz Vera's certificate, as she types it off the paper: every check passes."""
    values = dict(
        kind="illness", doctor_name="Dra. Lucía Andrade", doctor_specialty="Medicina interna",
        establishment="Clínica La Merced", doctor_email="l.andrade@lamerced.ec",
        doctor_registration="1005-2016-1727394", establishment_phone="02 245 6789",
        establishment_address="Av. 10 de Agosto N24-35, Quito", issued_on="01/12/2026",
        issued_place="Quito", issued_country="EC", language="es",
        patient_names="PAZ VERA ANA", patient_id_number="1710034065",
        diagnosis="Infección aguda de las vías respiratorias superiores",
        icd10_code="j069", rest_start="01/12/2026", rest_end="03/12/2026", rest_days="3",
        rest_days_words="tres")
    values.update(changes)
    return CertificateIn(**values)


def scan(data: bytes | None = None, name: str = "certificado.pdf") -> dict:
    return {"scan": Upload(PDF if data is None else data, name)}


@pytest.fixture
def ana(make_affiliate):
    return make_affiliate()


@pytest.fixture
def validator_ec(roles):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create

    return staff_create(username="validador.ec", password="Staff-password-123",
                        role=Role.VALIDATOR, country="EC")


@pytest.fixture
def validator_pe(roles):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create

    return staff_create(username="validador.pe", password="Staff-password-123",
                        role=Role.VALIDATOR, country="PE")


@pytest.fixture
def submit(ana):
    """Submit a certificate for Ana (or ``patient``) as of ``NOW``."""
    from ventanilla.certificates.services import certificate_submit
    from ventanilla.core.channels import Channel

    def do(data: CertificateIn | None = None, *, files=None, submitter=None, patient=None,
           now=NOW, key=None):
        return certificate_submit(submitter=submitter or ana, patient=patient or ana,
                                  data=data or typed(), files=scan() if files is None else files,
                                  channel=Channel.WEB, idempotency_key=key, now=now)

    return do


__all__ = ["NOW", "date", "png_bytes", "scan", "typed"]
