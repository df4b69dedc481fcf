"""The documents of an application: upload, replace, remove, and the sweep of orphan files.

A failed write loses nothing. Files and rows cannot change in one transaction, so the order
is what keeps them true to each other:

1. the new file is written first, under a name of its own (nothing points at it yet);
2. the rows change inside the transaction (the new row in, the old one out or kept as
   history);
3. the old file is deleted only after the commit (``transaction.on_commit``).

If the transaction fails, the new file is deleted at once and the old row and file are as
they were. A crash between the steps can only leave a file that no row points at, never a
row pointing at a missing file: ``documents_sweep`` (``ventanilla documents_sweep``) removes
those once they are older than an upload could take, and reports any row whose file is gone.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.cases import services as cases
from ventanilla.cases.models import CaseStatus
from ventanilla.core.channels import Channel
from ventanilla.core.errors import ValidationFailed
from ventanilla.core.file_sweep import orphans_sweep
from ventanilla.core.text import clean_text
from ventanilla.countries.registry import get_pack

from .. import rules, uploads
from ..errors import EmailNotConfirmed, NotEditable
from ..models import DOCUMENTS_PREFIX, Application, ApplicationDocument
from .shared import UPLOAD_STATUSES, application_audit, is_staff_actor

logger = logging.getLogger(__name__)


def _storage() -> Storage:
    return ApplicationDocument._meta.get_field("file").storage  # type: ignore[attr-defined]


def _file_discard(name: str | None) -> None:
    """Delete a stored file; if that fails, the sweep will find it."""
    if not name:
        return
    try:
        _storage().delete(name)
    except Exception:
        logger.exception("documents: could not delete %s; documents_sweep will", name)


def document_upload(*, application: Application, kind: str, data: bytes, filename: str,
                    actor=None, back: bool = False) -> ApplicationDocument:
    """Store a document of the checklist, or with ``back`` the back of a two-sided one
    (``DocumentKind.sides``): the same checks, stored under ``rules.back_kind(kind)``."""
    pack = get_pack(application.country)
    if application.status not in UPLOAD_STATUSES:
        raise NotEditable()
    if application.channel != Channel.IN_PERSON and application.email_verified_at is None:
        raise EmailNotConfirmed()
    doc_kind = pack.document_kind(kind)
    if doc_kind is None or doc_kind.provided_by_form:
        raise ValidationFailed(_("Choose which document this is"), field="kind")
    if back and doc_kind.sides < 2:
        raise ValidationFailed(_("This document has only one side"), field="kind")
    prepared = uploads.upload_prepare(data=data, limits=uploads.UploadLimits.from_settings())
    kind = rules.back_kind(kind) if back else kind
    doc = ApplicationDocument(
        application=application, kind=kind,
        original_name=clean_text(filename, max_length=200),
        content_type=prepared.content_type, size=len(prepared.data),
        sha256=hashlib.sha256(prepared.data).hexdigest(),
        uploaded_by=actor if is_staff_actor(actor) else None,
    )
    # 1. The new file first: no row points at it until the transaction commits.
    doc.file.save(f"{doc.public_id}.{uploads.ALLOWED_CONTENT_TYPES[prepared.content_type]}",
                  ContentFile(prepared.data), save=False)
    try:
        # 2. The rows, all or nothing.
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            if locked.status not in UPLOAD_STATUSES:  # submitted meanwhile
                raise NotEditable()
            previous = locked.documents.filter(kind=kind, is_current=True).first()
            if previous is not None:
                if locked.status == CaseStatus.DRAFT:
                    previous.delete()
                    # 3. The old file only once its row is gone for good.
                    transaction.on_commit(partial(_file_discard, previous.file.name),
                                          robust=True)
                elif previous.status == ApplicationDocument.Status.ACCEPTED:
                    raise NotEditable(
                        _("This document was accepted and does not need replacing."))
                else:  # sent back: the rejected file stays as history
                    previous.is_current = False
                    previous.save(update_fields=["is_current", "updated_at"])
            doc.application = locked
            doc.save()
            if previous is not None and locked.status == CaseStatus.ACTION_REQUIRED:
                cases.case_add_event(case=locked.case, code="document_replaced",
                                     channel=locked.channel,
                                     params={"document_kind": doc_kind.code})
            application_audit(actor, "document.upload", locked, kind=kind,
                              **({"removed_from_pdf": list(prepared.removed)}
                                 if prepared.removed else {}))
    except BaseException:
        _file_discard(doc.file.name)
        raise
    if prepared.removed:
        logger.info("documents: removed %s from a PDF (document %s)",
                    ", ".join(prepared.removed), doc.public_id)
    return doc


def document_remove(*, application: Application, document_id, actor=None) -> None:
    if application.status != CaseStatus.DRAFT:
        raise NotEditable()
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != CaseStatus.DRAFT:
            raise NotEditable()
        doc = locked.documents.filter(public_id=document_id, is_current=True).first()
        if doc is None:
            return
        doc.delete()
        application_audit(actor, "document.remove", locked, kind=doc.kind)
        transaction.on_commit(partial(_file_discard, doc.file.name), robust=True)


# --- the sweep of what a crash leaves --------------------------------------------------------

@dataclass
class SweepReport:
    removed: list[str] = field(default_factory=list)  # orphan files deleted (or to delete)
    recent: list[str] = field(default_factory=list)  # orphans younger than the grace period
    missing: list[ApplicationDocument] = field(default_factory=list)  # rows without a file


def documents_sweep(*, older_than: timedelta, dry_run: bool = False,
                    now: datetime | None = None) -> SweepReport:
    """Delete stored files no document row points at, once older than ``older_than`` (an
    upload in progress has written its file and not yet committed its row), and report
    rows whose file is missing. With ``dry_run`` nothing is deleted."""
    storage = _storage()
    sweep = orphans_sweep(
        storage=storage, prefix=DOCUMENTS_PREFIX, older_than=older_than,
        now=now or timezone.now(), dry_run=dry_run,
        referenced=lambda: ApplicationDocument.objects.values_list("file", flat=True))
    report = SweepReport(removed=sweep.removed, recent=sweep.recent)
    for doc in (ApplicationDocument.objects.select_related("application__case")
                .order_by("created_at").iterator()):
        stored = doc.file.name
        if not stored or (stored not in sweep.listed and not storage.exists(stored)):
            report.missing.append(doc)
    return report


@dataclass
class RecleanReport:
    cleaned: list[tuple[ApplicationDocument, tuple[str, ...]]] = field(default_factory=list)
    refused: list[tuple[ApplicationDocument, str]] = field(default_factory=list)
    missing: list[ApplicationDocument] = field(default_factory=list)
    unchanged: int = 0


def documents_reclean(*, dry_run: bool = False) -> RecleanReport:
    """Every stored PDF through the check that uploads pass today (``uploads.pdf_sanitise``):
    files stored before it existed may carry JavaScript, actions or attachments. One that
    does is replaced by its rewrite in an upload's order (the new file, then the row, the
    old file after the commit); one the check refuses is reported and left as it is (staff
    only ever download it, under a sandbox). Safe to run again: a clean file is unchanged."""
    limits = uploads.UploadLimits.from_settings()
    report = RecleanReport()
    documents = (ApplicationDocument.objects.filter(content_type="application/pdf")
                 .select_related("application__case").order_by("pk"))
    for doc in documents.iterator(chunk_size=200):
        try:
            with doc.file.open("rb") as fh:
                data = fh.read()
        except OSError:
            report.missing.append(doc)
            continue
        try:
            clean, removed = uploads.pdf_sanitise(data, max_memory=limits.pdf_max_memory,
                                                  max_seconds=limits.pdf_max_seconds)
        except ValidationFailed as exc:
            report.refused.append((doc, str(exc.message)))
            continue
        if not removed:
            report.unchanged += 1
            continue
        report.cleaned.append((doc, removed))
        if not dry_run:
            _document_replace_file(doc, clean, removed)
    return report


def _document_replace_file(doc: ApplicationDocument, data: bytes,
                           removed: tuple[str, ...]) -> None:
    old = doc.file.name
    doc.file.save(f"{doc.public_id}.pdf", ContentFile(data), save=False)   # 1. the file
    try:
        with transaction.atomic():                                          # 2. the row
            swapped = ApplicationDocument.objects.filter(pk=doc.pk, file=old).update(
                file=doc.file.name, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                updated_at=timezone.now())
            if swapped:
                transaction.on_commit(partial(_file_discard, old), robust=True)   # 3.
    except BaseException:
        _file_discard(doc.file.name)
        raise
    if not swapped:   # replaced or removed meanwhile: this rewrite is not needed
        _file_discard(doc.file.name)
        return
    logger.info("documents: removed %s from stored PDF %s", ", ".join(removed),
                doc.public_id)
