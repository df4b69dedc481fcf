"""Fixtures of medical appointments: medical centres, specialties, doctors, slots.

Shared by the tests of this folder; the office fixtures of ../conftest.py apply too.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ..conftest import cedula

# Monday 6 May 2030 08:00 in Quito (13:00 UTC): a week after conftest.NOW.
MONDAY_0800_QUITO = datetime(2030, 5, 6, 13, 0, tzinfo=UTC)


@pytest.fixture
def clinic_ec(db):
    from ventanilla.scheduling.models import Centre

    return Centre.objects.create(country="EC", kind=Centre.Kind.MEDICAL, code="ec-hd-central",
                                 name="Hospital del Día Central", subdivision_code="170150",
                                 address="Av. 10 de Agosto y Colón", latitude="-0.206860",
                                 longitude="-78.495210")


@pytest.fixture
def clinic_gye(db):
    from ventanilla.scheduling.models import Centre

    return Centre.objects.create(country="EC", kind=Centre.Kind.MEDICAL, code="ec-ce-sur",
                                 name="Centro de Especialidades Sur", subdivision_code="090150",
                                 address="Av. 25 de Julio")


@pytest.fixture
def clinic_pe(db):
    from ventanilla.scheduling.models import Centre

    return Centre.objects.create(country="PE", kind=Centre.Kind.MEDICAL, code="pe-pol-jm",
                                 name="Policlínico Jesús María", subdivision_code="150113",
                                 address="Av. Arenales 1402")


@pytest.fixture
def specialties_ec(db):
    from ventanilla.scheduling.defaults import medical_services_ensure

    return {s.code: s for s in medical_services_ensure("EC")}


@pytest.fixture
def specialties_pe(db):
    from ventanilla.scheduling.defaults import medical_services_ensure

    return {s.code: s for s in medical_services_ensure("PE")}


@pytest.fixture
def general_ec(specialties_ec):
    return specialties_ec["general_medicine"]


@pytest.fixture
def eyes_ec(specialties_ec):
    return specialties_ec["ophthalmology"]


@pytest.fixture
def doctor_ec(clinic_ec, specialties_ec):
    from ventanilla.scheduling.models import Doctor

    doctor = Doctor.objects.create(country="EC", given_names="Gabriela",
                                   family_names="Núñez Ortiz", registration_code="MSP-1")
    doctor.centres.add(clinic_ec)
    doctor.specialties.add(specialties_ec["general_medicine"], specialties_ec["ophthalmology"])
    return doctor


@pytest.fixture
def make_med_slot(db):
    from ventanilla.scheduling.models import Slot

    def make(centre, service, starts_at: datetime, *, doctor=None, capacity: int = 1,
             minutes: int = 20):
        return Slot.objects.create(centre=centre, service=service, doctor=doctor,
                                   starts_at=starts_at,
                                   ends_at=starts_at + timedelta(minutes=minutes),
                                   capacity=capacity)

    return make


@pytest.fixture
def med_slot(clinic_ec, general_ec, doctor_ec, make_med_slot):
    """General Medicine with Dr Núñez, Monday 6 May 2030 08:00 in Quito."""
    return make_med_slot(clinic_ec, general_ec, MONDAY_0800_QUITO, doctor=doctor_ec)


@pytest.fixture
def peasant(make_affiliate):
    return make_affiliate(id_number=cedula("170000002"), given_names="Rosa",
                          family_names="Chicaiza", email="rosa@example.com",
                          affiliation_type="peasant")


@pytest.fixture
def peruvian(make_affiliate):
    return make_affiliate(country="PE", id_type="dni", id_number="45678912",
                          given_names="Lucía", family_names="Quispe Mamani",
                          email="lucia@example.com", mobile_phone="+51912345678",
                          affiliation_type="essalud_regular")


def referral_for(person, specialty, *, issued_on: date = date(2030, 4, 1),
                 expires_on: date = date(2030, 7, 1)):
    from ventanilla.scheduling.models import Referral

    return Referral.objects.create(person=person, specialty=specialty,
                                   issued_by="Centro de Salud N.º 1", issued_on=issued_on,
                                   expires_on=expires_on)
