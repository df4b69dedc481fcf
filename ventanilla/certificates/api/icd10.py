"""ICD-10 reference data (R-CER-03): public, read-only; descriptions follow
``Accept-Language`` like the rest of the API."""

from __future__ import annotations

from ninja import Query, Router

from ventanilla.core.api_contract import errors

from ..errors import Icd10CodeRefused
from ..icd10 import icd10_lookup, icd10_search
from .schemas import SEARCH_MAX_LIMIT, Icd10ListOut, Icd10Out, Icd10Query

router = Router(tags=["icd10"])


@router.get("", response=Icd10ListOut, auth=None)
def icd10_list(request, params: Query[Icd10Query]):
    """The codable items a search finds: first those whose code starts with ``q``, then
    those where every word of ``q`` starts a word of the Spanish or English description,
    then those where a word of three letters or more is inside one; by code within each."""
    limit = min(max(params.limit, 1), SEARCH_MAX_LIMIT)
    return {"items": [item._asdict() for item in icd10_search(params.q, limit=limit)]}


@router.get("/{code}", response={200: Icd10Out, **errors(404)}, auth=None)
def icd10_get(request, code: str):
    """A code as people type it (``j069``, ``J06.9``, ``j06 9``). Anything that is not a
    codable item of the WHO 2019 classification is a 404 whose ``code`` says why
    (``ICD10_MALFORMED``, ``ICD10_UNKNOWN``, ``ICD10_NOT_SPECIFIC``: a category with
    subcategories) and whose ``nearest`` lists valid codes to choose from."""
    answer = icd10_lookup(code)
    if answer.code is None:
        raise Icd10CodeRefused(answer)
    return {
        "code": answer.code,
        "description": answer.description,
        "description_language": answer.description_language,
    }
