"""The errors of sick-leave certificates: one code each, a translated message, the fields."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from .icd10 import Icd10Answer, Icd10Problem


class CertificateNotFound(NotFound):
    code = "CERTIFICATE_NOT_FOUND"
    default_message = _("We could not find this certificate.")


class CertificateVerifyFailed(NotFound):
    """The employer's check: the same answer for a wrong ID and an unknown reference."""

    code = "CERTIFICATE_NOT_FOUND"
    default_message = _("We could not find a certificate with this reference number and "
                        "ID number. Check both with the worker and try again.")


class CertificateRefused(ValidationFailed):
    """The automatic checks found problems (R-CER-03): every one of them, each under its
    field; ``findings`` keeps them all (a field may have two)."""

    code = "CERTIFICATE_INVALID"
    default_message = _("The certificate has problems to correct before it can be "
                        "submitted.")

    def __init__(self, findings, *, checked=None):
        fields: dict[str, str] = {}
        for finding in findings:
            fields[finding.field] = (f"{fields[finding.field]} {finding.message}"
                                     if finding.field in fields else str(finding.message))
        super().__init__(fields=fields)
        self.findings = list(findings)
        self.checked = checked


class PatientNotAllowed(PermissionDenied):
    code = "CERTIFICATE_PATIENT_REFUSED"
    default_message = _("You can submit certificates only for yourself and your "
                        "dependants.")


class NotEditable(Conflict):
    code = "CERTIFICATE_NOT_EDITABLE"
    default_message = _("This certificate is not waiting for a correction.")


class DecisionNotAllowed(Conflict):
    code = "CERTIFICATE_DECIDED"
    default_message = _("This certificate is not waiting for validation: it was decided "
                        "or sent back already.")


class IdempotencyKeyReused(Conflict):
    code = "IDEMPOTENCY_KEY_REUSED"
    default_message = _("This Idempotency-Key was used for another certificate.")


class BookingNotAttended(Conflict):
    code = "CERTIFICATE_BOOKING_NOT_ATTENDED"
    default_message = _("A rest certificate is issued only for an appointment the patient "
                        "attended.")


class Icd10CodeRefused(NotFound):
    """R-CER-03: not a codable item of the classification. The code says why
    (``ICD10_MALFORMED``, ``ICD10_UNKNOWN``, ``ICD10_NOT_SPECIFIC``, ``ICD10_EMPTY``) and
    ``nearest`` lists the valid codes to choose from, each described as ``Icd10Out``."""

    code = "ICD10_UNKNOWN"
    MESSAGES: dict[Icd10Problem, Promise] = {
        Icd10Problem.EMPTY: _("Enter an ICD-10 code, such as J06.9."),
        Icd10Problem.MALFORMED: _(
            "An ICD-10 code is a letter and two digits, sometimes "
            "followed by one or two more characters, such as J06.9."
        ),
        Icd10Problem.UNKNOWN: _("This code is not in the ICD-10 classification."),
        Icd10Problem.NOT_SPECIFIC: _(
            "This category has subcategories: give the one on the certificate."
        ),
    }

    def __init__(self, answer: Icd10Answer) -> None:
        problem = answer.problem or Icd10Problem.UNKNOWN
        super().__init__(self.MESSAGES[problem], code=f"ICD10_{problem.value.upper()}")
        self.nearest = [item._asdict() for item in answer.nearest]

    def as_dict(self) -> dict:
        return {**super().as_dict(), "nearest": self.nearest}
