"""What every registration service shares: the editable states, who counts as staff, the
audit of staff reads and changes, the country's date."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from ventanilla.accounts.authz import is_staff
from ventanilla.cases.models import CaseStatus
from ventanilla.core.audit import audit_record
from ventanilla.countries.registry import get_pack

from ..models import Application

EDITABLE_STATUSES = (CaseStatus.DRAFT,)
UPLOAD_STATUSES = (CaseStatus.DRAFT, CaseStatus.ACTION_REQUIRED)


is_staff_actor = is_staff


def application_audit(actor, action: str, application: Application, **details) -> None:
    """Record a staff member's read or change of an application (no-op for applicants)."""
    if is_staff_actor(actor):
        audit_record(actor=actor, action=action, obj=application,
                     subject_ref=application.subject_ref, channel=application.channel,
                     details={"reference": application.case.reference, **details})


def local_today(country: str) -> date:
    return timezone.localtime(timezone.now(), get_pack(country).tz).date()
