from __future__ import annotations

import hmac

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.accounts.authz import is_staff, staff_acting
from ventanilla.core.channels import Channel
from ventanilla.core.errors import NotFound, ValidationFailed
from ventanilla.core.ratelimit import limit
from ventanilla.core.text import clean_text
from ventanilla.countries.base import IdInvalid
from ventanilla.countries.registry import UnknownCountry, get_pack

from . import rules
from .models import CLOSED_STATUSES, Case, CaseEvent, CaseKind, CaseStatus


class CaseNotFound(NotFound):
    code = "CASE_NOT_FOUND"
    default_message = _("We could not find a case with this reference number and ID number. "
                        "Check both and try again.")


def case_open(*, kind: CaseKind, country: str, channel: Channel, opened_by=None,
              subject_id_type: str = "", subject_id_number: str = "") -> Case:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    reference=rules.reference_new(country), kind=kind, country=country,
                    channel=channel, opened_by=opened_by if _is_user(opened_by) else None,
                    subject_id_type=subject_id_type, subject_id_number=subject_id_number,
                )
        except IntegrityError:  # a reference collision: 32^8 makes it rare; draw again
            continue
        case_add_event(case=case, code="opened", actor=opened_by, channel=channel,
                       status=CaseStatus.DRAFT)
        return case
    raise RuntimeError("could not draw a unique case reference")


def _is_user(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def case_add_event(*, case: Case, code: str, actor=None, channel: str = "", status: str = "",
                   params: dict | None = None, public: bool = True) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, code=code, status=status, params=params or {},
        actor=actor if _is_user(actor) else None, channel=channel, public=public,
    )


def case_set_status(*, case: Case, status: CaseStatus, code: str, actor=None,
                    channel: str = "", params: dict | None = None, due_on=None) -> Case:
    case.status = status
    fields = ["status", "updated_at"]
    if status == CaseStatus.SUBMITTED and case.submitted_at is None:
        case.submitted_at = timezone.now()
        fields.append("submitted_at")
    if due_on is not None:
        case.due_on = due_on
        fields.append("due_on")
    if status in CLOSED_STATUSES:
        case.closed_at = timezone.now()
        fields.append("closed_at")
    case.save(update_fields=fields)
    case_add_event(case=case, code=code, actor=actor, channel=channel, status=status,
                   params=params)
    return case


def case_set_subject(*, case: Case, id_type: str, id_number: str, person=None) -> None:
    case.subject_id_type = id_type
    case.subject_id_number = id_number
    if person is not None:
        case.person = person
    case.save(update_fields=["subject_id_type", "subject_id_number", "person", "updated_at"])


def case_lookup(*, reference: str, id_number: str) -> Case:
    """The public status lookup (R-REG-06).

    A wrong pair and an unknown reference raise the same error, after the same work, so
    the answer tells nothing about which references exist; every channel shares one limit
    of attempts per client address (``cases.lookup``).
    """
    limit("cases.lookup")
    ref = rules.reference_normalise(reference)
    case = None
    if rules.reference_is_well_formed(ref):
        case = Case.objects.filter(reference=ref).exclude(status=CaseStatus.DRAFT).first()
    expected = case.subject_id_number if case else "0" * 10
    given = id_number or ""
    if case is not None and case.subject_id_type:
        try:
            given = get_pack(case.country).validate_id(case.subject_id_type, given)
        except (IdInvalid, UnknownCountry):
            given = ""
    if not hmac.compare_digest(expected.encode(), given.encode()) or case is None:
        raise CaseNotFound()
    return case


def case_get(reference: str) -> Case | None:
    ref = rules.reference_normalise(reference)
    if not rules.reference_is_well_formed(ref):
        return None
    return Case.objects.filter(reference=ref).first()


class NotAnInPersonMatter(ValidationFailed):
    code = "NOT_IN_PERSON_MATTER"
    default_message = _("This kind of matter is not handled as an in-person case.")


IN_PERSON_NOTICE = _("This cannot be solved by phone or online. Go to a service centre with "
                     "your identity document, your papers about the matter and this case "
                     "number. You may need legal advice.")


def case_open_in_person(*, person, kind: str, description: str, channel: Channel,
                        actor=None) -> Case:
    """R-AFF-03 / R-AFF-05: route a complex matter (a contribution error, a denied benefit,
    repeated rejection of a dependant, a visa conflict, an appeal) to an in-person case, and
    tell the person that legal advice may be needed."""
    if is_staff(actor):
        staff_acting(actor, perm="cases.add_case", country=person.country)
    if not rules.needs_in_person_visit(kind):
        raise NotAnInPersonMatter(field="kind")
    text = clean_text(description, max_length=2000, multiline=True)
    if not text:
        raise ValidationFailed(_("Describe the problem in a few words"), field="description")
    with transaction.atomic():
        case = case_open(kind=CaseKind(kind), country=person.country, channel=channel,
                         opened_by=actor, subject_id_type=person.id_type,
                         subject_id_number=person.id_number)
        case.person = person
        case.description = text
        case.save(update_fields=["person", "description", "updated_at"])
        case_set_status(case=case, status=CaseStatus.AWAITING_VISIT, code="routed_in_person",
                        actor=actor, channel=channel)
        if _is_user(actor):
            from ventanilla.core.audit import audit_record

            audit_record(actor=actor, action="case.open_in_person", obj=case,
                         subject_ref=person.subject_ref, channel=channel,
                         details={"kind": kind})
    return case
