"""Submitting, checking, deciding and verifying certificates (R-CER-01..05), through the
services every channel calls."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ventanilla.cases.models import CaseStatus
from ventanilla.certificates import services
from ventanilla.certificates.errors import (
    CertificateRefused,
    CertificateVerifyFailed,
    DecisionNotAllowed,
    NotEditable,
    PatientNotAllowed,
)
from ventanilla.certificates.models import Certificate, CertificateFile
from ventanilla.core.audit import AuditEntry
from ventanilla.core.channels import Channel
from ventanilla.core.errors import PermissionDenied, ValidationFailed

from .conftest import NOW, scan, typed

pytestmark = pytest.mark.django_db
ALL_CHECKS = ["letterhead", "typed", "stamp", "no_amendments", "legible"]


def test_r_cer_01_a_valid_certificate_is_a_submitted_case_due_in_3_working_days(submit, ana):
    cert = submit()
    assert cert.status == Certificate.Status.SUBMITTED
    assert cert.case.status == CaseStatus.SUBMITTED
    assert cert.case.kind == "sick_leave" and cert.case.person == ana
    assert cert.icd10_code == "J06.9"          # typed "j069"
    assert (cert.rest_start, cert.rest_end, cert.rest_days) == (
        date(2026, 12, 1), date(2026, 12, 3), 3)
    assert cert.due_on == date(2026, 12, 10)   # Monday 7 + 3 working days
    assert cert.case.due_on == date(2026, 12, 10)
    [scan_file] = cert.files.all()
    assert scan_file.role == "scan" and scan_file.content_type == "application/pdf"


def test_r_cer_03_every_problem_is_refused_at_once_and_nothing_is_stored(submit):
    bad = typed(icd10_code="J06", rest_end="30/11/2026", patient_names="PEDRO PEREZ",
                doctor_email="", doctor_registration="12345")
    with pytest.raises(CertificateRefused) as refused:
        submit(bad, files={"scan": None})
    fields = {f.field for f in refused.value.findings}
    assert fields == {"icd10_code", "rest_end", "patient_names", "doctor_email",
                      "doctor_registration", "scan"}
    assert refused.value.fields["icd10_code"].startswith(
        "J06 is a group of diagnoses: enter the full code from the certificate. "
        "Nearest valid codes: J06.0")
    assert Certificate.objects.count() == 0 and CertificateFile.objects.count() == 0


def test_r_cer_01_the_id_number_must_be_the_patients(submit):
    with pytest.raises(CertificateRefused) as refused:
        submit(typed(patient_id_number="1713175071"))
    assert refused.value.fields == {"patient_id_number": (
        "This ID number is not the patient's: the certificate must give the ID number of "
        "the person on leave.")}


def test_r_cer_01_names_match_the_id_card_in_any_order_without_accents(submit):
    cert = submit(typed(patient_names="Ána  paz vera"))
    assert cert.patient_names == "Ána paz vera"


def test_a_certificate_for_someone_who_is_not_a_dependant_is_refused(submit, make_affiliate):
    stranger = make_affiliate(id_number="1713175071", given_names="Luis", with_clave=False)
    with pytest.raises(PatientNotAllowed):
        submit(typed(patient_names="Luis Paz Vera", patient_id_number="1713175071"),
               patient=stranger)
    assert Certificate.objects.count() == 0


def test_a_dependant_certificate_is_submitted_by_the_holder(submit, ana, make_affiliate):
    child = make_affiliate(id_number="1713175071", given_names="Luis", with_clave=False,
                           date_of_birth=date(2015, 3, 1), holder=ana.affiliations.first(),
                           relationship="child")
    cert = submit(typed(patient_names="Luis Paz Vera", patient_id_number="1713175071"),
                  patient=child)
    assert cert.patient == child and cert.submitted_by == ana


def test_the_same_idempotency_key_returns_the_first_submission(submit):
    first = submit(key="cert-1")
    again = submit(key="cert-1")
    assert again.pk == first.pk and Certificate.objects.count() == 1


@pytest.mark.parametrize("data, name", [
    (b"%PDF-1.4 but not really a pdf", "certificado.pdf"),
    (b"<html><script>alert(1)</script></html>", "certificado.png"),
    (b"MZ\x90\x00" + b"\x00" * 100, "certificado.jpg"),
], ids=["broken-pdf", "html-as-png", "exe-as-jpg"])
def test_a_scan_that_is_not_an_image_or_pdf_is_refused_with_the_other_findings(submit, data,
                                                                                 name):
    with pytest.raises(CertificateRefused) as refused:
        submit(typed(doctor_email=""), files=scan(data, name))
    assert {f.field for f in refused.value.findings} == {"scan", "doctor_email"}
    assert Certificate.objects.count() == 0


def test_a_scan_too_large_is_refused(submit, settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(CertificateRefused) as refused:
        submit()
    assert set(refused.value.fields) == {"scan"}


def test_r_cer_04_a_late_ecuadorian_certificate_asks_for_its_justification(submit):
    late = typed(issued_on="02/11/2026", rest_start="02/11/2026", rest_end="04/11/2026")
    with pytest.raises(CertificateRefused) as refused:
        submit(late)
    # 8 working days after Wednesday 4 November (Cuenca's independence day, 3 November,
    # is before it): Monday 16 November
    assert refused.value.fields == {"late_reason": (
        "The last day to submit this certificate was 16 November 2026. Write why it is submitted "
        "late: the validator decides whether the reason is accepted.")}
    cert = submit(typed(issued_on="02/11/2026", rest_start="02/11/2026",
                        rest_end="04/11/2026",
                        late_reason="Estuve hospitalizada y no pude hacerlo antes."))
    assert cert.late_reason.startswith("Estuve hospitalizada")
    assert [f["field"] for f in cert.flags] == ["late_reason"]


def test_r_cer_04_a_rest_over_30_days_in_ecuador_is_validated_in_person(ana):
    checked = services.certificate_check(
        submitter=ana, patient=ana,
        data=typed(rest_start="01/11/2026", rest_end="05/12/2026", rest_days="35",
                   rest_days_words="treinta y cinco", issued_on="01/11/2026", late_reason=""), now=NOW)
    assert checked.in_person
    assert [f.field for f in checked.refusals] == ["rest_days"]


def test_r_cer_03_an_overlapping_certificate_is_flagged_to_the_validator(submit):
    first = submit()
    second = submit(typed(rest_start="03/12/2026", rest_end="04/12/2026", rest_days="2",
                          rest_days_words="dos", issued_on="03/12/2026"))
    assert second.flags == [{"field": "rest_start", "code": "overlap", "params": {
        "reference": first.case.reference, "start": "2026-12-01", "end": "2026-12-03"}}]
    message = (f"These days overlap certificate {first.case.reference} (1 December 2026 to "
               "3 December 2026) of the same person.")
    assert second.flag_messages == [message]
    from django.utils import translation

    with translation.override("es"):   # the validator reads it in their own language
        assert second.flag_messages == [
            f"Estos días se cruzan con el certificado {first.case.reference} (del 1 de "
            "diciembre de 2026 al 3 de diciembre de 2026) de la misma persona."]


def test_r_cer_03_the_check_stores_nothing_and_answers_only_for_own_people(ana,
                                                                          make_affiliate):
    checked = services.certificate_check(submitter=ana, patient=ana, data=typed(), now=NOW)
    assert checked.ok and checked.icd10.code == "J06.9"
    stranger = make_affiliate(id_number="1713175071", with_clave=False)
    with pytest.raises(PatientNotAllowed):
        services.certificate_check(submitter=ana, patient=stranger, data=typed(), now=NOW)
    assert Certificate.objects.count() == 0


def test_r_cer_01_validation_needs_every_check_of_the_paper(submit, validator_ec):
    cert = submit()
    with pytest.raises(ValidationFailed) as refused:
        services.certificate_validate(certificate=cert, actor=validator_ec,
                                      checklist=["letterhead", "typed"])
    assert refused.value.fields["checklist"].startswith("Tick every check before validating")
    done = services.certificate_validate(certificate=cert, actor=validator_ec,
                                         checklist=ALL_CHECKS)
    assert done.status == Certificate.Status.VALIDATED and done.official_number is None
    assert done.case.status == CaseStatus.APPROVED
    assert AuditEntry.objects.filter(action="certificate.validate",
                                     actor=validator_ec).count() == 1
    with pytest.raises(DecisionNotAllowed):
        services.certificate_reject(certificate=cert, actor=validator_ec, reasons=["amended"])


def test_r_cer_03_a_rejection_lists_every_reason(submit, validator_ec):
    cert = submit()
    done = services.certificate_reject(
        certificate=cert, actor=validator_ec,
        reasons=["handwritten", "no_stamp", "other"], note="La fecha está corregida a mano.")
    assert done.rejection_reasons == ["handwritten", "no_stamp", "other"]
    assert done.case.status == CaseStatus.REJECTED


@pytest.mark.parametrize("reasons, note, field", [
    ([], "", "reasons"), (["made_up"], "", "reasons"), (["other"], "", "note")])
def test_a_rejection_needs_reasons_from_the_list(submit, validator_ec, reasons, note, field):
    cert = submit()
    with pytest.raises(ValidationFailed) as refused:
        services.certificate_reject(certificate=cert, actor=validator_ec, reasons=reasons,
                                    note=note)
    assert set(refused.value.fields) == {field}
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.SUBMITTED


def test_r_cer_05_sent_back_it_is_corrected_without_starting_again(submit, validator_ec, ana):
    cert = submit()
    services.certificate_return(certificate=cert, actor=validator_ec,
                                note="The scan is blurred: photograph it again.")
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.RETURNED
    assert cert.case.status == CaseStatus.ACTION_REQUIRED
    later = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)
    fixed = services.certificate_correct(certificate=cert, submitter=ana,
                                         data=typed(doctor_specialty="Medicina general"),
                                         files=scan(), channel=Channel.WEB, now=later)
    assert fixed.status == Certificate.Status.SUBMITTED
    assert fixed.doctor_specialty == "Medicina general"
    assert fixed.due_on == date(2026, 12, 14)
    assert list(fixed.files.values_list("role", "is_current")) == [("scan", False),
                                                                  ("scan", True)]
    with pytest.raises(NotEditable):
        services.certificate_correct(certificate=fixed, submitter=ana, data=typed(),
                                     files={}, channel=Channel.WEB, now=later)


def test_validators_of_another_country_cannot_decide(submit, validator_pe):
    cert = submit()
    from ventanilla.certificates.errors import CertificateNotFound

    with pytest.raises(CertificateNotFound):
        services.certificate_validate(certificate=cert, actor=validator_pe,
                                      checklist=ALL_CHECKS)


def test_an_affiliate_cannot_decide(submit, ana):
    cert = submit()
    with pytest.raises(PermissionDenied):
        services.certificate_validate(certificate=cert, actor=ana.user, checklist=ALL_CHECKS)


def test_r_cer_04_a_peruvian_25_day_rest_becomes_a_citt(make_affiliate, validator_pe):
    from ventanilla.core.channels import Channel

    rosa = make_affiliate(country="PE", id_type="dni", id_number="45678912",
                          given_names="Rosa", family_names="Quispe Mamani",
                          mobile_phone="+51987654321")
    now = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
    cert = services.certificate_submit(
        submitter=rosa, patient=rosa,
        data=typed(patient_names="Rosa Quispe Mamani", patient_id_number="45678912",
                   doctor_registration="CMP 045123", establishment_phone="01 415 3000",
                   issued_country="PE", issued_place="Lima", issued_on="20/11/2026",
                   rest_start="20/11/2026", rest_end="14/12/2026", rest_days="25"),
        files=scan(), channel=Channel.WEB, now=now)
    done = services.certificate_validate(certificate=cert, actor=validator_pe,
                                         checklist=ALL_CHECKS, now=now)
    assert done.official_number == "CITT-PE-2026-0000001"
    from ventanilla.cases.selectors import case_history

    assert [e["text"] for e in case_history(done.case)] == [
        "Application started", "Certificate submitted for validation",
        "Certificate validated. It is now the incapacity certificate (CITT) "
        "CITT-PE-2026-0000001"]


def test_r_cer_05_the_employer_sees_dates_never_the_diagnosis(submit, validator_ec):
    cert = submit()
    services.certificate_validate(certificate=cert, actor=validator_ec, checklist=ALL_CHECKS)
    seen = services.certificate_verify(reference=cert.case.reference, id_number="1710034065")
    assert (seen.validated, seen.rest_start, seen.rest_end, seen.rest_days) == (
        True, date(2026, 12, 1), date(2026, 12, 3), 3)
    assert "diagnosis" not in seen.__dataclass_fields__
    assert "J06" not in repr(seen) and "Infección" not in repr(seen)


def test_r_cer_05_a_wrong_id_and_an_unknown_reference_get_the_same_answer(submit):
    cert = submit()
    with pytest.raises(CertificateVerifyFailed) as wrong_id:
        services.certificate_verify(reference=cert.case.reference, id_number="1713175071")
    with pytest.raises(CertificateVerifyFailed) as unknown:
        services.certificate_verify(reference="EC-ZZZZZZZZ", id_number="1710034065")
    assert wrong_id.value.as_dict() == unknown.value.as_dict()
