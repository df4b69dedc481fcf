"""Registration API: thin adapters over registration.services."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import get_language
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from ventanilla.accounts.api.auth import StaffSession, actor_of
from ventanilla.accounts.authz import staff_acting
from ventanilla.cases.models import CaseStatus
from ventanilla.core.api_contract import errors
from ventanilla.core.channels import Channel
from ventanilla.core.errors import PermissionDenied
from ventanilla.registration.api.auth import ApplicantToken

from .. import selectors, services
from ..errors import ApplicationNotFound
from ..models import Application
from .schemas import (
    AnswersIn,
    CodeIn,
    ReasonIn,
    RegistrationCreatedOut,
    RegistrationIn,
    RegistrationOut,
    RegistrationQueueItemOut,
    ReviewIn,
    SubmitIn,
)

router = Router(tags=["registrations"])
_either = [ApplicantToken(), StaffSession()]


def _load(request, reference: str, *, staff_perm: str = "registration.view_application"
          ) -> Application:
    actor = actor_of(request)
    if actor is not None:
        staff_acting(actor, perm=staff_perm, country=None)
        app = selectors.application_get_by_reference(reference)
        staff_acting(actor, perm=staff_perm, country=app.country,
                     other_country=ApplicationNotFound)
        services.application_audit(actor, "application.view", app)
        return app
    return selectors.application_get_for_token(reference, getattr(request, "applicant_token", ""))


def registration_out(app: Application) -> dict:
    return {
        "reference": app.case.reference,
        "country": app.country,
        "status": app.status,
        "status_label": str(CaseStatus(app.status).label),
        "channel": app.channel,
        "email": app.email,
        "email_confirmed": app.email_verified_at is not None,
        **{f: getattr(app, f) for f in (
            "given_names", "family_names", "date_of_birth", "nationality", "id_type",
            "id_number", "mobile_phone", "carrier", "subdivision_code", "street",
            "employed_locally", "has_previous_health_card", "documents_in_other_language",
            "affiliation_type", "submitted_at", "due_on")},
        "registration_number": app.person.registration_number if app.person else None,
        "checklist": [
            {"kind": i.kind.code, "label": str(i.kind.label), "required": i.kind.required,
             "status": i.status, "document_id": i.document_id,
             "rejection_reason": i.rejection_reason}
            for i in selectors.application_checklist(app)
        ],
        "missing": {k: str(v) for k, v in selectors.application_missing(app).items()},
        "documents": [
            {"id": str(d.public_id), "kind": d.kind, "original_name": d.original_name,
             "content_type": d.content_type, "size": d.size, "status": d.status,
             "rejection_reason": d.rejection_reason, "uploaded_at": d.created_at}
            for d in app.documents.filter(is_current=True)
        ],
    }


@router.post("", response={201: RegistrationCreatedOut, **errors(403, 404, 409, 429)}, auth=None)
def registration_create(request, payload: RegistrationIn):
    """Start an application. Online, a 6-digit code is e-mailed: confirm it before uploading.

    Nothing is saved when any answer is invalid.
    """
    actor = None
    if payload.in_person:  # staff at a counter: their session, CSRF-checked
        actor = StaffSession()(request)
        if actor is None:
            raise PermissionDenied()
    channel = Channel.IN_PERSON if payload.in_person else Channel.API
    answers = payload.dict(exclude_unset=True, exclude={"country", "language", "in_person"})
    answers = {k: v for k, v in answers.items() if v is not None}
    email = answers.pop("email", "")
    with transaction.atomic():
        app = services.application_start(
            country=payload.country, channel=channel, email=email,
            language=payload.language or get_language(), actor=actor)
        if email:
            answers["email"] = email
        if answers:
            services.application_update(application=app, answers=answers, actor=actor)
        token = services.application_issue_api_token(application=app)
    return Status(201, {**registration_out(app), "access_token": token})


@router.get("/{reference}", response=RegistrationOut, auth=_either)
def registration_get(request, reference: str):
    return registration_out(_load(request, reference))


@router.patch("/{reference}", response={200: RegistrationOut, **errors(409)}, auth=_either)
def registration_update(request, reference: str, payload: AnswersIn):
    """Change answers while the application is a draft."""
    app = _load(request, reference, staff_perm="registration.register_in_person")
    answers = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    with transaction.atomic():
        services.application_update(application=app, answers=answers, actor=actor_of(request))
    return registration_out(app)


@router.post("/{reference}/email-confirmation", response={200: RegistrationOut, **errors(409, 429)},
             auth=_either)
def registration_confirm_email(request, reference: str, payload: CodeIn):
    app = _load(request, reference)
    services.application_confirm_email(application=app, code=payload.code)
    return registration_out(app)


@router.post("/{reference}/email-code", response={202: dict, **errors(409, 429)}, auth=_either)
def registration_resend_code(request, reference: str):
    app = _load(request, reference)
    with transaction.atomic():
        services.application_send_email_code(application=app)
    return Status(202, {"sent": True})


@router.post("/{reference}/documents", response={201: RegistrationOut, **errors(409)}, auth=_either)
def registration_upload(request, reference: str, file: File[UploadedFile],
                        kind: str = Form(..., max_length=32),
                        side: str = Form("front", max_length=5, pattern="^(front|back)$")):
    """Upload one document (PDF, JPEG or PNG, at most 10 MB; the type is read from the
    content). Uploading the same kind again replaces it. ``side=back``: the back of a
    two-sided document (the country's ``sides``), with the same checks."""
    app = _load(request, reference, staff_perm="registration.register_in_person")
    data = file.read(settings.UPLOAD_MAX_BYTES + 1)
    services.document_upload(application=app, kind=kind, data=data, filename=file.name or "",
                             actor=actor_of(request), back=side == "back")
    return Status(201, registration_out(app))


@router.post("/{reference}/submit", response={200: RegistrationOut, **errors(409)}, auth=_either)
def registration_submit(request, reference: str, payload: SubmitIn):
    """Submit for review (or send replaced documents back). Refused with the list of
    what is missing."""
    app = _load(request, reference, staff_perm="registration.register_in_person")
    app = services.application_submit(application=app, declaration=payload.declaration,
                                      actor=actor_of(request))
    return registration_out(app)


# --- reviewers -----------------------------------------------------------------------------

def _reviewer_app(request, reference: str) -> Application:
    return _load(request, reference, staff_perm="registration.review_application")


@router.get("/review/queue", response=list[RegistrationQueueItemOut], auth=StaffSession())
def review_queue(request, country: str | None = None, overdue: bool = False):
    """Applications waiting for review, oldest due first."""
    actor = staff_acting(request.auth, perm="registration.review_application",
                         country=None)  # the queue is filtered by the actor's country
    apps = selectors.review_queue(country=country, overdue_only=overdue, actor=actor)[:200]
    return [
        {"reference": a.case.reference, "country": a.country, "status": a.status,
         "full_name": a.full_name, "submitted_at": a.submitted_at, "due_on": a.due_on,
         "overdue": selectors.is_overdue(a)}
        for a in apps
    ]


@router.post("/{reference}/documents/{document_id}/review",
             response={200: RegistrationOut, **errors(409)},
             auth=StaffSession())
def document_review(request, reference: str, document_id: str, payload: ReviewIn):
    app = _reviewer_app(request, reference)
    doc = selectors.document_get(app, document_id)
    services.document_review(document=doc, accept=payload.accept, reason=payload.reason,
                             actor=request.auth)
    app.refresh_from_db()
    return registration_out(app)


@router.post("/{reference}/request-changes", response={200: RegistrationOut, **errors(409)},
             auth=StaffSession())
def request_changes(request, reference: str):
    app = services.application_request_changes(application=_reviewer_app(request, reference),
                                               actor=request.auth)
    return registration_out(app)


@router.post("/{reference}/approve", response={200: RegistrationOut, **errors(409)},
             auth=StaffSession())
def approve(request, reference: str):
    app = services.application_approve(application=_reviewer_app(request, reference),
                                       actor=request.auth)
    return registration_out(app)


@router.post("/{reference}/reject", response={200: RegistrationOut, **errors(409)},
             auth=StaffSession())
def reject(request, reference: str, payload: ReasonIn):
    app = services.application_reject(application=_reviewer_app(request, reference),
                                      reason=payload.reason, actor=request.auth)
    return registration_out(app)
