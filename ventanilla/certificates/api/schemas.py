"""Schemas of the certificates API: what the person typed (every value text, as on the
paper: the checks read it), and the answers of the person, the validators and the
employer. The employer's (``CertificateVerifiedOut``) has no diagnosis, no ICD-10 code, no
doctor and no kind of leave (LOPDP art. 26, Ley 29733)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from ninja.schema import DjangoGetter
from pydantic import Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from ventanilla.cases.models import Case
from ventanilla.core.api_schema import InputSchema, OutputSchema, column

from ..models import Certificate

C = Certificate
# Dates are typed as the paper writes them ("07/12/2026", "7-12-2026" or ISO); a longer
# text is not a date of any of these, and the checks say so naming the field.
DATE_TEXT_MAX = 32
NOTE_MAX = 2000       # services.review.NOTE_MAX, clean_text's limit of the long texts
_DATE = "Day/month/year (07/12/2026) or ISO (2026-12-07)"
_PATIENT = "The person on leave: the signed-in person (default) or a dependant"
# A form field is text, never null: the multipart documents say so (schemathesis sent the
# word "null" for a nullable one).
FormUUID = Annotated[UUID | None, WithJsonSchema({"type": "string", "format": "uuid",
                                                  "description": _PATIENT})]


class ObjectIn(InputSchema):
    """A JSON body whose every field may be left out is still an object: django-ninja's
    schemas read attributes from anything (``[null, null]`` passed as an empty
    certificate)."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value):
        raw = value._obj if isinstance(value, DjangoGetter) else value
        if not isinstance(raw, Mapping):
            raise PydanticCustomError("model_attributes_type", "an object")
        return value


class CertificateFieldsIn(InputSchema):
    """The certificate as typed off the paper (R-CER-01/02). Nothing here is refused for
    its content: the automatic checks (R-CER-03) name every problem at once."""

    kind: str = column(C, "kind", "", description="illness, accident, hospitalisation or "
                                                  "maternity")
    doctor_name: str = column(C, "doctor_name", "")
    doctor_specialty: str = column(C, "doctor_specialty", "")
    establishment: str = column(C, "establishment", "",
                                description="The hospital, clinic or practice")
    doctor_email: str = column(C, "doctor_email", "")
    doctor_registration: str = column(C, "doctor_registration", "",
                                      description="The Ministry of Health registration "
                                                  "code on the doctor's stamp")
    establishment_phone: str = column(C, "establishment_phone", "")
    establishment_address: str = column(C, "establishment_address", "")
    issued_on: str = Field("", max_length=DATE_TEXT_MAX, description=_DATE)
    issued_place: str = column(C, "issued_place", "")
    issued_country: str = column(C, "issued_country", "",
                                 description="ISO 3166-1 alpha-2; empty: the patient's")
    language: str = column(C, "language", "es", description="ISO 639-1 of the certificate")
    patient_names: str = column(C, "patient_names", "",
                                description="Full names as on the ID card")
    patient_id_number: str = column(C, "patient_id_number", "")
    diagnosis: str = column(C, "diagnosis", "", max_length=NOTE_MAX)
    icd10_code: str = Field("", max_length=16, description="As typed: j069, J06.9 …")
    rest_start: str = Field("", max_length=DATE_TEXT_MAX, description=_DATE)
    rest_end: str = Field("", max_length=DATE_TEXT_MAX, description=_DATE)
    rest_days: str = Field("", max_length=8, description="The number the paper gives")
    rest_days_words: str = Field("", max_length=80, description=(
        "The days in words as the paper writes them (Ecuador, R-CER-04: 'tres')"))
    admitted_on: str = Field("", max_length=DATE_TEXT_MAX, description=_DATE)
    discharged_on: str = Field("", max_length=DATE_TEXT_MAX, description=_DATE)
    procedure: str = column(C, "procedure", "")
    delivered_on: str = Field("", max_length=DATE_TEXT_MAX, description=_DATE)
    live_birth: str = Field("", max_length=8, description="yes or no")
    pregnancy_weeks: str = Field("", max_length=8)
    baby_sex: str = column(C, "baby_sex", "", description="female, male or undetermined")
    late_reason: str = column(C, "late_reason", "", max_length=NOTE_MAX,
                              description="R-CER-04: why it is submitted late")


class CertificateFormIn(CertificateFieldsIn):
    """A submission or a correction (multipart, with the scans as files)."""

    patient: FormUUID = None


class CertificateCheckIn(ObjectIn, CertificateFieldsIn):
    patient: UUID | None = Field(None, description=_PATIENT)
    has_scan: bool = Field(False, description="A scan of the certificate will be uploaded")
    has_apostille: bool = False
    has_translation: bool = False


class CertificateVerifyIn(ObjectIn):
    reference: str = column(Case, "reference")
    id_number: str = column(C, "patient_id_number",
                            description="The worker's ID number")


_Code = Annotated[str, Field(max_length=32)]


class CertificateValidateIn(ObjectIn):
    checklist: list[_Code] = Field(..., max_length=20,
                                   description="Every item ticked (letterhead, typed, stamp, "
                                               "no_amendments, legible; from abroad "
                                               "apostille, translation)")


class CertificateRejectIn(ObjectIn):
    reasons: list[_Code] = Field(..., max_length=20)
    note: str = Field("", max_length=NOTE_MAX, description="Needed with the reason other")


class CertificateReturnIn(ObjectIn):
    note: str = Field(..., max_length=NOTE_MAX, description="What the person must correct")


class CertificateQueueQuery(InputSchema):
    country: str = Field("", max_length=2, description="Only for staff of every country; "
                                                       "otherwise the validator's own")
    kind: str = column(C, "kind", "")
    status: str = column(C, "status", C.Status.SUBMITTED.value,
                         description="Empty: every status")
    centre: str = column(C, "establishment", "", description="Part of the establishment's "
                                                             "name")
    overdue: bool = False
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(50, ge=1, le=200)


# --- answers -------------------------------------------------------------------------------

class CertificatePatientOut(OutputSchema):
    id: UUID
    full_name: str


class CertificateFindingOut(OutputSchema):
    field: str
    message: str
    blocking: bool      # false: flagged to the validator, not a refusal


class CertificateIcd10Out(OutputSchema):
    code: str
    description: str


class CertificateCheckOut(OutputSchema):
    """Every automatic check (R-CER-03), nothing stored."""

    ok: bool
    findings: list[CertificateFindingOut]
    icd10: CertificateIcd10Out | None       # the official description, to compare
    deadline: date | None                   # R-CER-04: the last day to submit it
    late: bool
    in_person: bool                         # R-CER-04: too long to validate online
    becomes_official: bool                  # R-CER-04 (Peru): a CITT once validated


class CertificateFlagOut(OutputSchema):
    field: str
    message: str


class CertificateReasonOut(OutputSchema):
    code: str
    label: str


class CertificateFileOut(OutputSchema):
    id: UUID
    role: str
    original_name: str
    content_type: str
    size: int
    pages: int | None
    uploaded_at: datetime


class CertificateSummaryOut(OutputSchema):
    reference: str
    status: str
    status_label: str
    kind: str
    kind_label: str
    source: str
    patient: CertificatePatientOut
    rest_start: date
    rest_end: date
    rest_days: int
    due_on: date | None
    submitted_at: datetime
    decided_at: datetime | None
    official_number: str | None


class CertificateOut(CertificateSummaryOut):
    """One certificate for its person (their own health data) or a validator."""

    channel: str
    doctor_name: str
    doctor_specialty: str
    establishment: str
    doctor_email: str
    doctor_registration: str
    establishment_phone: str
    establishment_address: str
    issued_on: date
    issued_place: str
    issued_country: str
    language: str
    patient_names: str
    patient_id_number: str
    diagnosis: str
    icd10_code: str
    icd10_description: str
    admitted_on: date | None
    discharged_on: date | None
    procedure: str
    delivered_on: date | None
    live_birth: bool | None
    pregnancy_weeks: int | None
    baby_sex: str
    late_reason: str
    flags: list[CertificateFlagOut]
    rejection_reasons: list[CertificateReasonOut]
    decision_note: str
    files: list[CertificateFileOut]


class CertificateQueueItemOut(OutputSchema):
    reference: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    patient_name: str
    establishment: str
    rest_start: date
    rest_end: date
    rest_days: int
    submitted_at: datetime
    due_on: date | None
    overdue: bool
    flags: int          # findings flagged to the validator (an overlap, a late one)


class CertificateQueueOut(OutputSchema):
    """The validators' queue of their country, by due date, the oldest first."""

    items: list[CertificateQueueItemOut]
    total: int
    page: int
    per_page: int
    waiting: int
    overdue: int
    oldest_due: date | None


class CertificateVerifiedOut(OutputSchema):
    """All an employer may know of a certificate: never the diagnosis, its code, the doctor
    or the kind of leave."""

    reference: str
    validated: bool
    status: str
    status_label: str
    rest_start: date
    rest_end: date
    rest_days: int
    validated_on: date | None
    official_number: str | None      # Peru: the CITT it became
