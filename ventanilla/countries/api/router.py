from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Router

from ventanilla.core.api_schema import OutputSchema
from ventanilla.core.errors import ValidationFailed

from ..base import Situation
from ..registry import all_packs, get_pack

router = Router(tags=["countries"])


class IdTypeOut(OutputSchema):
    code: str
    label: str
    hint: str
    for_foreigners: bool


class SubdivisionOut(OutputSchema):
    code: str
    name: str
    level: int
    parent: str | None
    kind: str = ""


class HolidayOut(OutputSchema):
    date: date
    name: str


class CountryDocumentOut(OutputSchema):
    code: str
    label: str
    hint: str
    required: bool
    provided_by_form: bool


class SituationDocumentsOut(OutputSchema):
    situation: dict
    documents: list[CountryDocumentOut]


class AffiliationTypeOut(OutputSchema):
    code: str
    label: str
    may_book_appointments: bool
    is_dependant: bool


class CountryOut(OutputSchema):
    code: str
    name: str
    institution: str
    default_language: str
    timezone: str
    currency: str
    id_types: list[IdTypeOut]
    geography_levels: list[str]
    geography_counts: list[int]
    geography_source: str
    top_level: list[SubdivisionOut]
    holidays_year: int
    holidays: list[HolidayOut]
    registration_due_working_days: int
    required_documents: list[SituationDocumentsOut]
    affiliation_types: list[AffiliationTypeOut]


class CountrySummaryOut(OutputSchema):
    code: str
    name: str
    institution: str


def _doc(k) -> dict:
    return {"code": k.code, "label": str(k.label), "hint": str(k.hint), "required": k.required,
            "provided_by_form": k.provided_by_form}


def _sub(s) -> dict:
    return {"code": s.code, "name": s.name, "level": s.level, "parent": s.parent,
            "kind": s.kind}


@router.get("", response=list[CountrySummaryOut])
def country_list(request):
    return [{"code": p.code, "name": str(p.name), "institution": p.institution}
            for p in all_packs()]


@router.get("/{code}", response=CountryOut)
def country_get(request, code: str, year: int | None = None):
    """Facts of a country pack: ID types, geography, holidays of a year, document lists."""
    pack = get_pack(code)
    year = year or timezone.now().year
    if not 1900 <= year <= 2200:
        raise ValidationFailed(_("Enter a year between 1900 and 2200"), field="year")
    geo = pack.geography
    situations = [
        Situation(id_type=pack.id_types[0].code),
        Situation(id_type=pack.id_types[-1].code, is_foreign_national=True,
                  employed_locally=True, documents_in_other_language=True),
    ]
    return {
        "code": pack.code, "name": str(pack.name), "institution": pack.institution,
        "default_language": pack.default_language, "timezone": pack.timezone,
        "currency": pack.currency,
        "id_types": [{"code": t.code, "label": str(t.label), "hint": str(t.hint),
                      "for_foreigners": t.for_foreigners} for t in pack.id_types],
        "geography_levels": [str(lbl) for lbl in geo.level_labels],
        "geography_counts": [geo.count(level) for level in range(geo.depth)],
        "geography_source": geo.source,
        "top_level": [_sub(s) for s in geo.top_level()],
        "holidays_year": year,
        "holidays": [{"date": d, "name": n} for d, n in sorted(pack.holidays(
            year, language=_lang(request)).items())],
        "registration_due_working_days": pack.registration_due_working_days,
        "affiliation_types": [
            {"code": t.code, "label": str(t.label), "is_dependant": t.is_dependant,
             "may_book_appointments": t.may_book_appointments}
            for t in pack.affiliation_types],
        "required_documents": [
            {"situation": {"id_type": s.id_type, "is_foreign_national": s.is_foreign_national,
                           "employed_locally": s.employed_locally,
                           "documents_in_other_language": s.documents_in_other_language},
             "documents": [_doc(k) for k in pack.required_documents(s)]}
            for s in situations
        ],
    }


@router.get("/{code}/subdivisions", response=list[SubdivisionOut])
def subdivision_list(request, code: str, parent: str | None = None):
    """Children of a place (top level without ``parent``)."""
    return [_sub(s) for s in get_pack(code).geography.children(parent or None)]


def _lang(request) -> str:
    from django.utils.translation import get_language

    return get_language() or "es"
