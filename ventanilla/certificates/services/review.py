"""The validator's decisions (R-CER-03, R-CER-05): validate, reject with every reason, send
back for a correction; and the audit of every view.

Each decision locks the certificate, so two validators deciding at once get one decision
and a clear refusal; the case (trámite) gets the outcome and its history, the person a
notice after the commit.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ventanilla.accounts.authz import staff_acting
from ventanilla.cases import services as cases
from ventanilla.cases.models import CaseStatus
from ventanilla.core.audit import audit_record
from ventanilla.core.channels import Channel
from ventanilla.core.counters import counter_next
from ventanilla.core.errors import ValidationFailed
from ventanilla.core.text import clean_text
from ventanilla.countries.registry import get_pack

from .. import rules
from ..errors import CertificateNotFound, DecisionNotAllowed
from ..models import Certificate
from .notify import certificate_notify

REVIEW = "certificates.review_certificate"
NOTE_MAX = 2000


def certificate_audit(actor, action: str, cert: Certificate, **details) -> None:
    audit_record(actor=actor, action=action, obj=cert, subject_ref=cert.patient.subject_ref,
                 channel=Channel.BACK_OFFICE,
                 details={"reference": cert.case.reference, **details})


def certificate_viewed(*, certificate: Certificate, actor, what: str = "certificate") -> None:
    """Every staff view of a certificate (or one of its files) is in the audit log."""
    certificate_audit(actor, f"certificate.view_{what}", certificate)


def _locked(certificate: Certificate, actor) -> Certificate:
    staff_acting(actor, perm=REVIEW, country=certificate.country,
                 other_country=CertificateNotFound)
    cert = (Certificate.objects.select_for_update(of=("self",))
            .select_related("case", "patient").get(pk=certificate.pk))
    if cert.status != Certificate.Status.SUBMITTED:
        raise DecisionNotAllowed()
    return cert


def _decided(cert: Certificate, actor, status: str, now: datetime | None) -> None:
    cert.status = status
    cert.decided_at = now or timezone.now()
    cert.decided_by = actor


def certificate_validate(*, certificate: Certificate, actor, checklist: set[str] | list[str],
                         now: datetime | None = None) -> Certificate:
    """Validate: every item of the checklist ticked (what only a person can judge). In
    Peru a rest over 20 days becomes a CITT with its own number (R-CER-04)."""
    with transaction.atomic():
        cert = _locked(certificate, actor)
        missing = rules.decision_findings(
            checklist=set(checklist), abroad=cert.issued_country != cert.country,
            language=cert.language)
        if missing:
            labels = {**rules.CHECKLIST, **rules.CHECKLIST_ABROAD}
            raise ValidationFailed(
                _("Tick every check before validating, or reject or send it back: %(items)s.")
                % {"items": "; ".join(str(labels[m]) for m in missing)}, field="checklist")
        pack = get_pack(cert.country)
        _decided(cert, actor, Certificate.Status.VALIDATED, now)
        if rules.becomes_official(days=cert.rest_days,
                                  over_days=pack.certificate_official_over_days):
            year = pack.today(now).year
            cert.official_number = rules.official_number(
                prefix=pack.official_certificate_prefix or "CERT", country=cert.country,
                year=year, sequence=counter_next(f"certificates.official.{cert.country}.{year}"))
        cert.save()
        cases.case_set_status(case=cert.case, status=CaseStatus.APPROVED,
                              code=("certificate_validated_citt" if cert.official_number
                                    else "certificate_validated"), actor=actor,
                              channel=Channel.BACK_OFFICE,
                              params={"official_number": cert.official_number or ""})
        certificate_audit(actor, "certificate.validate", cert,
                          official_number=cert.official_number or "")
        certificate_notify(cert, "validated")
    return cert


def certificate_reject(*, certificate: Certificate, actor, reasons: list[str],
                       note: str = "", now: datetime | None = None) -> Certificate:
    """Reject with every failing requirement (R-CER-03): reasons from the list, and the
    validator's own words for "other"."""
    codes = list(dict.fromkeys(r for r in reasons if r))
    note = clean_text(note, max_length=NOTE_MAX, multiline=True)
    if not codes:
        raise ValidationFailed(_("Choose at least one reason."), field="reasons")
    unknown = [c for c in codes if c not in rules.REJECTION_REASONS]
    if unknown:
        raise ValidationFailed(_("Choose the reasons from the list."), field="reasons")
    if "other" in codes and not note:
        raise ValidationFailed(_("Write the other reason for the person."), field="note")
    with transaction.atomic():
        cert = _locked(certificate, actor)
        _decided(cert, actor, Certificate.Status.REJECTED, now)
        cert.rejection_reasons = codes
        cert.decision_note = note
        cert.save()
        cases.case_set_status(case=cert.case, status=CaseStatus.REJECTED,
                              code="certificate_rejected", actor=actor,
                              channel=Channel.BACK_OFFICE, params={"reasons": codes})
        certificate_audit(actor, "certificate.reject", cert, reasons=codes)
        certificate_notify(cert, "rejected")
    return cert


def certificate_return(*, certificate: Certificate, actor, note: str,
                       now: datetime | None = None) -> Certificate:
    """Send back for a correction (R-CER-05: corrected, not lost): the note tells the person
    what to fix; they correct fields or replace the scan without starting again."""
    note = clean_text(note, max_length=NOTE_MAX, multiline=True)
    if not note:
        raise ValidationFailed(_("Write what the person must correct."), field="note")
    with transaction.atomic():
        cert = _locked(certificate, actor)
        cert.status = Certificate.Status.RETURNED
        cert.decision_note = note
        cert.save(update_fields=["status", "decision_note", "updated_at"])
        cases.case_set_status(case=cert.case, status=CaseStatus.ACTION_REQUIRED,
                              code="certificate_returned", actor=actor,
                              channel=Channel.BACK_OFFICE)
        certificate_audit(actor, "certificate.return", cert)
        certificate_notify(cert, "returned")
    return cert
