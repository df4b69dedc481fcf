from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from ventanilla.core.api_schema import InputSchema, OutputSchema, column, email_field

from ..models import Application, ApplicationDocument

A = Application


class AnswersIn(InputSchema):
    given_names: str | None = column(A, "given_names", None)
    family_names: str | None = column(A, "family_names", None)
    date_of_birth: date | None = None
    nationality: str | None = column(A, "nationality", None,
                                     description="ISO 3166-1 alpha-2 code")
    id_type: str | None = column(A, "id_type", None,
                                 description="One of the country's ID types")
    id_number: str | None = column(A, "id_number", None)
    mobile_phone: str | None = column(A, "mobile_phone", None)
    subdivision_code: str | None = column(A, "subdivision_code", None,
                                          description="Lowest-level geography code")
    street: str | None = column(A, "street", None)
    employed_locally: bool | None = None
    has_previous_health_card: bool | None = None
    documents_in_other_language: bool | None = None
    residency_document: str | None = column(A, "residency_document", None)
    social_security_number: str | None = column(A, "social_security_number", None)
    affiliation_type: str | None = column(A, "affiliation_type", None,
                                          description="How the person will be insured: "
                                          "a non-dependant type of the country")


class RegistrationIn(AnswersIn):
    country: str = column(A, "country", description="Country code, e.g. EC or PE")
    email: str | None = email_field(None, description="Required online; optional at a "
                                    "counter")
    language: str = column(A, "language", "es")
    in_person: bool = Field(False, description="Staff only: registration at a service centre")


class RegistrationChecklistItemOut(OutputSchema):
    kind: str
    label: str
    required: bool
    status: str
    document_id: str | None = None
    rejection_reason: str = ""


class RegistrationDocumentOut(OutputSchema):
    id: str
    kind: str
    original_name: str
    content_type: str
    size: int
    status: str
    rejection_reason: str
    uploaded_at: datetime


class RegistrationOut(OutputSchema):
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
    checklist: list[RegistrationChecklistItemOut]
    missing: dict[str, str]
    documents: list[RegistrationDocumentOut]


class RegistrationCreatedOut(RegistrationOut):
    access_token: str = Field(..., description="Send as `Authorization: Bearer …` to "
                              "continue this application. Shown once.")


class CodeIn(InputSchema):
    code: str = Field(..., max_length=12, description="The 6-digit code of the e-mail")


class SubmitIn(InputSchema):
    declaration: bool = Field(..., description="The applicant confirms the answers are true")


class ReviewIn(InputSchema):
    accept: bool
    reason: str = column(ApplicationDocument, "rejection_reason", "", max_length=1000)


class ReasonIn(InputSchema):
    reason: str = column(A, "decision_reason", max_length=2000)


class RegistrationQueueItemOut(OutputSchema):
    reference: str
    country: str
    status: str
    full_name: str
    submitted_at: datetime | None
    due_on: date | None
    overdue: bool
