"""Pure rules of registration: no database, no request. Easy to test exhaustively."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import ValidationFailed
from ventanilla.core.text import clean_text
from ventanilla.countries.base import CountryPack, DocumentKind, Situation

ALLOWED_CONTENT_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/heic": "heic",  # phones' default; converted to JPEG before it is stored
}
# HEIF brands written by phones (ISO/IEC 23008-12)
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
# Longest side of a stored photo: enough to read any document, far smaller than a camera's.
MAX_IMAGE_SIDE = 2400
MAX_AGE_YEARS = 130


class UploadInvalid(ValidationFailed):
    code = "UPLOAD_INVALID"


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


def sniff_content_type(head: bytes) -> str | None:
    """The type a file really is, from its first bytes (its name and declared type are
    never trusted)."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "image/heic"
    return None


def upload_check(*, data: bytes, max_bytes: int, field: str = "file") -> str:
    """Return the detected content type of an upload or raise ``UploadInvalid``."""
    if not data:
        raise UploadInvalid(_("The selected file is empty"), field=field)
    if len(data) > max_bytes:
        raise UploadInvalid(_("The selected file must be smaller than %(mb)s MB")
                            % {"mb": max_bytes // (1024 * 1024)}, field=field)
    content_type = sniff_content_type(data[:16])
    if content_type is None:
        raise UploadInvalid(_("The selected file must be a JPG, PNG, HEIC or PDF"), field=field)
    if content_type == "application/pdf":
        if b"%%EOF" not in data[-2048:]:
            raise UploadInvalid(_("The selected file is not a complete PDF. Save it again "
                                  "and upload it"), field=field)
    else:
        from PIL import Image, UnidentifiedImageError

        _register_heif()
        try:
            with Image.open(io.BytesIO(data)) as img:
                img.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise UploadInvalid(_("The selected file is damaged. Save it again and upload it"),
                                field=field) from exc
    return content_type


def is_overdue(due_on: date | None, *, today: date) -> bool:
    return due_on is not None and due_on < today


def _register_heif() -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()


def image_normalise(data: bytes, content_type: str) -> tuple[bytes, str]:
    """Re-encode a photo before it is stored ("compress on the server rather than reject").

    HEIC becomes JPEG (every browser and PDF viewer shows it), the image is turned upright
    from its EXIF orientation, shrunk to ``MAX_IMAGE_SIDE`` and saved without metadata, so a
    phone's GPS position and serial numbers are not kept with health data.
    """
    if content_type == "application/pdf":
        return data, content_type
    from PIL import Image, ImageOps

    _register_heif()
    with Image.open(io.BytesIO(data)) as img:
        upright = ImageOps.exif_transpose(img)
        upright.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
        out = io.BytesIO()
        if content_type == "image/png":
            upright.save(out, "PNG", optimize=True)
            return out.getvalue(), "image/png"
        upright.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
        return out.getvalue(), "image/jpeg"
