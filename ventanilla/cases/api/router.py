from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext_lazy as _
from ninja import Router

from ventanilla.accounts.api.auth import StaffSession, actor_of
from ventanilla.accounts.authz import staff_acting
from ventanilla.core.api_contract import errors
from ventanilla.core.api_schema import InputSchema, OutputSchema, column
from ventanilla.core.audit import audit_record
from ventanilla.registration.api.auth import ApplicantToken

from .. import services
from ..models import Case, CaseStatus
from ..selectors import case_history

router = Router(tags=["cases"])


class LookupIn(InputSchema):
    reference: str = column(Case, "reference")
    id_number: str = column(Case, "subject_id_number")


class CaseEventOut(OutputSchema):
    at: datetime
    code: str
    status: str
    status_label: str
    text: str


class CaseOut(OutputSchema):
    reference: str
    kind: str
    kind_label: str
    country: str
    status: str
    status_label: str
    submitted_at: datetime | None
    due_on: date | None
    closed_at: datetime | None
    history: list[CaseEventOut]


def case_out(case: Case, *, public_only: bool = True) -> dict:
    from ventanilla.countries.registry import get_pack

    labels = {k.code: str(k.label) for k in get_pack(case.country).all_document_kinds()}
    return {
        "reference": case.reference,
        "kind": case.kind,
        "kind_label": str(case.get_kind_display()),
        "country": case.country,
        "status": case.status,
        "status_label": str(CaseStatus(case.status).label),
        "submitted_at": case.submitted_at,
        "due_on": case.due_on,
        "closed_at": case.closed_at,
        "history": case_history(case, public_only=public_only, kind_labels=labels),
    }


@router.post("/lookup", response={200: CaseOut, **errors(404, 429)}, auth=None)
def case_lookup(request, payload: LookupIn):
    """Status and history of a case, for anyone holding its reference AND the person's ID
    number. A wrong pair answers exactly like an unknown reference; rate-limited per address
    (the same limit as the web page's)."""
    case = services.case_lookup(reference=payload.reference, id_number=payload.id_number)
    return case_out(case)


class InPersonIn(InputSchema):
    country: str = column(Case, "country")
    id_type: str = column(Case, "subject_id_type")
    id_number: str = column(Case, "subject_id_number")
    kind: str = column(Case, "kind")
    description: str = column(Case, "description", max_length=2000)


class InPersonOut(CaseOut):
    notice: str


@router.post("/in-person", response={201: InPersonOut, **errors(404)}, auth=StaffSession())
def case_in_person(request, payload: InPersonIn):
    """Staff (call centre, service centre) route a complex matter to an in-person case:
    contribution errors, denied benefits, repeated rejection of a dependant, visa conflicts,
    appeals (R-AFF-03, R-AFF-05). The answer carries the notice to read to the person."""
    from ninja import Status

    from ventanilla.core.channels import Channel
    from ventanilla.countries.registry import get_pack
    from ventanilla.people.selectors import person_find

    pack = get_pack(payload.country)
    actor = staff_acting(request.auth, perm="cases.add_case", country=pack.code)
    number = pack.validate_id(payload.id_type, payload.id_number)
    person = person_find(country=pack.code, id_type=payload.id_type, id_number=number)
    if person is None:
        raise services.CaseNotFound(_("No registered person has this identity document."),
                                    field="id_number")
    case = services.case_open_in_person(person=person, kind=payload.kind,
                                        description=payload.description,
                                        channel=Channel.PHONE, actor=actor)
    return Status(201, {**case_out(case, public_only=False),
                        "notice": str(services.IN_PERSON_NOTICE)})


@router.get("/{reference}", response=CaseOut, auth=[ApplicantToken(), StaffSession()])
def case_get(request, reference: str):
    """A case for its owner (the application's access token) or for staff."""
    actor = actor_of(request)
    if actor is not None:
        staff_acting(actor, perm="cases.view_case", country=None)
        case = services.case_get(reference)
        if case is None:
            raise services.CaseNotFound()
        staff_acting(actor, perm="cases.view_case", country=case.country,
                     other_country=services.CaseNotFound)
        audit_record(actor=actor, action="case.view", obj=case,
                     subject_ref=f"{case.country}:{case.subject_id_type}:{case.subject_id_number}")
        return case_out(case, public_only=False)
    from ventanilla.registration.errors import ApplicationNotFound
    from ventanilla.registration.selectors import application_get_for_token

    try:
        app = application_get_for_token(reference, getattr(request, "applicant_token", ""))
    except ApplicationNotFound as exc:
        raise services.CaseNotFound() from exc
    return case_out(app.case)

