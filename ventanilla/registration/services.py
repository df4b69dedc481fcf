"""Writes of the registration procedure. Web, API and back office all call these."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.accounts import one_time
from ventanilla.accounts.models import OneTimeSecret
from ventanilla.accounts.roles import serves_country
from ventanilla.affiliation import services as affiliation_services
from ventanilla.cases import services as cases
from ventanilla.cases.models import CaseKind, CaseStatus
from ventanilla.core.audit import audit_record
from ventanilla.core.channels import Channel
from ventanilla.core.counters import counter_next
from ventanilla.core.errors import PermissionDenied, ValidationFailed
from ventanilla.core.text import clean_text, email_clean
from ventanilla.countries.registry import get_pack
from ventanilla.notifications import tasks as notify
from ventanilla.people import selectors as people_selectors
from ventanilla.people import services as people

from . import rules
from .errors import (
    AlreadyRegistered,
    DecisionNotAllowed,
    EmailNotConfirmed,
    Incomplete,
    NotEditable,
)
from .models import ACTIVE_STATUSES, Application, ApplicationDocument
from .selectors import application_checklist, application_missing

EDITABLE_STATUSES = (CaseStatus.DRAFT,)
UPLOAD_STATUSES = (CaseStatus.DRAFT, CaseStatus.ACTION_REQUIRED)


def _staff(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False) and actor.is_staff


def application_audit(actor, action: str, application: Application, **details) -> None:
    """Record a staff member's read or change of an application (no-op for applicants)."""
    if _staff(actor):
        audit_record(actor=actor, action=action, obj=application,
                     subject_ref=application.subject_ref, channel=application.channel,
                     details={"reference": application.case.reference, **details})


def _today(country: str) -> date:
    return timezone.localtime(timezone.now(), get_pack(country).tz).date()


# --- starting and continuing ---------------------------------------------------------------

def application_start(*, country: str, channel: Channel, email: str = "", language: str = "es",
                      actor=None) -> Application:
    """Open a case and a draft application. Online, an e-mail code is sent at once."""
    get_pack(country)  # refuses an unknown country
    if channel == Channel.IN_PERSON and not (
            actor and actor.has_perm("registration.register_in_person")
            and serves_country(actor, country)):
        raise PermissionDenied()
    email = email_clean(email)
    if channel != Channel.IN_PERSON and not email:
        raise ValidationFailed(_("Enter your e-mail address"), field="email")
    with transaction.atomic():
        case = cases.case_open(kind=CaseKind.REGISTRATION, country=country, channel=channel,
                               opened_by=actor)
        application = Application.objects.create(
            case=case, country=country, channel=channel, email=email,
            language=language if language in ("es", "en") else "es",
            created_by=actor if _staff(actor) else None,
        )
        application_audit(actor, "application.create", application)
    if channel != Channel.IN_PERSON:
        application_send_email_code(application=application)
    return application


def application_send_email_code(*, application: Application) -> None:
    code = one_time.code_issue(
        purpose=OneTimeSecret.Purpose.EMAIL_CODE, subject=str(application.public_id),
        email=application.email, ttl=timedelta(minutes=settings.EMAIL_CODE_TTL_MINUTES))
    transaction.on_commit(lambda: notify.send_email_code.enqueue(
        email=application.email, code=code, language=application.language,
        reference=application.case.reference))


def application_confirm_email(*, application: Application, code: str) -> Application:
    one_time.code_redeem(purpose=OneTimeSecret.Purpose.EMAIL_CODE,
                         subject=str(application.public_id), code=code)
    application.email_verified_at = timezone.now()
    application.save(update_fields=["email_verified_at", "updated_at"])
    cases.case_add_event(case=application.case, code="email_verified", channel=application.channel)
    return application


def application_send_resume_link(*, application: Application) -> None:
    """E-mail a one-time link that opens the unfinished application (no password exists yet)."""
    if not application.email or application.status not in UPLOAD_STATUSES:
        return
    token = one_time.token_issue(
        purpose=OneTimeSecret.Purpose.RESUME_LINK, subject=str(application.public_id),
        email=application.email, ttl=timedelta(hours=settings.RESUME_LINK_TTL_HOURS))
    transaction.on_commit(lambda: notify.send_resume_link.enqueue(
        email=application.email, token=token, language=application.language,
        reference=application.case.reference))


def application_send_resume_links(*, email: str, reference: str = "") -> int:
    """E-mail a link for each unfinished application of this address (at most 5), or only
    for the one with this reference. Returns how many were sent; callers must not tell."""
    from ventanilla.cases.rules import reference_normalise

    apps = Application.objects.select_related("case").filter(
        email=clean_text(email).lower(), status__in=UPLOAD_STATUSES).order_by("-created_at")
    if reference:
        apps = apps.filter(case__reference=reference_normalise(reference))
    sent = 0
    with transaction.atomic():
        for app in apps[:5]:
            application_send_resume_link(application=app)
            sent += 1
    return sent


def application_resume(*, token: str) -> Application:
    row = one_time.token_redeem(purpose=OneTimeSecret.Purpose.RESUME_LINK, token=token)
    application = Application.objects.select_related("case").get(public_id=row.subject)
    if application.email_verified_at is None:
        # Opening the link proves the address as well as the code would.
        application.email_verified_at = timezone.now()
        application.save(update_fields=["email_verified_at", "updated_at"])
    return application


def application_issue_api_token(*, application: Application) -> str:
    token = secrets.token_urlsafe(32)
    application.access_token_hash = hashlib.sha256(token.encode()).hexdigest()
    application.save(update_fields=["access_token_hash", "updated_at"])
    return token


# --- answers -------------------------------------------------------------------------------

ANSWER_FIELDS = (
    "given_names", "family_names", "date_of_birth", "nationality", "id_type", "id_number",
    "mobile_phone", "subdivision_code", "street", "employed_locally",
    "has_previous_health_card", "documents_in_other_language", "residency_document",
    "social_security_number", "email", "affiliation_type",
)


def _clean_answers(application: Application, answers: dict) -> dict:
    """Validate answers against the rules and the country pack. All errors at once."""
    pack = get_pack(application.country)
    cleaned: dict = {}
    errors: dict = {}

    def attempt(name, fn):
        try:
            cleaned.update(fn())
        except ValidationFailed as exc:
            for f, msg in (exc.fields or {name: exc.message}).items():
                errors.setdefault(f, msg)

    for name in ("given_names", "family_names"):
        if name in answers:
            attempt(name, lambda n=name: {n: rules.name_check(answers[n], field=n)})
    if "date_of_birth" in answers:
        attempt("date_of_birth", lambda: {"date_of_birth": rules.date_of_birth_check(
            answers["date_of_birth"], today=_today(application.country))})
    if "nationality" in answers:
        def nationality():
            from ventanilla.core.i18n import country_names
            code = (answers["nationality"] or "").upper()
            if code not in country_names("en"):
                raise ValidationFailed(_("Select your nationality"), field="nationality")
            return {"nationality": code}
        attempt("nationality", nationality)
    if "id_type" in answers or "id_number" in answers:
        def identity():
            id_type = answers.get("id_type", application.id_type)
            if not id_type:
                raise ValidationFailed(_("Select the type of identity document"),
                                       field="id_type")
            pack.id_type(id_type)
            out = {"id_type": id_type}
            if "id_number" in answers:
                number = pack.validate_id(id_type, answers["id_number"])
                _ensure_not_duplicate(application, id_type, number)
                out["id_number"] = number
            elif application.id_type != id_type:
                out["id_number"] = ""  # the old number belonged to another document type
            return out
        attempt("id_number", identity)
    if "mobile_phone" in answers:
        def phone():
            p = pack.validate_mobile(answers["mobile_phone"] or "")
            return {"mobile_phone": p.e164, "carrier": p.carrier}
        attempt("mobile_phone", phone)
    if "subdivision_code" in answers:
        def place():
            code = answers["subdivision_code"] or ""
            if not pack.geography.is_leaf(code):
                raise ValidationFailed(
                    _("Select your %(level)s") % {
                        "level": str(pack.geography.level_labels[-1]).lower()},
                    field="subdivision_code")
            return {"subdivision_code": code}
        attempt("subdivision_code", place)
    if "street" in answers:
        def street():
            value = clean_text(answers["street"])
            if not value:
                raise ValidationFailed(_("Enter your street address"), field="street")
            if len(value) > 200:
                raise ValidationFailed(_("Street address must be 200 characters or fewer"),
                                       field="street")
            return {"street": value}
        attempt("street", street)
    if "affiliation_type" in answers:
        def affiliation():
            kind = pack.affiliation_type(answers["affiliation_type"] or "")
            if kind is None or kind.is_dependant:
                raise ValidationFailed(_("Select how you will be insured"),
                                       field="affiliation_type")
            return {"affiliation_type": kind.code}
        attempt("affiliation_type", affiliation)
    for flag in ("employed_locally", "has_previous_health_card", "documents_in_other_language"):
        if flag in answers:
            cleaned[flag] = bool(answers[flag])
    for text in ("residency_document", "social_security_number"):
        if text in answers:
            cleaned[text] = clean_text(answers[text], max_length=60)
    if "email" in answers:
        attempt("email", lambda: {"email": email_clean(answers["email"])})
    if errors:
        first = next(iter(errors.values()))
        raise ValidationFailed(first, fields=errors)
    return cleaned


def _ensure_not_duplicate(application: Application, id_type: str, id_number: str) -> None:
    if people_selectors.person_is_registered(country=application.country, id_type=id_type,
                                             id_number=id_number):
        raise AlreadyRegistered(field="id_number")
    clash = Application.objects.filter(
        country=application.country, id_type=id_type, id_number=id_number,
        status__in=ACTIVE_STATUSES).exclude(pk=application.pk).exists()
    if clash:
        raise AlreadyRegistered(field="id_number")


def application_update(*, application: Application, answers: dict, actor=None) -> Application:
    unknown = set(answers) - set(ANSWER_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown field"), fields={f: _("Unknown field") for f in unknown})
    if application.status not in EDITABLE_STATUSES:
        raise NotEditable()
    cleaned = _clean_answers(application, answers)
    if {"employed_locally", "has_previous_health_card",
            "documents_in_other_language"} & set(answers):
        cleaned["situation_answered"] = True
    for key, value in cleaned.items():
        setattr(application, key, value)
    with transaction.atomic():
        application.save()
        if "id_number" in cleaned or "id_type" in cleaned:
            cases.case_set_subject(case=application.case, id_type=application.id_type,
                                   id_number=application.id_number)
        application_audit(actor, "application.update", application, fields=sorted(cleaned))
    return application


# --- documents ----------------------------------------------------------------------------

def document_upload(*, application: Application, kind: str, data: bytes, filename: str,
                    actor=None) -> ApplicationDocument:
    pack = get_pack(application.country)
    if application.status not in UPLOAD_STATUSES:
        raise NotEditable()
    if application.channel != Channel.IN_PERSON and application.email_verified_at is None:
        raise EmailNotConfirmed()
    doc_kind = pack.document_kind(kind)
    if doc_kind is None or doc_kind.provided_by_form:
        raise ValidationFailed(_("Choose which document this is"), field="kind")
    content_type = rules.upload_check(data=data, max_bytes=settings.UPLOAD_MAX_BYTES)
    data, content_type = rules.image_normalise(data, content_type)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        previous = locked.documents.filter(kind=kind, is_current=True).first()
        if previous is not None:
            if locked.status == CaseStatus.DRAFT:
                previous.file.delete(save=False)
                previous.delete()
            elif previous.status == ApplicationDocument.Status.ACCEPTED:
                raise NotEditable(_("This document was accepted and does not need replacing."))
            else:
                previous.is_current = False
                previous.save(update_fields=["is_current", "updated_at"])
        doc = ApplicationDocument(
            application=locked, kind=kind, original_name=clean_text(filename, max_length=200),
            content_type=content_type, size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor if _staff(actor) else None,
        )
        doc.file.save(f"{doc.public_id}.{rules.ALLOWED_CONTENT_TYPES[content_type]}",
                      ContentFile(data), save=False)
        doc.save()
        if previous is not None and locked.status == CaseStatus.ACTION_REQUIRED:
            cases.case_add_event(case=locked.case, code="document_replaced",
                                 channel=locked.channel, params={"document_kind": kind})
        application_audit(actor, "document.upload", locked, kind=kind)
    return doc


def document_remove(*, application: Application, document_id, actor=None) -> None:
    if application.status != CaseStatus.DRAFT:
        raise NotEditable()
    doc = application.documents.filter(public_id=document_id, is_current=True).first()
    if doc is not None:
        doc.file.delete(save=False)
        doc.delete()
        application_audit(actor, "document.remove", application, kind=doc.kind)


# --- submitting ---------------------------------------------------------------------------

def application_submit(*, application: Application, declaration: bool, actor=None
                       ) -> Application:
    """Send a complete application for review, or send back replaced documents."""
    pack = get_pack(application.country)
    with transaction.atomic():
        app = Application.objects.select_for_update().select_related("case").get(
            pk=application.pk)
        if app.status not in UPLOAD_STATUSES:
            raise NotEditable()
        missing = application_missing(app)
        if missing:
            raise Incomplete(fields=missing)
        if app.status == CaseStatus.ACTION_REQUIRED:
            app.status = CaseStatus.IN_REVIEW
            app.save(update_fields=["status", "updated_at"])
            cases.case_set_status(case=app.case, status=CaseStatus.IN_REVIEW,
                                  code="resubmitted", actor=actor, channel=app.channel)
            application_audit(actor, "application.resubmit", app)
            return app
        if not declaration:
            raise Incomplete(fields={"declaration": _(
                "Confirm that the information you gave is true")})
        if people_selectors.person_is_registered(country=app.country, id_type=app.id_type,
                                                 id_number=app.id_number):
            raise AlreadyRegistered(field="id_number")
        now = timezone.now()
        app.status = CaseStatus.SUBMITTED
        app.declaration_accepted_at = now
        app.submitted_at = now
        app.due_on = pack.add_working_days(_today(app.country),
                                           pack.registration_due_working_days)
        try:
            with transaction.atomic():
                app.save()
        except IntegrityError as exc:  # another active application holds this ID
            raise AlreadyRegistered(field="id_number") from exc
        cases.case_set_status(case=app.case, status=CaseStatus.SUBMITTED, code="submitted",
                              actor=actor, channel=app.channel, due_on=app.due_on)
        application_audit(actor, "application.submit", app)
        transaction.on_commit(lambda: notify.send_application_event.enqueue(
            application_id=str(app.public_id), event="submitted"))
    return app


# --- review (back office) -----------------------------------------------------------------

def _ensure_reviewer(actor, application: Application) -> None:
    if not (actor and actor.is_authenticated and actor.has_perm(
            "registration.review_application")):
        raise PermissionDenied()
    if not serves_country(actor, application.country):
        raise PermissionDenied()


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
    """R-REG-04: accept a document, or reject it with a reason the applicant will read."""
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
        transaction.on_commit(lambda: notify.send_application_event.enqueue(
            application_id=str(app.public_id), event="changes_requested"))
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
        today = _today(app.country)
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
        transaction.on_commit(lambda: notify.send_application_event.enqueue(
            application_id=str(app.public_id), event="approved"))
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
        transaction.on_commit(lambda: notify.send_application_event.enqueue(
            application_id=str(app.public_id), event="rejected"))
    return app
