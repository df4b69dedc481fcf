"""Starting, continuing, answering and submitting an application."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.accounts import one_time
from ventanilla.accounts.authz import staff_acting
from ventanilla.accounts.models import OneTimeSecret
from ventanilla.cases import services as cases
from ventanilla.cases.models import CaseKind, CaseStatus
from ventanilla.core.channels import Channel
from ventanilla.core.errors import ValidationFailed
from ventanilla.core.ratelimit import limit
from ventanilla.core.text import clean_text, email_clean
from ventanilla.countries.registry import get_pack
from ventanilla.people import selectors as people_selectors

from .. import rules, tasks
from ..errors import AlreadyRegistered, Incomplete, NotEditable
from ..models import ACTIVE_STATUSES, Application
from ..selectors import application_missing
from .shared import (
    EDITABLE_STATUSES,
    UPLOAD_STATUSES,
    application_audit,
    is_staff_actor,
    local_today,
)

# --- starting and continuing ---------------------------------------------------------------

def application_start(*, country: str, channel: Channel, email: str = "", language: str = "es",
                      actor=None) -> Application:
    """Open a case and a draft application. Online, an e-mail code is sent at once, and
    applications started are limited per client address on every channel."""
    get_pack(country)  # refuses an unknown country
    if channel == Channel.IN_PERSON:
        staff_acting(actor, perm="registration.register_in_person", country=country)
    email = email_clean(email)
    if channel != Channel.IN_PERSON and not email:
        raise ValidationFailed(_("Enter your e-mail address"), field="email")
    if channel != Channel.IN_PERSON:
        limit("registration.start")
    with transaction.atomic():
        case = cases.case_open(kind=CaseKind.REGISTRATION, country=country, channel=channel,
                               opened_by=actor)
        application = Application.objects.create(
            case=case, country=country, channel=channel, email=email,
            language=language if language in ("es", "en") else "es",
            created_by=actor if is_staff_actor(actor) else None,
        )
        application_audit(actor, "application.create", application)
        if channel != Channel.IN_PERSON:
            _email_code_send(application)
    return application


def application_send_email_code(*, application: Application) -> None:
    """A new code for the applicant's e-mail address (asked for again: limited per client
    address and per application on every channel)."""
    limit("registration.email_code")
    limit("registration.email_code.application", key=str(application.public_id))
    _email_code_send(application)


def _email_code_send(application: Application) -> None:
    code = one_time.code_issue(
        purpose=OneTimeSecret.Purpose.EMAIL_CODE, subject=str(application.public_id),
        email=application.email, ttl=timedelta(minutes=settings.EMAIL_CODE_TTL_MINUTES))
    tasks.email_code.queue(to=application.email, language=application.language, code=code,
                           reference=application.case.reference)


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
    tasks.resume_link.queue(to=application.email, language=application.language, token=token,
                            reference=application.case.reference)


def application_send_resume_links(*, email: str, reference: str = "") -> int:
    """E-mail a link for each unfinished application of this address (at most 5), or only
    for the one with this reference. Returns how many were sent; callers must not tell.
    Limited per client address on every channel."""
    from ventanilla.cases.rules import reference_normalise

    limit("registration.resume_link")
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
            answers["date_of_birth"], today=local_today(application.country))})
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
        app.due_on = pack.add_working_days(local_today(app.country),
                                           pack.registration_due_working_days)
        try:
            with transaction.atomic():
                app.save()
        except IntegrityError as exc:  # another active application holds this ID
            raise AlreadyRegistered(field="id_number") from exc
        cases.case_set_status(case=app.case, status=CaseStatus.SUBMITTED, code="submitted",
                              actor=actor, channel=app.channel, due_on=app.due_on)
        application_audit(actor, "application.submit", app)
        tasks.application_event_queue(app, "submitted")
    return app
