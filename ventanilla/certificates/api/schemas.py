from __future__ import annotations

from pydantic import Field

from ventanilla.core.api_schema import InputSchema, OutputSchema

from ..icd10 import SEARCH_LIMIT

SEARCH_MAX_LIMIT = 100


class Icd10Out(OutputSchema):
    """A codable item of ICD-10 and its description in the language of the request, or in
    English (``description_language: "en"``) when it has no Spanish one."""

    code: str = Field(examples=["J06.9"])
    description: str
    description_language: str = Field(examples=["es"])


class Icd10ListOut(OutputSchema):
    items: list[Icd10Out]


class Icd10Query(InputSchema):
    q: str = Field(
        max_length=100,
        description=(
            "The start of a code (`j06`, `J06.`) or words, in Spanish or English, with or "
            "without accents; all must match. Without a letter or digit, nothing is found."
        ),
    )
    limit: int = Field(
        SEARCH_LIMIT,
        description=(
            f"How many at most: between 1 and {SEARCH_MAX_LIMIT} (a number outside is taken "
            "as the nearest of the two)."
        ),
    )
