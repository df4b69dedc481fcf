"""The back office's review: open, accept or reject documents, send back, approve, reject."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.accounts.authz import staff_acting
from ventanilla.affiliation import services as affiliation_services
from ventanilla.cases import services as cases
from ventanilla.cases.models import CaseStatus
from ventanilla.core.channels import Channel
from ventanilla.core.counters import counter_next
from ventanilla.core.errors import ValidationFailed
from ventanilla.core.text import clean_text
from ventanilla.countries.registry import get_pack
from ventanilla.people import services as people

from .. import rules, tasks
from ..errors import DecisionNotAllowed
from ..models import Application, ApplicationDocument
from ..selectors import application_checklist
from .applications import application_send_resume_link
from .shared import application_audit, local_today


def _ensure_reviewer(actor, application: Application) -> None:
    staff_acting(actor, perm="registration.review_application", country=application.country)


def application_open_for_review(*, application: Application, actor) -> Application:
    """A reviewer opens an application: audited; a submitted one moves into review."""
    _ensure_reviewer(actor, application)
    application_audit(actor, "application.view", application)
    if application.status == CaseStatus.SUBMITTED:
        with transaction.atomic():
            application.status = CaseStatus.IN_REVIEW
            application.save(update_fields=["status", "updated_at"])
            cases.case_set_status(case=application.case, status=CaseStatus.IN_REVIEW,
                                  code="review_started", actor=actor,
                                  channel=Channel.BACK_OFFICE)
    return application


def document_review(*, document: ApplicationDocument, accept: bool, reason: str = "",
                    actor) -> ApplicationDocument:
    """R-REG-04: accept a document, or reject it with a reason the applicant will read. The
    decision covers the back of a two-sided document too (``rules.back_kind``): one item of
    the checklist, one decision, one line of history."""
    app = Application.objects.select_related("case").get(pk=document.application_id)
    _ensure_reviewer(actor, app)
    if app.status not in (CaseStatus.SUBMITTED, CaseStatus.IN_REVIEW) or not document.is_current:
        raise DecisionNotAllowed(_("This document cannot be reviewed now."))
    reason = clean_text(reason, multiline=True)
    if not accept and not reason:
        raise ValidationFailed(_("Enter the reason for rejecting this document"), field="reason")
    with transaction.atomic():
        document.status = (ApplicationDocument.Status.ACCEPTED if accept
                           else ApplicationDocument.Status.REJECTED)
        document.rejection_reason = "" if accept else reason[:1000]
        document.reviewed_by = actor
        document.reviewed_at = timezone.now()
        document.save()
        app.documents.filter(kind=rules.back_kind(document.kind), is_current=True).update(
            status=document.status, rejection_reason=document.rejection_reason,
            reviewed_by=actor, reviewed_at=document.reviewed_at, updated_at=timezone.now())
        if app.status == CaseStatus.SUBMITTED:
            application_open_for_review(application=app, actor=actor)
        cases.case_add_event(
            case=app.case, code="document_accepted" if accept else "document_rejected",
            actor=actor, channel=Channel.BACK_OFFICE,
            params={"document_kind": document.kind, "reason": document.rejection_reason})
        application_audit(actor, "document.accept" if accept else "document.reject", app,
               kind=document.kind)
    return document


def application_request_changes(*, application: Application, actor) -> Application:
    """Send the application back: the applicant replaces the rejected documents only."""
    _ensure_reviewer(actor, application)
    with transaction.atomic():
        app = Application.objects.select_for_update().select_related("case").get(
            pk=application.pk)
        if app.status not in (CaseStatus.SUBMITTED, CaseStatus.IN_REVIEW):
            raise DecisionNotAllowed(_("This application is not waiting for review."))
        if not app.documents.filter(is_current=True,
                                    status=ApplicationDocument.Status.REJECTED).exists():
            raise DecisionNotAllowed(_("Reject at least one document before sending the "
                                       "application back."))
        app.status = CaseStatus.ACTION_REQUIRED
        app.save(update_fields=["status", "updated_at"])
        cases.case_set_status(case=app.case, status=CaseStatus.ACTION_REQUIRED,
                              code="changes_requested", actor=actor,
                              channel=Channel.BACK_OFFICE)
        application_audit(actor, "application.request_changes", app)
        application_send_resume_link(application=app)
        tasks.application_event_queue(app, "changes_requested")
    return app


def registration_number_issue(*, country: str, on: date) -> str:
    """The next registration number of the country, in its pack's format. Every way of
    registering a person (an approved application, an approved dependant) draws here."""
    return get_pack(country).registration_number(counter_next(f"registration:{country}"), on)


def application_approve(*, application: Application, actor) -> Application:
    """Approve: the person is registered and gets a registration number and card."""
    _ensure_reviewer(actor, application)
    with transaction.atomic():
        app = Application.objects.select_for_update().select_related("case").get(
            pk=application.pk)
        if app.status not in (CaseStatus.SUBMITTED, CaseStatus.IN_REVIEW):
            raise DecisionNotAllowed(_("This application is not waiting for review."))
        pending = [item for item in application_checklist(app)
                   if item.kind.required and item.status not in ("accepted", "provided")]
        if pending:
            raise DecisionNotAllowed(
                _("Accept every required document before approving."),
                fields={f"document:{i.kind.code}": i.kind.label for i in pending})
        today = local_today(app.country)
        assert app.date_of_birth is not None  # application_missing() guaranteed it
        number = registration_number_issue(country=app.country, on=today)
        person = people.person_register(
            country=app.country, id_type=app.id_type, id_number=app.id_number,
            given_names=app.given_names, family_names=app.family_names,
            date_of_birth=app.date_of_birth, nationality=app.nationality, email=app.email,
            mobile_phone=app.mobile_phone, carrier=app.carrier,
            subdivision_code=app.subdivision_code, street=app.street,
            residency_document=app.residency_document, language=app.language,
            registration_number=number)
        affiliation = affiliation_services.affiliation_open_on_registration(
            person=person, affiliation_type=app.affiliation_type, starts_on=today, actor=actor)
        app.status = CaseStatus.APPROVED
        app.person = person
        app.decided_at = timezone.now()
        app.decided_by = actor
        app.save()
        cases.case_set_subject(case=app.case, id_type=app.id_type, id_number=app.id_number,
                               person=person)
        cases.case_set_status(case=app.case, status=CaseStatus.APPROVED, code="approved",
                              actor=actor, channel=Channel.BACK_OFFICE,
                              params={"registration_number": number})
        application_audit(actor, "application.approve", app, registration_number=number,
               affiliation_number=affiliation.number)
        tasks.application_event_queue(app, "approved")
    return app


def application_reject(*, application: Application, reason: str, actor) -> Application:
    _ensure_reviewer(actor, application)
    reason = clean_text(reason, multiline=True)
    if not reason:
        raise ValidationFailed(_("Enter the reason for rejecting the application"),
                               field="reason")
    with transaction.atomic():
        app = Application.objects.select_for_update().select_related("case").get(
            pk=application.pk)
        if app.status not in (CaseStatus.SUBMITTED, CaseStatus.IN_REVIEW,
                              CaseStatus.ACTION_REQUIRED):
            raise DecisionNotAllowed(_("This application is not waiting for review."))
        app.status = CaseStatus.REJECTED
        app.decided_at = timezone.now()
        app.decided_by = actor
        app.decision_reason = reason[:2000]
        app.save()
        cases.case_set_status(case=app.case, status=CaseStatus.REJECTED, code="rejected",
                              actor=actor, channel=Channel.BACK_OFFICE,
                              params={"reason": app.decision_reason})
        application_audit(actor, "application.reject", app)
        tasks.application_event_queue(app, "rejected")
    return app
