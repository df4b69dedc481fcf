from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from ventanilla.core.api_schema import InputSchema, OutputSchema, column

from .. import rules
from ..models import DependantRequest

R = DependantRequest


class DependantOut(OutputSchema):
    full_name: str
    id_type: str
    id_number: str
    date_of_birth: date
    relationship: str
    relationship_label: str
    affiliation_number: str
    starts_on: date
    covered: bool
    reason: str
    message: str
    until: date | None


class RequestIn(InputSchema):
    relationship: str = column(R, "relationship",
                               json_schema_extra={"enum": list(rules.RELATIONSHIPS)})
    id_type: str = column(R, "id_type")
    id_number: str = column(R, "id_number")
    given_names: str = column(R, "given_names")
    family_names: str = column(R, "family_names")
    date_of_birth: date
    nationality: str = column(R, "nationality")
    marriage_abroad: bool = False
    union_kind: str = column(R, "union_kind", "marriage")
    inscription_reference: str = column(R, "inscription_reference", "")


class DependantChecklistItemOut(OutputSchema):
    code: str
    label: str
    hint: str
    required: bool


class SurchargeOut(OutputSchema):
    applies: bool
    message: str
    rate: Decimal | None
    base: str
    monthly: Decimal | None
    currency: str
    legal_sources: list[str]


class DependantRequestEventOut(OutputSchema):
    at: datetime
    code: str
    status: str
    status_label: str
    text: str


class RequestOut(OutputSchema):
    id: UUID
    reference: str
    country: str
    relationship: str
    relationship_label: str
    full_name: str
    given_names: str
    family_names: str
    id_type: str
    id_number: str
    date_of_birth: date
    nationality: str
    union_kind: str
    marriage_abroad: bool
    inscription_reference: str
    channel: str
    status: str
    status_label: str
    created_at: datetime
    decided_at: datetime | None
    decision_reason: str
    affiliation_number: str | None
    in_person_case: str | None


class RequestDetailOut(RequestOut):
    checklist: list[DependantChecklistItemOut]
    surcharge: SurchargeOut
    history: list[DependantRequestEventOut]


class ChecklistOut(OutputSchema):
    country: str
    relationship: str
    union_kind: str
    marriage_abroad: bool
    in_person_only: bool
    needs_inscription: bool
    items: list[DependantChecklistItemOut]
    legal_source: str
    surcharge: SurchargeOut


class DecisionIn(InputSchema):
    approve: bool
    reason: str = column(R, "decision_reason", "", max_length=2000)


class DependantQueueItemOut(OutputSchema):
    id: UUID
    reference: str
    country: str
    relationship: str
    full_name: str
    holder_name: str
    holder_id_number: str
    status: str
    created_at: datetime
    marriage_abroad: bool
