"""The refusals of the certificates app (core.errors: one shape for the whole API)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import NotFound

from .icd10 import Icd10Answer, Icd10Problem


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
