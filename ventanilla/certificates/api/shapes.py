"""The answers of the certificates API as plain data, in the shapes of ``schemas``."""

from __future__ import annotations

from datetime import date

from .. import rules, selectors
from ..checks import Checked
from ..icd10 import icd10_lookup
from ..models import Certificate
from ..services import Verified

_TYPED = ("channel", "doctor_name", "doctor_specialty", "establishment", "doctor_email",
          "doctor_registration", "establishment_phone", "establishment_address", "issued_on",
          "issued_place", "issued_country", "language", "patient_names", "patient_id_number",
          "diagnosis", "icd10_code", "admitted_on", "discharged_on", "procedure",
          "delivered_on", "live_birth", "pregnancy_weeks", "baby_sex", "late_reason",
          "decision_note")


def summary_out(cert: Certificate) -> dict:
    return {
        "reference": cert.case.reference, "status": cert.status,
        "status_label": str(Certificate.Status(cert.status).label),
        "kind": cert.kind, "kind_label": str(Certificate.Kind(cert.kind).label),
        "source": cert.source,
        "patient": {"id": cert.patient.public_id, "full_name": cert.patient.full_name},
        "rest_start": cert.rest_start, "rest_end": cert.rest_end, "rest_days": cert.rest_days,
        "due_on": cert.due_on, "submitted_at": cert.created_at, "decided_at": cert.decided_at,
        "official_number": cert.official_number or None,
    }


def certificate_out(cert: Certificate) -> dict:
    """The whole certificate: for its person (their own data) and for a validator."""
    files = sorted(selectors.current_files(cert).values(), key=lambda f: f.created_at)
    return {
        **summary_out(cert),
        **{name: getattr(cert, name) for name in _TYPED},
        "icd10_description": icd10_lookup(cert.icd10_code).description,
        "flags": [{"field": f.get("field", ""), "message": message}
                  for f, message in zip(cert.flags or [], cert.flag_messages, strict=True)],
        "rejection_reasons": [{"code": code,
                               "label": str(rules.REJECTION_REASONS.get(code, code))}
                              for code in cert.rejection_reasons or []],
        "files": [{"id": f.public_id, "role": f.role, "original_name": f.original_name,
                   "content_type": f.content_type, "size": f.size, "pages": f.pages,
                   "uploaded_at": f.created_at} for f in files],
    }


def check_out(checked: Checked) -> dict:
    answer = checked.icd10
    return {
        "ok": checked.ok,
        "findings": [{"field": f.field, "message": str(f.message), "blocking": f.blocking}
                     for f in checked.findings],
        "icd10": ({"code": answer.code, "description": answer.description}
                  if answer is not None and answer.code else None),
        "deadline": checked.deadline.last_day if checked.deadline else None,
        "late": checked.late, "in_person": checked.in_person,
        "becomes_official": checked.becomes_official,
    }


def queue_item_out(cert: Certificate, *, today: date) -> dict:
    return {
        "reference": cert.case.reference, "kind": cert.kind,
        "kind_label": str(Certificate.Kind(cert.kind).label), "status": cert.status,
        "status_label": str(Certificate.Status(cert.status).label),
        "patient_name": cert.patient.full_name, "establishment": cert.establishment,
        "rest_start": cert.rest_start, "rest_end": cert.rest_end, "rest_days": cert.rest_days,
        "submitted_at": cert.created_at, "due_on": cert.due_on,
        "overdue": bool(cert.status == Certificate.Status.SUBMITTED and cert.due_on
                        and cert.due_on < today),
        "flags": len(cert.flags or []),
    }


def verified_out(seen: Verified) -> dict:
    """What the employer sees (``Verified`` holds no diagnosis to leave out)."""
    return {
        "reference": seen.reference, "validated": seen.validated, "status": seen.status,
        "status_label": seen.status_label, "rest_start": seen.rest_start,
        "rest_end": seen.rest_end, "rest_days": seen.rest_days,
        "validated_on": seen.validated_on, "official_number": seen.official_number or None,
    }
