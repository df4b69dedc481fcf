"""R-CER-01: a rest certificate of the institution's own medical unit is valid as issued.
The clinician of the centre where an appointment was attended records it (services)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ventanilla.cases.models import CaseStatus
from ventanilla.certificates import selectors, services
from ventanilla.certificates.errors import (
    BookingNotAttended,
    BookingNotMedical,
    CertificateAlreadyIssued,
    CertificateRefused,
)
from ventanilla.certificates.models import Certificate
from ventanilla.core.audit import AuditEntry
from ventanilla.core.errors import PermissionDenied

from . import factories

pytestmark = pytest.mark.django_db

# The same Monday, 11:00 in Quito: after the visit
NOW = datetime(2026, 12, 7, 16, 0, tzinfo=UTC)


@pytest.fixture
def clinic(db):
    return factories.medical_centre()


@pytest.fixture
def doctor(clinic):
    return factories.clinician(clinic)


@pytest.fixture
def seen(clinic, ana):
    return factories.visit(clinic, ana)


def issue(booking, actor, **changes):
    values = dict(diagnosis="Infección aguda de las vías respiratorias superiores",
                  icd10_code="j069", rest_start="07/12/2026", rest_end="09/12/2026",
                  kind="illness")
    values.update(changes)
    return services.certificate_issue(booking=booking, actor=actor, now=NOW, **values)


def test_r_cer_01_an_institution_certificate_is_valid_at_once_and_listed(seen, doctor, ana):
    cert = issue(seen, doctor)
    assert cert.status == Certificate.Status.VALIDATED
    assert cert.source == Certificate.Source.INSTITUTION
    assert cert.case.status == CaseStatus.APPROVED
    assert (cert.icd10_code, cert.rest_start, cert.rest_end, cert.rest_days) == (
        "J06.9", date(2026, 12, 7), date(2026, 12, 9), 3)
    assert (cert.establishment, cert.issued_on, cert.booking) == (
        "Hospital Carlos Andrade Marín", date(2026, 12, 7), seen)
    assert cert.doctor_name == "Lucía Andrade"   # the slot named no doctor: the clinician
    assert cert.decided_by == doctor and cert.due_on is None
    assert list(selectors.certificates_of(ana)) == [cert]
    assert AuditEntry.objects.filter(action="certificate.issue", actor=doctor).count() == 1


def test_r_cer_01_it_never_enters_the_validators_queue(seen, doctor):
    issue(seen, doctor)
    filters = selectors.QueueFilters(status="validated")
    assert list(selectors.queue("EC", filters, today=date(2026, 12, 7))) == []


@pytest.mark.parametrize("status", ["booked", "no_show"])
def test_r_cer_01_a_booking_not_attended_is_refused(clinic, ana, doctor, status):
    booking = factories.visit(clinic, ana, status=status)
    with pytest.raises(BookingNotAttended) as refused:
        issue(booking, doctor)
    assert refused.value.as_dict()["message"] == (
        "A rest certificate is issued only for an appointment the patient attended.")
    assert Certificate.objects.count() == 0


def test_r_cer_01_an_office_visit_gets_no_rest_certificate(clinic, ana, doctor):
    office = factories.visit(clinic, ana, office=True)
    with pytest.raises(BookingNotMedical):
        issue(office, doctor)
    assert Certificate.objects.count() == 0


def test_r_cer_01_staff_of_another_centre_cannot_issue_it(seen):
    elsewhere = factories.medical_centre(code="ec-hgs", name="Hospital del Sur")
    other = factories.clinician(elsewhere, username="medico.sur")
    with pytest.raises(PermissionDenied) as refused:
        issue(seen, other)
    assert str(refused.value.message) == ("Only the staff of the appointment's centre issue "
                                          "its certificate.")
    assert Certificate.objects.count() == 0


def test_r_cer_01_staff_of_another_country_or_without_the_permission_cannot(seen, validator_ec):
    lima = factories.medical_centre(country="PE", code="pe-rebagliati", name="Rebagliati")
    peruvian = factories.clinician(lima, username="medico.pe")
    with pytest.raises(PermissionDenied):
        issue(seen, peruvian)
    with pytest.raises(PermissionDenied):
        issue(seen, validator_ec)
    assert Certificate.objects.count() == 0


@pytest.mark.parametrize("code, message", [
    ("J06.99", "J06.99 is not a code of the ICD-10 classification."),
    ("J06", "J06 is a group of diagnoses: enter the full code from the certificate."),
    ("ZZZ", "An ICD-10 code is a letter and two digits, then a dot and one more digit, "
              "for example J06.9."),
    ("", "Enter the ICD-10 code of the diagnosis, for example J06.9."),
], ids=["unknown", "not-specific", "malformed", "empty"])
def test_r_cer_03_a_bad_icd10_code_is_refused(seen, doctor, code, message):
    with pytest.raises(CertificateRefused) as refused:
        issue(seen, doctor, icd10_code=code)
    assert set(refused.value.fields) == {"icd10_code"}
    assert refused.value.fields["icd10_code"].startswith(message)
    assert Certificate.objects.count() == 0


def test_r_cer_03_every_problem_of_the_form_at_once(seen, doctor):
    with pytest.raises(CertificateRefused) as refused:
        issue(seen, doctor, icd10_code="ZZZ", rest_start="31/02/2026", rest_end="08/12/2026",
              diagnosis="  ", kind="")
    assert refused.value.fields == {
        "rest_start": "Enter the date as day/month/year, for example 07/12/2026.",
        "icd10_code": refused.value.fields["icd10_code"],
        "diagnosis": "Enter the diagnosis.",
        "kind": "Choose the kind of certificate.",
    }


def test_r_cer_01_the_rest_starts_on_the_visit_day_or_later(seen, doctor):
    with pytest.raises(CertificateRefused) as refused:
        issue(seen, doctor, rest_start="06/12/2026")
    assert refused.value.fields == {"rest_start": "The rest starts on the day of the visit or "
                                                  "later."}


def test_r_cer_01_one_certificate_per_appointment(seen, doctor):
    first = issue(seen, doctor)
    with pytest.raises(CertificateAlreadyIssued):
        issue(seen, doctor, rest_end="10/12/2026")
    assert list(Certificate.objects.all()) == [first]
