"""The files of a certificate not yet submitted: checked when uploaded, kept until the
submission.

A scan is checked at its own step (``registration.uploads.upload_prepare``: content, size,
type, PDFs cleaned) and its prepared bytes are kept in the private default storage under
``certificate-uploads/<random token>``; the session remembers the token, the file's name,
type and size. Why there and not in the cache or the session: the cache is per process
(LocMem) unless Redis is configured and may evict; the session row would carry 10 MB of
base64 per file through every request. The storage survives a worker restart and is never
served (``MEDIA_URL`` has no route). What is kept is removed when the certificate is
submitted, when the person replaces or removes the file, or discards the draft; what an
abandoned session leaves is removed by ``certificate_uploads_sweep`` (``pending_sweep``)
once older than a day, longer than any session lives without activity.
"""

from __future__ import annotations

import logging
import re
import secrets
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.utils import timezone

from ventanilla.core.file_sweep import Sweep, orphans_sweep
from ventanilla.registration import uploads
from ventanilla.registration.errors import UploadInvalid

logger = logging.getLogger(__name__)

PREFIX = "certificate-uploads"
_NAME = re.compile(rf"^{PREFIX}/[A-Za-z0-9_-]{{32}}$")


def _storage() -> Storage:
    return default_storage


def upload_keep(*, data: bytes, filename: str, role: str) -> dict:
    """Check an upload as registration documents are checked and keep its prepared bytes.
    Returns what the session remembers; raises ``UploadInvalid`` naming ``role``."""
    prepared = uploads.upload_prepare(data=data, limits=uploads.UploadLimits.from_settings(),
                                      field=role)
    name = f"{PREFIX}/{secrets.token_urlsafe(24)}"
    stored = _storage().save(name, ContentFile(prepared.data))
    return {"path": stored, "name": (filename or "")[:200], "size": len(prepared.data),
            "content_type": prepared.content_type}


def _path(kept: dict | None) -> str | None:
    """The kept file's name in the storage, if it is one of ours."""
    path = (kept or {}).get("path")
    return path if isinstance(path, str) and _NAME.match(path) else None


def upload_read(kept: dict | None) -> bytes | None:
    """The kept bytes, or None when they are gone (swept, or never written)."""
    path = _path(kept)
    if path is None:
        return None
    try:
        with _storage().open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


def upload_exists(kept: dict | None) -> bool:
    path = _path(kept)
    return path is not None and _storage().exists(path)


def upload_forget(kept: dict | None) -> None:
    path = _path(kept)
    if path is None:
        return
    try:
        _storage().delete(path)
    except Exception:
        logger.exception("certificate uploads: could not delete %s", path)


def pending_sweep(*, older_than: timedelta, dry_run: bool = False,
                  now: datetime | None = None) -> Sweep:
    """Delete kept uploads last written more than ``older_than`` ago: a draft nobody
    submitted (no row ever points at one). A live draft whose file was swept asks for the
    file again at the check page."""
    return orphans_sweep(storage=_storage(), prefix=PREFIX, referenced=tuple,
                         older_than=older_than, now=now or timezone.now(), dry_run=dry_run)


__all__ = ["PREFIX", "Sweep", "UploadInvalid", "pending_sweep", "upload_exists",
           "upload_forget", "upload_keep", "upload_read"]
