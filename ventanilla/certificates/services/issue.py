"""R-CER-01: a rest certificate issued by the institution's own medical unit is valid as
issued. Staff of the centre where an appointment was attended record it; it needs no
validation and appears in the person's list like the others."""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ventanilla.accounts.authz import staff_acting
from ventanilla.cases import services as cases
from ventanilla.cases.models import CaseKind, CaseStatus
from ventanilla.core.channels import Channel
from ventanilla.core.errors import PermissionDenied
from ventanilla.core.text import clean_text
from ventanilla.countries.registry import get_pack

from .. import rules
from ..checks import icd10_finding
from ..errors import (
    BookingNotAttended,
    BookingNotMedical,
    CertificateAlreadyIssued,
    CertificateRefused,
)
from ..icd10 import icd10_lookup
from ..models import Certificate
from ..rules import Finding
from .notify import certificate_notify
from .review import certificate_audit

ISSUE = "certificates.issue_certificate"


def certificate_issue(*, booking, actor, diagnosis: str, icd10_code: str, rest_start: str,
                      rest_end: str, kind: str = rules.Kind.ILLNESS,
                      now: datetime | None = None) -> Certificate:
    """Record the institution's rest certificate for an attended ``booking``."""
    from ventanilla.scheduling.models import BookingStatus, Service

    slot = booking.slot
    centre = slot.centre
    staff_acting(actor, perm=ISSUE, country=centre.country)
    if getattr(actor, "centre_id", None) and actor.centre_id != centre.pk:
        raise PermissionDenied(_("Only the staff of the appointment's centre issue its "
                                 "certificate."))
    if slot.service.kind != Service.Kind.MEDICAL:
        raise BookingNotMedical(field="booking")
    if booking.status != BookingStatus.ATTENDED:
        raise BookingNotAttended(field="booking")
    if Certificate.objects.filter(booking=booking).exists():
        raise CertificateAlreadyIssued(field="booking")
    findings: list[Finding] = []
    start = end = None
    for name, text in (("rest_start", rest_start), ("rest_end", rest_end)):
        try:
            value = rules.parse_day(text)
        except rules.DateUnreadable:
            findings.append(Finding(name, _("Enter the date as day/month/year, for example "
                                            "07/12/2026.")))
            continue
        start, end = (value, end) if name == "rest_start" else (start, value)
    pack = get_pack(centre.country)
    today = pack.today(now)
    visit_day = pack.localtime(slot.starts_at).date()
    if start and start < visit_day:
        findings.append(Finding("rest_start", _("The rest starts on the day of the visit or "
                                                "later.")))
    if start and end:
        findings.extend(rules.rest_findings(start=start, end=end, days=None, issued_on=today,
                                            today=today))
    answer = icd10_lookup(icd10_code)
    if (problem := icd10_finding(answer)) is not None:
        findings.append(problem)
    diagnosis = clean_text(diagnosis, max_length=2000, multiline=True)
    if not diagnosis:
        findings.append(Finding("diagnosis", _("Enter the diagnosis.")))
    if kind not in {k.value for k in rules.Kind}:
        findings.append(Finding("kind", _("Choose the kind of certificate.")))
    if findings or start is None or end is None or answer.code is None:
        raise CertificateRefused(findings)
    try:
        return _issued(booking=booking, actor=actor, kind=kind, diagnosis=diagnosis,
                       code=answer.code, start=start, end=end, today=today, now=now)
    except IntegrityError as exc:   # the same appointment's certificate, a moment earlier
        if Certificate.objects.filter(booking=booking).exists():
            raise CertificateAlreadyIssued(field="booking") from exc
        raise


@transaction.atomic
def _issued(*, booking, actor, kind: str, diagnosis: str, code: str, start: date, end: date,
            today: date, now: datetime | None) -> Certificate:
    slot = booking.slot
    centre = slot.centre
    patient = booking.booked_for
    doctor = slot.doctor
    # The slot's doctor, or the clinician recording it when the slot named none
    doctor_name = doctor.full_name if doctor else (actor.get_full_name() or
                                                   actor.get_username())
    case = cases.case_open(kind=CaseKind.SICK_LEAVE, country=centre.country,
                           channel=Channel.IN_PERSON, opened_by=actor,
                           subject_id_type=patient.id_type,
                           subject_id_number=patient.id_number)
    case.person = patient
    case.save(update_fields=["person", "updated_at"])
    cert = Certificate.objects.create(
        case=case, country=centre.country, patient=patient, submitted_by=None,
        kind=kind, source=Certificate.Source.INSTITUTION,
        status=Certificate.Status.VALIDATED, channel=Channel.IN_PERSON,
        doctor_name=doctor_name, doctor_specialty=str(slot.service),
        establishment=centre.name, establishment_phone=centre.phone,
        establishment_address=centre.address, issued_on=today,
        issued_place=centre.name, issued_country=centre.country,
        patient_names=patient.full_name, patient_id_number=patient.id_number,
        diagnosis=diagnosis, icd10_code=code, rest_start=start, rest_end=end,
        rest_days=rules.days_inclusive(start, end), booking=booking,
        decided_at=now or timezone.now(), decided_by=actor,
    )
    cases.case_set_status(case=case, status=CaseStatus.APPROVED, code="certificate_issued",
                          actor=actor, channel=Channel.IN_PERSON)
    certificate_audit(actor, "certificate.issue", cert, booking=str(booking.public_id))
    certificate_notify(cert, "validated")
    return cert
