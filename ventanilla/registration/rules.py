"""Pure rules of registration: no database, no request. Easy to test exhaustively."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import ValidationFailed
from ventanilla.core.text import clean_text
from ventanilla.countries.base import CountryPack, DocumentKind, Situation

MAX_AGE_YEARS = 130

# The back of a two-sided document (``DocumentKind.sides == 2``) is stored as a document of
# its own, under its kind's code and this suffix: one current file per side, each with the
# upload checks, the review and the history a document has.
BACK_SUFFIX = "-back"


def back_kind(code: str) -> str:
    return f"{code}{BACK_SUFFIX}"


@dataclass(frozen=True)
class ChecklistItem:
    kind: DocumentKind
    status: str  # "missing" | "uploaded" | "accepted" | "rejected" | "provided"
    document_id: str | None = None
    rejection_reason: str = ""

    @property
    def satisfied(self) -> bool:
        return self.status in ("uploaded", "accepted", "provided")

    @property
    def blocks_submission(self) -> bool:
        return self.kind.required and not self.satisfied


def situation_for(pack: CountryPack, *, id_type: str, nationality: str, employed_locally: bool,
                  has_previous_health_card: bool, documents_in_other_language: bool
                  ) -> Situation:
    foreign_document = bool(id_type) and pack.id_type(id_type).for_foreigners
    return Situation(
        id_type=id_type,
        is_foreign_national=foreign_document or (bool(nationality) and nationality != pack.code),
        employed_locally=employed_locally,
        has_previous_health_card=has_previous_health_card,
        documents_in_other_language=documents_in_other_language,
    )


def checklist(pack: CountryPack, situation: Situation,
              current: dict[str, tuple[str, str, str]]) -> list[ChecklistItem]:
    """``current`` maps a document kind to (document id, review status, rejection reason)."""
    items = []
    for kind in pack.required_documents(situation):
        if kind.provided_by_form:
            items.append(ChecklistItem(kind, "provided"))
            continue
        if kind.code not in current:
            items.append(ChecklistItem(kind, "missing"))
            continue
        doc_id, status, reason = current[kind.code]
        shown = {"pending": "uploaded", "accepted": "accepted", "rejected": "rejected"}[status]
        items.append(ChecklistItem(kind, shown, doc_id, reason))
    return items


def date_of_birth_check(value: date | None, *, today: date) -> date:
    if value is None:
        raise ValidationFailed(_("Enter your date of birth"), field="date_of_birth")
    if value > today:
        raise ValidationFailed(_("Date of birth must be today or in the past"),
                               field="date_of_birth")
    if value.year < today.year - MAX_AGE_YEARS:
        raise ValidationFailed(
            _("Date of birth must be after %(year)s") % {"year": today.year - MAX_AGE_YEARS},
            field="date_of_birth")
    return value


def name_check(value: str, *, field: str) -> str:
    cleaned = clean_text(value)
    if not cleaned:
        msg = (_("Enter your given names") if field == "given_names"
               else _("Enter your family names"))
        raise ValidationFailed(msg, field=field)
    if len(cleaned) > 120:
        raise ValidationFailed(_("Names must be 120 characters or fewer"), field=field)
    if any(ch.isdigit() for ch in cleaned) or not any(ch.isalpha() for ch in cleaned):
        raise ValidationFailed(_("Names can only include letters, spaces, hyphens and "
                                 "apostrophes"), field=field)
    return cleaned


def is_overdue(due_on: date | None, *, today: date) -> bool:
    return due_on is not None and due_on < today

