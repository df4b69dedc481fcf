"""What an uploaded file must be before it is stored, and what it becomes.

No database, no request: bytes in, bytes out or ``UploadInvalid`` naming the form field.

- The type is read from the content (magic bytes), never from the name or declared type.
- Images: the pixel count is read from the header (Pillow's lazy open, pillow-heif for
  HEIC) and refused above ``max_pixels`` before anything is decoded; decoding is bounded
  (JPEG decodes at 1/2, 1/4 or 1/8 scale when that still covers the stored size, others at
  most ``max_pixels`` x 4 bytes), then the photo is re-encoded without its metadata.
- PDFs are rewritten without active content by ``pdf_clean`` in a child process with a
  memory and CPU limit; HTML polyglots, password-protected and unreadable files are refused.
"""

from __future__ import annotations

import io
import json
import logging
import math
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from . import pdf_clean
from .errors import UploadInvalid

logger = logging.getLogger(__name__)

ALLOWED_CONTENT_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/heic": "heic",  # phones' default; converted to JPEG before it is stored
}
# What a stored file may be (HEIC is stored as JPEG). Never text/html: the staff view serves
# the stored type, and the database refuses any other (document_content_type_stored).
STORED_CONTENT_TYPES = ("application/pdf", "image/jpeg", "image/png")
# How the staff view serves each stored type. Images open in the browser; a PDF is always a
# download, since a browser's PDF viewer runs inside the page's origin and neither Chrome's
# nor Safari's will render under the sandbox below. Anything else (an old row) is an opaque
# download.
_SERVED_AS = {"application/pdf": ("pdf", True), "image/jpeg": ("jpg", False),
              "image/png": ("png", False)}
# Sent with every stored file: no scripts, no plugins, no same-origin access even if a
# browser were to render it, and no type guessing.
STORED_FILE_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
}
# HEIF brands written by phones (ISO/IEC 23008-12)
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
# Pillow's format name for each type, so only that decoder ever reads the file.
_PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/heic": "HEIF"}
# Longest side of a stored photo: enough to read any document, far smaller than a camera's.
MAX_IMAGE_SIDE = 2400


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    max_pixels: int
    pdf_max_memory: int  # bytes of address space for the PDF check's child process
    pdf_max_seconds: int

    @classmethod
    def from_settings(cls) -> UploadLimits:
        from django.conf import settings

        return cls(max_bytes=settings.UPLOAD_MAX_BYTES, max_pixels=settings.UPLOAD_MAX_PIXELS,
                   pdf_max_memory=settings.UPLOAD_PDF_MAX_MEMORY,
                   pdf_max_seconds=settings.UPLOAD_PDF_MAX_SECONDS)


@dataclass(frozen=True)
class PreparedUpload:
    data: bytes
    content_type: str  # one of STORED_CONTENT_TYPES
    removed: tuple[str, ...] = ()  # categories of active content removed from a PDF


@dataclass(frozen=True)
class Serving:
    content_type: str
    as_attachment: bool
    filename: str


def stored_file_serving(content_type: str, *, name: str) -> Serving:
    """How to send a stored file: its type, inline or as a download, and a file name made of
    ``name`` (ASCII letters, digits, ``-`` and ``_`` only) and the type's extension. The
    person's own file name is never used: it may carry quotes, paths or personal data."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "documento"
    if content_type not in _SERVED_AS:
        return Serving("application/octet-stream", True, stem)
    extension, as_attachment = _SERVED_AS[content_type]
    return Serving(content_type, as_attachment, f"{stem}.{extension}")


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


_strict = threading.Lock()
_strict_users = 0
_strict_saved = False


@contextmanager
def _strict_decoding() -> Iterator[None]:
    """Decode with Pillow's ``LOAD_TRUNCATED_IMAGES`` off, so a cut-off photo is refused as
    damaged instead of stored with a grey band. WeasyPrint turns that process-wide switch
    on when it is first imported (card and appointment PDFs); it is turned off while any
    upload decodes and restored when the last one ends. WeasyPrint only renders images we
    generate, which are never truncated."""
    from PIL import ImageFile

    global _strict_users, _strict_saved
    with _strict:
        if _strict_users == 0:
            _strict_saved = ImageFile.LOAD_TRUNCATED_IMAGES
            ImageFile.LOAD_TRUNCATED_IMAGES = False
        _strict_users += 1
    try:
        yield
    finally:
        with _strict:
            _strict_users -= 1
            if _strict_users == 0:
                ImageFile.LOAD_TRUNCATED_IMAGES = _strict_saved


def _register_heif() -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()


def _damaged(field: str) -> UploadInvalid:
    return UploadInvalid(_("The selected file is damaged. Save it again and upload it"),
                         field=field)


def _too_many_pixels(field: str, max_pixels: int) -> UploadInvalid:
    return UploadInvalid(
        _("The selected image must be smaller than %(megapixels)s megapixels. Take the photo "
          "again at a lower resolution") % {
            "megapixels": number_format(Decimal(f"{max_pixels / 1_000_000:g}"))},
        field=field)


def _open_image(data: bytes, content_type: str, *, max_pixels: int, field: str):
    """Open an image lazily (the header only) and refuse it above ``max_pixels``.

    Pillow refuses far larger images itself (``DecompressionBombError`` above twice its own
    limit, a warning above it); both mean "too many pixels" here, never a 500."""
    from PIL import Image, UnidentifiedImageError

    _register_heif()
    try:
        img = Image.open(io.BytesIO(data), formats=[_PILLOW_FORMATS[content_type]])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels(field, max_pixels) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _damaged(field) from exc
    width, height = img.size
    if width * height > max_pixels:
        img.close()
        raise _too_many_pixels(field, max_pixels)
    return img


def upload_check(*, data: bytes, max_bytes: int, max_pixels: int, field: str = "file") -> str:
    """Return the detected content type of an upload or raise ``UploadInvalid``.
    Nothing is decoded here: images are read as far as their header (and a PNG's chunk
    checksums), PDFs as far as their last bytes."""
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
        return content_type
    with _open_image(data, content_type, max_pixels=max_pixels, field=field) as img:
        try:
            img.verify()
        except Exception as exc:  # a hostile file may raise anything from a decoder
            raise _damaged(field) from exc
    return content_type


def _stored_size(size: tuple[int, int]) -> tuple[int, int]:
    """The size a photo is stored at: its longest side at most ``MAX_IMAGE_SIDE``."""
    width, height = size
    scale = max(width, height) / MAX_IMAGE_SIDE
    if scale <= 1:
        return size
    return max(1, math.ceil(width / scale)), max(1, math.ceil(height / scale))


def image_normalise(data: bytes, content_type: str, *, max_pixels: int,
                    field: str = "file") -> tuple[bytes, str]:
    """Re-encode a photo before it is stored ("compress on the server rather than reject").

    HEIC becomes JPEG (every browser and PDF viewer shows it), the image is shrunk to
    ``MAX_IMAGE_SIDE``, turned upright from its EXIF orientation and saved without
    metadata, so a phone's GPS position and serial numbers are not kept with health data.
    PDFs are left to :func:`pdf_sanitise`.
    """
    if content_type == "application/pdf":
        return data, content_type
    from PIL import ImageOps

    with (_open_image(data, content_type, max_pixels=max_pixels, field=field) as img,
          _strict_decoding()):
        try:
            # JPEG: decode at the smallest 1/2^n scale that still covers the stored size,
            # so a 48 MP photo needs 12 MP of memory. Other formats decode in full, within
            # the pixel cap. Shrinking before turning upright keeps one full-size copy only.
            img.draft("RGB" if img.mode == "RGB" else None, _stored_size(img.size))
            img.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
            upright = ImageOps.exif_transpose(img)
            out = io.BytesIO()
            if content_type == "image/png":
                upright.save(out, "PNG", optimize=True)
                return out.getvalue(), "image/png"
            upright.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
            return out.getvalue(), "image/jpeg"
        except Exception as exc:  # truncated or hostile data: any decoder error
            logger.info("upload: image could not be decoded: %r", exc)
            raise _damaged(field) from exc


# Longest side of the preview reviewers see on the application page.
THUMBNAIL_SIDE = 480


def image_thumbnail(data: bytes, content_type: str, *, max_pixels: int,
                    side: int = THUMBNAIL_SIDE) -> bytes:
    """A small copy of a stored photo, same type, made on the server so the review page
    loads kilobytes rather than the stored file. Stored photos were already checked and
    re-encoded at upload; a decoder error still raises ``UploadInvalid``, never a 500."""
    with (_open_image(data, content_type, max_pixels=max_pixels, field="file") as img,
          _strict_decoding()):
        try:
            img.draft("RGB" if img.mode == "RGB" else None, (side, side))
            img.thumbnail((side, side))
            out = io.BytesIO()
            if content_type == "image/png":
                img.save(out, "PNG", optimize=True)
            else:
                img.convert("RGB").save(out, "JPEG", quality=80)
            return out.getvalue()
        except Exception as exc:  # a damaged stored file: say so, do not crash the page
            raise _damaged("file") from exc


def pdf_page_count(data: bytes) -> int | None:
    """How many pages a stored PDF has, or None if it cannot be read. Stored PDFs are our
    own rewrites (``pdf_sanitise``), so qpdf reads them cheaply in this process; no library
    in the lockfile renders a page to an image, so reviewers see the count and the name."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return len(pdf.pages)
    except Exception:  # any parser error: no count, the download still works
        logger.info("documents: could not count the pages of a stored PDF", exc_info=True)
        return None


_PDF_CLEAN = Path(pdf_clean.__file__)


def pdf_sanitise(data: bytes, *, max_memory: int, max_seconds: int,
                 field: str = "file") -> tuple[bytes, tuple[str, ...]]:
    """The PDF rewritten without active content (see ``pdf_clean``), and what was removed.

    The work runs in a child process limited to ``max_memory`` bytes and ``max_seconds`` of
    CPU: a file that needs more is refused, and this process stays small."""
    try:
        # Our interpreter, our module, two integers: nothing from the upload but stdin.
        proc = subprocess.run(  # noqa: S603
            [sys.executable, "-I", str(_PDF_CLEAN), str(max_memory), str(max_seconds)],
            input=data, capture_output=True, timeout=max_seconds * 2, env={}, check=False)
    except subprocess.TimeoutExpired:
        logger.warning("upload: the PDF check ran out of time")
        raise _pdf_not_checked(field) from None
    report = _last_json_line(proc.stderr)
    if proc.returncode == pdf_clean.EXIT_OK:
        return proc.stdout, tuple(report.get("removed", ()))
    if proc.returncode == pdf_clean.EXIT_ENCRYPTED:
        raise UploadInvalid(_("The selected PDF is protected with a password. Save it "
                              "without the password and upload it"), field=field)
    if proc.returncode == pdf_clean.EXIT_DAMAGED:
        raise _damaged(field)
    if proc.returncode == pdf_clean.EXIT_ACTIVE:
        logger.info("upload: PDF refused: %s", report.get("refused", ""))
        raise UploadInvalid(_("The selected PDF contains web page code or active content "
                              "that cannot be removed. Save it again as a PDF (for example "
                              "with Print, then Save as PDF) and upload it"), field=field)
    # Killed by a limit (negative code), MemoryError, or a bug in a parser: refuse the file.
    logger.warning("upload: PDF check failed (exit %s): %s", proc.returncode,
                   proc.stderr[-500:].decode(errors="replace"))
    raise _pdf_not_checked(field)


def _pdf_not_checked(field: str) -> UploadInvalid:
    return UploadInvalid(_("The selected PDF could not be checked. Save it again as a PDF "
                           "(for example with Print, then Save as PDF) and upload it"),
                         field=field)


def _last_json_line(stderr: bytes) -> dict:
    for line in reversed(stderr.decode(errors="replace").splitlines()):
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return {}


def upload_prepare(*, data: bytes, limits: UploadLimits, field: str = "file"
                   ) -> PreparedUpload:
    """Check an upload and turn it into what is stored, or raise ``UploadInvalid``."""
    content_type = upload_check(data=data, max_bytes=limits.max_bytes,
                                max_pixels=limits.max_pixels, field=field)
    if content_type == "application/pdf":
        clean, removed = pdf_sanitise(data, max_memory=limits.pdf_max_memory,
                                      max_seconds=limits.pdf_max_seconds, field=field)
        return PreparedUpload(clean, content_type, removed)
    stored, stored_type = image_normalise(data, content_type, max_pixels=limits.max_pixels,
                                          field=field)
    return PreparedUpload(stored, stored_type)
