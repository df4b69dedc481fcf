"""Reads of the registration procedure."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.cases.models import CaseStatus
from ventanilla.cases.rules import reference_is_well_formed, reference_normalise
from ventanilla.core.channels import Channel
from ventanilla.countries.registry import get_pack

from . import rules
from .errors import ApplicationNotFound
from .models import Application, ApplicationDocument

REVIEW_QUEUE_STATUSES = (CaseStatus.SUBMITTED, CaseStatus.IN_REVIEW)


def application_situation(app: Application):
    pack = get_pack(app.country)
    return rules.situation_for(
        pack, id_type=app.id_type, nationality=app.nationality,
        employed_locally=app.employed_locally,
        has_previous_health_card=app.has_previous_health_card,
        documents_in_other_language=app.documents_in_other_language)


def application_checklist(app: Application) -> list[rules.ChecklistItem]:
    current = {
        d.kind: (str(d.public_id), d.status, d.rejection_reason)
        for d in app.documents.filter(is_current=True)
    }
    return rules.checklist(get_pack(app.country), application_situation(app), current)


REQUIRED_ANSWERS = {
    "given_names": _("Enter your given names"),
    "family_names": _("Enter your family names"),
    "date_of_birth": _("Enter your date of birth"),
    "nationality": _("Select your nationality"),
    "id_type": _("Select the type of identity document"),
    "id_number": _("Enter the number of your identity document"),
    "mobile_phone": _("Enter your mobile phone number"),
    "subdivision_code": _("Select where you live"),
    "street": _("Enter your street address"),
    "email": _("Enter your e-mail address"),
    "affiliation_type": _("Select how you will be insured"),
}


def application_missing_answers(app: Application) -> dict:
    missing = {f: msg for f, msg in REQUIRED_ANSWERS.items() if not getattr(app, f)}
    if app.channel == Channel.IN_PERSON:
        missing.pop("email", None)  # at the counter the person may have no e-mail
    if not app.situation_answered:
        missing["situation"] = _("Answer the questions about your situation")
    return missing


def application_missing(app: Application) -> dict:
    """Everything still needed before the application can be submitted, by field."""
    missing = application_missing_answers(app)
    for item in application_checklist(app):
        if item.blocks_submission:
            if item.status == "rejected":
                msg = _("Replace the rejected document: %(doc)s") % {"doc": item.kind.label}
            else:
                msg = _("Upload this document: %(doc)s") % {"doc": item.kind.label}
            missing[f"document:{item.kind.code}"] = msg
    return missing


def application_get(public_id) -> Application:
    try:
        return Application.objects.select_related("case").get(public_id=public_id)
    except (Application.DoesNotExist, ValueError, TypeError) as exc:
        raise ApplicationNotFound() from exc


def application_get_by_reference(reference: str) -> Application:
    reference = reference_normalise(reference)
    if not reference_is_well_formed(reference):
        raise ApplicationNotFound()
    app = Application.objects.select_related("case").filter(case__reference=reference).first()
    if app is None:
        raise ApplicationNotFound()
    return app


def applicant_token_known(token: str) -> bool:
    """Whether an application was given this bearer token (a forged or mistyped one is the
    API's 401; ``application_get_for_token`` then ties it to one reference)."""
    if not token:
        return False
    digest = hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
    return Application.objects.filter(access_token_hash=digest).exists()


def application_get_for_token(reference: str, token: str) -> Application:
    """An applicant's API access: the reference plus the bearer token given at creation."""
    reference = reference_normalise(reference)
    if not reference_is_well_formed(reference):
        raise ApplicationNotFound()
    digest = hashlib.sha256((token or "").encode()).hexdigest()
    app = (Application.objects.select_related("case")
           .filter(case__reference=reference, access_token_hash=digest).first())
    if app is None or not token:
        raise ApplicationNotFound()
    return app


def review_queue(*, country: str | None = None, status: str | None = None,
                 overdue_only: bool = False, actor: Any = None) -> QuerySet[Application]:
    """Oldest due first (R-REG-05). Staff of one country see only that country's."""
    actor_country: str = getattr(actor, "country", None) or ""
    if actor_country:
        country = actor_country
    qs = (Application.objects.select_related("case")
          .filter(status__in=REVIEW_QUEUE_STATUSES)
          .order_by("due_on", "submitted_at"))
    if country:
        qs = qs.filter(country=country)
    if status:
        qs = qs.filter(status=status)
    if overdue_only:
        qs = qs.filter(due_on__lt=timezone.localdate())
    return qs


def is_overdue(app: Application) -> bool:
    pack = get_pack(app.country)
    today = timezone.localtime(timezone.now(), pack.tz).date()
    return rules.is_overdue(app.due_on, today=today)


def document_get(app: Application, document_id) -> ApplicationDocument:
    try:
        return app.documents.get(public_id=document_id)
    except (ApplicationDocument.DoesNotExist, ValueError, TypeError) as exc:
        raise ApplicationNotFound(_("Document not found.")) from exc
