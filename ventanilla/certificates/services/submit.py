"""Submitting a certificate, checking it without storing, and correcting a sent-back one.

The checks (``checks.certificate_checks``) run first and all at once; nothing is stored
unless every refusal is gone, and the scans go through the same upload check as
registration documents (content, size, type; PDFs cleaned). Files and rows cannot change
in one transaction, so — as for registration documents — the new files are written first,
the rows change in the transaction, and a replaced file stays as history.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from ventanilla.cases import services as cases
from ventanilla.cases.models import CaseKind, CaseStatus
from ventanilla.core.channels import Channel
from ventanilla.core.text import clean_text
from ventanilla.countries.registry import get_pack
from ventanilla.registration import uploads
from ventanilla.registration.errors import UploadInvalid

from .. import rules, selectors
from ..checks import CertificateIn, Checked, certificate_checks
from ..errors import CertificateRefused, IdempotencyKeyReused, NotEditable, PatientNotAllowed
from ..models import Certificate, CertificateFile
from ..rules import Finding
from .notify import certificate_notify

logger = logging.getLogger(__name__)

IDEMPOTENCY_KEY_MAX = 64
# What each upload is (R-CER-05: from abroad, the apostille and the translation too)
FILE_ROLES = tuple(CertificateFile.Role.values)


@dataclass(frozen=True)
class Upload:
    data: bytes
    filename: str = ""


def _given(files: dict[str, Upload | None], role: str) -> bool:
    upload = files.get(role)
    return upload is not None and bool(upload.data)


def _patient_allowed(submitter, patient) -> None:
    if patient is not None and submitter is not None and patient.pk == submitter.pk:
        return   # a person is always among their own patients (no query: the checks' hot path)
    if patient is None or not selectors.patients_of(submitter).filter(pk=patient.pk).exists():
        raise PatientNotAllowed(field="patient")


def _today(country: str, now: datetime | None):
    return get_pack(country).today(now)


def certificate_check(*, submitter, patient, data: CertificateIn, has_scan: bool = True,
                      has_apostille: bool = False, has_translation: bool = False,
                      exclude: Certificate | None = None, now: datetime | None = None
                      ) -> Checked:
    """Every automatic check, nothing stored (the form's step and ``POST …/check``). Only
    for the person and their dependants: it never confirms a name and ID pair to anyone
    else."""
    _patient_allowed(submitter, patient)
    pack = get_pack(patient.country)
    return certificate_checks(
        data, patient=selectors.patient_facts(patient), pack=pack,
        today=pack.today(now), other_rests=selectors.other_rests(patient, exclude=exclude),
        has_scan=has_scan, has_apostille=has_apostille, has_translation=has_translation)


def _prepare(files: dict[str, Upload | None], findings: list[Finding]) -> dict:
    """Each upload through the registration documents' check; a refused one is a finding of
    its field, with the others (all at once)."""
    prepared = {}
    limits = uploads.UploadLimits.from_settings()
    for role, upload in files.items():
        if upload is None or not upload.data:
            continue
        try:
            prepared[role] = (uploads.upload_prepare(data=upload.data, limits=limits,
                                                     field=role), upload.filename)
        except UploadInvalid as exc:
            findings.append(Finding(role, str(exc.message)))
    return prepared


def _file_discard(name: str | None) -> None:
    if not name:
        return
    try:
        CertificateFile._meta.get_field("file").storage.delete(name)  # type: ignore[attr-defined]
    except Exception:
        logger.exception("certificates: could not delete %s", name)


def _file_new(cert: Certificate, role: str, prepared, filename: str) -> CertificateFile:
    """A file row with its bytes written (not saved: the caller saves it in its
    transaction)."""
    row = CertificateFile(certificate=cert, role=role,
                          original_name=clean_text(filename, max_length=200),
                          content_type=prepared.content_type, size=len(prepared.data),
                          sha256=hashlib.sha256(prepared.data).hexdigest(),
                          pages=(uploads.pdf_page_count(prepared.data)
                                 if prepared.content_type == "application/pdf" else None))
    row.file.save(f"{row.public_id}.{uploads.ALLOWED_CONTENT_TYPES[prepared.content_type]}",
                  ContentFile(prepared.data), save=False)
    return row


def _assign(cert: Certificate, checked: Checked, data: CertificateIn) -> None:
    v = checked.values
    for name in ("kind", "doctor_name", "doctor_specialty", "establishment", "doctor_email",
                 "doctor_registration", "establishment_phone", "establishment_address",
                 "issued_on", "issued_place", "issued_country", "language", "patient_names",
                 "patient_id_number", "icd10_code", "rest_start", "rest_end", "rest_days",
                 "rest_days_words"):
        value = v.get(name)
        setattr(cert, name, clean_text(value, max_length=240) if isinstance(value, str)
                else value)
    cert.diagnosis = clean_text(data.diagnosis, max_length=2000, multiline=True)
    for name in ("admitted_on", "discharged_on", "delivered_on", "live_birth",
                 "pregnancy_weeks"):
        setattr(cert, name, v.get(name))
    cert.procedure = clean_text(v.get("procedure") or "", max_length=240)
    cert.baby_sex = v.get("baby_sex") or ""
    cert.late_reason = clean_text(data.late_reason, max_length=2000, multiline=True)
    cert.flags = [{"field": f.field, "code": f.code, "params": dict(f.params)}
                  for f in checked.flags]


def _clean_key(key: str | None) -> str | None:
    if key is None or not key.strip():
        return None
    key = key.strip()
    if len(key) > IDEMPOTENCY_KEY_MAX or not key.isprintable():
        raise CertificateRefused([Finding("idempotency_key", str(IdempotencyKeyReused
                                                                  .default_message))])
    return key


def _replay(submitter, key: str | None, patient) -> Certificate | None:
    if key is None:
        return None
    existing = Certificate.objects.filter(submitted_by=submitter, idempotency_key=key).first()
    if existing is not None and existing.patient_id != patient.pk:
        raise IdempotencyKeyReused(field="idempotency_key")
    return existing


def certificate_submit(*, submitter, patient, data: CertificateIn,
                       files: dict[str, Upload | None], channel: Channel,
                       idempotency_key: str | None = None, now: datetime | None = None
                       ) -> Certificate:
    """Submit a private certificate for validation (R-CER-01..05). Raises
    ``CertificateRefused`` with every problem at once (the checks and the uploads); the
    same ``idempotency_key`` returns the first submission."""
    key = _clean_key(idempotency_key)
    _patient_allowed(submitter, patient)
    if (existing := _replay(submitter, key, patient)) is not None:
        return existing
    checked = certificate_check(
        submitter=submitter, patient=patient, data=data,
        has_scan=_given(files, "scan"), has_apostille=_given(files, "apostille"),
        has_translation=_given(files, "translation"),
        now=now)
    findings = list(checked.refusals)
    prepared = _prepare({r: files.get(r) for r in FILE_ROLES}, findings)
    if findings:
        raise CertificateRefused(findings, checked=checked)
    pack = get_pack(patient.country)
    today = pack.today(now)
    cert = Certificate(country=patient.country, patient=patient, submitted_by=submitter,
                       channel=channel, idempotency_key=key,
                       due_on=rules.review_due(
                           submitted_on=today, working_days=pack.certificate_review_working_days,
                           add_working_days=pack.add_working_days))
    _assign(cert, checked, data)
    rows = [_file_new(cert, role, p, name) for role, (p, name) in prepared.items()]
    try:
        with transaction.atomic():
            case = cases.case_open(kind=CaseKind.SICK_LEAVE, country=patient.country,
                                   channel=channel, subject_id_type=patient.id_type,
                                   subject_id_number=patient.id_number)
            case.person = patient
            case.save(update_fields=["person", "updated_at"])
            cases.case_set_status(case=case, status=CaseStatus.SUBMITTED,
                                  code="certificate_submitted", channel=channel,
                                  due_on=cert.due_on)
            cert.case = case
            cert.save()
            for row in rows:
                row.certificate = cert
                row.save()
            certificate_notify(cert, "submitted")
    except IntegrityError:
        for row in rows:
            _file_discard(row.file.name)
        existing = _replay(submitter, key, patient)   # the same key, a moment earlier
        if existing is None:
            raise
        return existing
    except BaseException:
        for row in rows:
            _file_discard(row.file.name)
        raise
    return cert


def certificate_correct(*, certificate: Certificate, submitter, data: CertificateIn,
                        files: dict[str, Upload | None], channel: Channel,
                        now: datetime | None = None) -> Certificate:
    """R-CER-05: a certificate sent back is corrected, not lost — the person fixes fields
    or replaces a scan without starting again; it goes back to the queue with a new due
    date. A file not given stays as it was."""
    if certificate.submitted_by_id != submitter.pk:
        _patient_allowed(submitter, certificate.patient)
    if certificate.status != Certificate.Status.RETURNED:
        raise NotEditable()
    current = selectors.current_files(certificate)

    def has(role: str) -> bool:
        return _given(files, role) or role in current

    checked = certificate_check(submitter=submitter, patient=certificate.patient, data=data,
                                has_scan=has("scan"), has_apostille=has("apostille"),
                                has_translation=has("translation"), exclude=certificate,
                                now=now)
    findings = list(checked.refusals)
    prepared = _prepare({r: files.get(r) for r in FILE_ROLES}, findings)
    if findings:
        raise CertificateRefused(findings, checked=checked)
    pack = get_pack(certificate.country)
    today = pack.today(now)
    rows = [_file_new(certificate, role, p, name) for role, (p, name) in prepared.items()]
    try:
        with transaction.atomic():
            cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
            if cert.status != Certificate.Status.RETURNED:
                raise NotEditable()
            _assign(cert, checked, data)
            cert.status = Certificate.Status.SUBMITTED
            cert.due_on = rules.review_due(
                submitted_on=today, working_days=pack.certificate_review_working_days,
                add_working_days=pack.add_working_days)
            cert.save()
            for row in rows:
                cert.files.filter(role=row.role, is_current=True).update(
                    is_current=False, updated_at=timezone.now())
                row.certificate = cert
                row.save()
            cases.case_set_status(case=cert.case, status=CaseStatus.SUBMITTED,
                                  code="certificate_corrected", channel=channel,
                                  due_on=cert.due_on,
                                  params={"files": sorted(r.role for r in rows)})
            certificate_notify(cert, "submitted")
    except BaseException:
        for row in rows:
            _file_discard(row.file.name)
        raise
    return cert
