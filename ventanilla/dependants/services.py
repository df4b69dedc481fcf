"""Writes of the dependants procedure (R-DEP-01..03, R-AFF-05). Every channel calls these."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.dateparse import parse_date
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ventanilla.accounts.authz import is_staff, staff_acting
from ventanilla.affiliation import services as affiliation_services
from ventanilla.affiliation.models import Affiliation
from ventanilla.cases import services as cases
from ventanilla.cases.models import CLOSED_STATUSES, CaseKind, CaseStatus
from ventanilla.core.audit import audit_record
from ventanilla.core.channels import Channel
from ventanilla.core.errors import PermissionDenied, ValidationFailed
from ventanilla.core.text import clean_text
from ventanilla.countries.base import CountryPack
from ventanilla.countries.registry import get_pack
from ventanilla.people import selectors as people_selectors
from ventanilla.people import services as people

from . import rules, selectors, tasks
from .errors import (
    AlreadyCovered,
    DecisionNotAllowed,
    DependantRefused,
    DuplicateRequest,
    HolderNotEligible,
    SelfAsDependant,
    SpouseAlreadyCovered,
)
from .models import OPEN_STATUSES, DependantRequest

ADD_PERMISSION = "dependants.add_dependantrequest"
# Only staff file at a counter or from the back office.
STAFF_CHANNELS = (Channel.IN_PERSON, Channel.BACK_OFFICE)
# R-AFF-05: from this many rejections of one affiliate's requests for one person, the
# matter goes to an in-person case.
REJECTIONS_BEFORE_IN_PERSON = 2


def _today(country: str) -> date:
    return timezone.localtime(timezone.now(), get_pack(country).tz).date()


_staff = is_staff


def request_audit(actor, action: str, request: DependantRequest, **details) -> None:
    """Record a staff member's read or change of a request (no-op for affiliates)."""
    if _staff(actor):
        audit_record(actor=actor, action=action, obj=request, subject_ref=request.subject_ref,
                     channel=request.channel,
                     details={"reference": request.case.reference, **details})


# --- filing ----------------------------------------------------------------------------------

def _ensure_may_file(*, holder_person, channel: Channel, actor) -> None:
    if _staff(actor):
        staff_acting(actor, perm=ADD_PERMISSION, country=holder_person.country)
        return
    if channel in STAFF_CHANNELS:
        raise PermissionDenied()
    if actor is not None and getattr(actor, "is_authenticated", False) and (
            holder_person.user_id != actor.pk):
        raise PermissionDenied()


def _holder_affiliation(holder_person, today: date) -> Affiliation:
    """R-DEP-01: an affiliate in their own right, covered today."""
    from ventanilla.affiliation.selectors import coverage_for

    affiliation = selectors.holder_affiliation_on(holder_person, on=today)
    if affiliation is None or affiliation.holder_id is not None:
        raise HolderNotEligible(field="holder")
    kind = get_pack(affiliation.country).affiliation_type(affiliation.affiliation_type)
    if kind is None or kind.is_dependant:
        raise HolderNotEligible(field="holder")
    if not coverage_for(holder_person, on=today, country=affiliation.country).covered:
        raise HolderNotEligible(field="holder")
    return affiliation


def holder_may_request(person, *, on: date) -> bool:
    """Whether this person may ask coverage for a family member today (the portal offers the
    request only then)."""
    try:
        _holder_affiliation(person, on)
    except HolderNotEligible:
        return False
    return True


def _clean_dependant(pack: CountryPack, dependant: dict, today: date) -> dict:
    """The dependant's identity, checked against the country pack. All errors at once."""
    from ventanilla.core.i18n import country_names

    data = dependant if isinstance(dependant, dict) else {}
    cleaned: dict = {}
    errors: dict = {}

    def attempt(name, fn):
        try:
            cleaned.update(fn())
        except ValidationFailed as exc:
            for f, msg in (exc.fields or {name: exc.message}).items():
                errors.setdefault(f, msg)

    for name in ("given_names", "family_names"):
        attempt(name, lambda n=name: {n: rules.name_check(str(data.get(n) or ""), field=n)})

    def born():
        value = data.get("date_of_birth")
        if isinstance(value, str):
            try:
                value = parse_date(value)
            except ValueError:
                value = None
        if value is not None and not isinstance(value, date):
            value = None
        return {"date_of_birth": rules.birth_check(value, today=today)}
    attempt("date_of_birth", born)

    def nationality():
        code = str(data.get("nationality") or "").upper()
        if code not in country_names("en"):
            raise DependantRefused(_("Select their nationality"), field="nationality")
        return {"nationality": code}
    attempt("nationality", nationality)

    def identity():
        id_type = str(data.get("id_type") or "")
        if not id_type:
            raise DependantRefused(_("Select the type of identity document"), field="id_type")
        pack.id_type(id_type)
        return {"id_type": id_type,
                "id_number": pack.validate_id(id_type, str(data.get("id_number") or ""))}
    attempt("id_number", identity)
    if errors:
        raise DependantRefused(next(iter(errors.values())), fields=errors)
    return cleaned


def _spouse_taken(holder_person, today: date) -> bool:
    covered = any(aff.relationship == rules.SPOUSE and coverage.covered
                  for _p, aff, coverage in selectors.dependants_of(holder_person, on=today))
    pending = selectors.requests_of(holder_person).filter(
        relationship=rules.SPOUSE, status__in=OPEN_STATUSES).exists()
    return covered or pending


def dependant_request_create(*, holder_person, relationship: str, dependant: dict,
                             channel: Channel | str, actor=None, marriage_abroad: bool = False,
                             union_kind: str = "marriage", inscription_reference: str = ""
                             ) -> DependantRequest:
    """File a request to extend the holder's coverage to a spouse or partner or a child.

    ``dependant`` holds id_type, id_number, given_names, family_names, date_of_birth
    (a date or ISO text) and nationality. Refusals name the field; nothing is saved
    unless the request is accepted for review.
    """
    try:
        channel = Channel(channel)
    except ValueError as exc:
        raise ValidationFailed(_("Unknown channel"), field="channel") from exc
    _ensure_may_file(holder_person=holder_person, channel=channel, actor=actor)
    pack = get_pack(holder_person.country)
    today = _today(pack.code)
    relationship = rules.relationship_check(relationship)
    union_kind = rules.union_kind_check(relationship, union_kind)
    abroad = rules.is_abroad_marriage(relationship, union_kind, marriage_abroad)
    inscription = (clean_text(inscription_reference, max_length=60)
                   if relationship == rules.SPOUSE else "")
    holder_affiliation = _holder_affiliation(holder_person, today)
    # Filed in the wrong place, nothing else about the answers matters yet (R-DEP-02).
    rules.ensure_channel_allowed(country=pack.code, relationship=relationship,
                                 marriage_abroad=abroad, union_kind=union_kind or "marriage",
                                 channel=channel)
    who = _clean_dependant(pack, dependant, today)
    rules.ensure_eligible(country=pack.code, relationship=relationship,
                          born=who["date_of_birth"], on=today, marriage_abroad=abroad,
                          inscription_reference=inscription)
    if (holder_person.id_type, holder_person.id_number) == (who["id_type"], who["id_number"]):
        raise SelfAsDependant(field="id_number")
    with transaction.atomic():
        # One holder's requests are decided one at a time (second spouse, duplicates).
        Affiliation.objects.select_for_update().filter(pk=holder_affiliation.pk).first()
        if selectors.open_affiliation_of_identity(country=pack.code, id_type=who["id_type"],
                                                  id_number=who["id_number"], on=today):
            raise AlreadyCovered(field="id_number")
        if DependantRequest.objects.filter(country=pack.code, id_type=who["id_type"],
                                           id_number=who["id_number"],
                                           status__in=OPEN_STATUSES).exists():
            raise DuplicateRequest(field="id_number")
        if relationship == rules.SPOUSE and _spouse_taken(holder_person, today):
            raise SpouseAlreadyCovered(field="relationship")
        kind = (CaseKind.DEPENDANT_SPOUSE if relationship == rules.SPOUSE
                else CaseKind.DEPENDANT_CHILD)
        case = cases.case_open(kind=kind, country=pack.code, channel=channel, opened_by=actor,
                               subject_id_type=who["id_type"], subject_id_number=who["id_number"])
        try:
            with transaction.atomic():
                request = DependantRequest.objects.create(
                    case=case, country=pack.code, holder_affiliation=holder_affiliation,
                    relationship=relationship, union_kind=union_kind, marriage_abroad=abroad,
                    inscription_reference=inscription, channel=channel,
                    status=CaseStatus.SUBMITTED,
                    created_by=actor if _staff(actor) else None, **who)
        except IntegrityError as exc:  # a concurrent request for the same person won
            raise DuplicateRequest(field="id_number") from exc
        cases.case_set_status(case=case, status=CaseStatus.SUBMITTED, code="submitted",
                              actor=actor, channel=channel)
        request_audit(actor, "dependant_request.create", request, relationship=relationship)
    return request


# --- deciding --------------------------------------------------------------------------------

def _ensure_reviewer(actor, request: DependantRequest, *, approve: bool) -> None:
    staff_acting(actor, perm=selectors.REVIEW_PERMISSION, country=request.country)
    # Approving opens the dependant's affiliation, which is the affiliation staff's call.
    if approve:
        staff_acting(actor, perm="affiliation.add_affiliation", country=request.country)


def _dependant_person(request: DependantRequest, today: date):
    """The person the request is about, registered with the health system: found by
    identity, or registered now with a number drawn like any registration."""
    from ventanilla.registration.services import registration_number_issue

    existing = people_selectors.person_find(country=request.country, id_type=request.id_type,
                                            id_number=request.id_number)
    if existing is not None and existing.registration_number:
        return existing
    holder = request.holder_affiliation.person
    return people.person_register(
        country=request.country, id_type=request.id_type, id_number=request.id_number,
        given_names=request.given_names, family_names=request.family_names,
        date_of_birth=request.date_of_birth, nationality=request.nationality,
        email=existing.email if existing else "",
        mobile_phone=existing.mobile_phone if existing else "",
        carrier=existing.carrier if existing else "",
        subdivision_code=existing.subdivision_code if existing else "",
        street=existing.street if existing else "",
        residency_document=existing.residency_document if existing else "",
        language=existing.language if existing else holder.language,
        registration_number=registration_number_issue(country=request.country, on=today))


def _approve(request: DependantRequest, reason: str, actor) -> None:
    pack = get_pack(request.country)
    today = _today(pack.code)
    dependant_type = next((t.code for t in pack.affiliation_types if t.is_dependant), None)
    if dependant_type is None:
        raise DecisionNotAllowed(_("This health system has no coverage for dependants."))
    if selectors.open_affiliation_of_identity(country=pack.code, id_type=request.id_type,
                                              id_number=request.id_number, on=today):
        raise AlreadyCovered(field="id_number")
    # A child may have turned 18 while the request waited (R-DEP-01).
    rules.ensure_eligible(country=pack.code, relationship=request.relationship,
                          born=request.date_of_birth, on=today,
                          marriage_abroad=request.marriage_abroad,
                          inscription_reference=request.inscription_reference)
    person = _dependant_person(request, today)
    # Refuses a holder no longer covered.
    affiliation = affiliation_services.affiliation_open(
        person=person, affiliation_type=dependant_type, starts_on=today, actor=actor,
        holder=request.holder_affiliation, relationship=request.relationship)
    request.status = CaseStatus.APPROVED
    request.affiliation = affiliation
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_reason = reason
    request.save()
    cases.case_set_subject(case=request.case, id_type=request.id_type,
                           id_number=request.id_number, person=person)
    cases.case_set_status(case=request.case, status=CaseStatus.APPROVED,
                          code="dependant_approved", actor=actor, channel=Channel.BACK_OFFICE,
                          params={"affiliation_number": affiliation.number})
    request_audit(actor, "dependant_request.approve", request,
                  affiliation_number=affiliation.number)


def _route_in_person(request: DependantRequest, rejections: int, actor) -> None:
    """R-AFF-05: repeated rejection of a dependant is not solved online or by phone."""
    earlier = (DependantRequest.objects
               .filter(holder_affiliation__person=request.holder_affiliation.person,
                       country=request.country, id_type=request.id_type,
                       id_number=request.id_number, in_person_case__isnull=False)
               .exclude(in_person_case__status__in=CLOSED_STATUSES)
               .select_related("in_person_case").first())
    if earlier is not None and earlier.in_person_case is not None:
        in_person = earlier.in_person_case
    else:
        holder = request.holder_affiliation.person
        with translation.override(holder.language or "es"):
            description = gettext(
                "Coverage for %(name)s (%(id_type)s %(id_number)s) was rejected %(count)s "
                "times. Last case: %(reference)s. Last reason: %(reason)s") % {
                "name": request.full_name, "id_type": request.id_type,
                "id_number": request.id_number, "count": rejections,
                "reference": request.case.reference, "reason": request.decision_reason}
        in_person = cases.case_open_in_person(
            person=holder, kind=CaseKind.DEPENDANT_REJECTED, description=description,
            channel=Channel.BACK_OFFICE, actor=actor)
    request.in_person_case = in_person
    request.save(update_fields=["in_person_case", "updated_at"])
    cases.case_add_event(case=request.case, code="routed_in_person_case", actor=actor,
                         channel=Channel.BACK_OFFICE, params={"reference": in_person.reference})
    request_audit(actor, "dependant_request.route_in_person", request,
                  in_person_case=in_person.reference, rejections=rejections)


def _reject(request: DependantRequest, reason: str, actor) -> None:
    request.status = CaseStatus.REJECTED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_reason = reason
    request.save()
    cases.case_set_status(case=request.case, status=CaseStatus.REJECTED,
                          code="dependant_rejected", actor=actor, channel=Channel.BACK_OFFICE,
                          params={"reason": reason})
    request_audit(actor, "dependant_request.reject", request)
    rejections = selectors.rejections_count(
        holder_person=request.holder_affiliation.person, country=request.country,
        id_type=request.id_type, id_number=request.id_number)
    if rejections >= REJECTIONS_BEFORE_IN_PERSON:
        _route_in_person(request, rejections, actor)


def dependant_request_decide(*, request: DependantRequest, approve: bool, reason: str,
                             actor) -> DependantRequest:
    """Approve (the dependant is registered if needed and affiliated from today, hanging
    from the holder) or reject with a reason. The second rejection of one affiliate's
    requests for one person opens an in-person case (R-AFF-05)."""
    _ensure_reviewer(actor, request, approve=approve)
    reason = clean_text(reason, max_length=2000, multiline=True)
    if not approve and not reason:
        raise DependantRefused(_("Enter the reason for rejecting the request"), field="reason")
    with transaction.atomic():
        locked = (DependantRequest.objects.select_for_update()
                  .select_related("case", "holder_affiliation__person").get(pk=request.pk))
        if locked.status not in OPEN_STATUSES:
            raise DecisionNotAllowed()
        if approve:
            _approve(locked, reason, actor)
        else:
            _reject(locked, reason, actor)
        # R-REG-06: the affiliate hears of the decision by e-mail, in their language.
        tasks.dependant_decision_queue(locked)
    return locked
