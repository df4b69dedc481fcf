from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field


class AnswersIn(Schema):
    given_names: str | None = None
    family_names: str | None = None
    date_of_birth: date | None = None
    nationality: str | None = Field(None, description="ISO 3166-1 alpha-2 code")
    id_type: str | None = Field(None, description="One of the country's ID types")
    id_number: str | None = None
    mobile_phone: str | None = None
    subdivision_code: str | None = Field(None, description="Lowest-level geography code")
    street: str | None = None
    employed_locally: bool | None = None
    has_previous_health_card: bool | None = None
    documents_in_other_language: bool | None = None
    residency_document: str | None = None
    social_security_number: str | None = None
    affiliation_type: str | None = Field(None, description="How the person will be insured: "
                                         "a non-dependant type of the country")


class RegistrationIn(AnswersIn):
    country: str = Field(..., description="Country code, e.g. EC or PE")
    email: str | None = Field(None, description="Required online; optional at a counter")
    language: str = "es"
    in_person: bool = Field(False, description="Staff only: registration at a service centre")


class ChecklistItemOut(Schema):
    kind: str
    label: str
    required: bool
    status: str
    document_id: str | None = None
    rejection_reason: str = ""


class DocumentOut(Schema):
    id: str
    kind: str
    original_name: str
    content_type: str
    size: int
    status: str
    rejection_reason: str
    uploaded_at: datetime


class RegistrationOut(Schema):
    reference: str
    country: str
    status: str
    status_label: str
    channel: str
    email: str
    email_confirmed: bool
    given_names: str
    family_names: str
    date_of_birth: date | None
    nationality: str
    id_type: str
    id_number: str
    mobile_phone: str
    carrier: str
    subdivision_code: str
    street: str
    employed_locally: bool
    has_previous_health_card: bool
    documents_in_other_language: bool
    affiliation_type: str
    submitted_at: datetime | None
    due_on: date | None
    registration_number: str | None
    checklist: list[ChecklistItemOut]
    missing: dict[str, str]
    documents: list[DocumentOut]


class RegistrationCreatedOut(RegistrationOut):
    access_token: str = Field(..., description="Send as `Authorization: Bearer …` to "
                              "continue this application. Shown once.")


class CodeIn(Schema):
    code: str


class SubmitIn(Schema):
    declaration: bool = Field(..., description="The applicant confirms the answers are true")


class ReviewIn(Schema):
    accept: bool
    reason: str = ""


class ReasonIn(Schema):
    reason: str


class QueueItemOut(Schema):
    reference: str
    country: str
    status: str
    full_name: str
    submitted_at: datetime | None
    due_on: date | None
    overdue: bool
