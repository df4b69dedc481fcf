"""The documents of an application: upload, replace, remove."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ventanilla.cases import services as cases
from ventanilla.cases.models import CaseStatus
from ventanilla.core.channels import Channel
from ventanilla.core.errors import ValidationFailed
from ventanilla.core.text import clean_text
from ventanilla.countries.registry import get_pack

from .. import uploads
from ..errors import EmailNotConfirmed, NotEditable
from ..models import Application, ApplicationDocument
from .shared import UPLOAD_STATUSES, application_audit, is_staff_actor


def document_upload(*, application: Application, kind: str, data: bytes, filename: str,
                    actor=None) -> ApplicationDocument:
    pack = get_pack(application.country)
    if application.status not in UPLOAD_STATUSES:
        raise NotEditable()
    if application.channel != Channel.IN_PERSON and application.email_verified_at is None:
        raise EmailNotConfirmed()
    doc_kind = pack.document_kind(kind)
    if doc_kind is None or doc_kind.provided_by_form:
        raise ValidationFailed(_("Choose which document this is"), field="kind")
    prepared = uploads.upload_prepare(data=data, limits=uploads.UploadLimits.from_settings())
    data, content_type = prepared.data, prepared.content_type
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        previous = locked.documents.filter(kind=kind, is_current=True).first()
        if previous is not None:
            if locked.status == CaseStatus.DRAFT:
                previous.file.delete(save=False)
                previous.delete()
            elif previous.status == ApplicationDocument.Status.ACCEPTED:
                raise NotEditable(_("This document was accepted and does not need replacing."))
            else:
                previous.is_current = False
                previous.save(update_fields=["is_current", "updated_at"])
        doc = ApplicationDocument(
            application=locked, kind=kind, original_name=clean_text(filename, max_length=200),
            content_type=content_type, size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor if is_staff_actor(actor) else None,
        )
        doc.file.save(f"{doc.public_id}.{uploads.ALLOWED_CONTENT_TYPES[content_type]}",
                      ContentFile(data), save=False)
        doc.save()
        if previous is not None and locked.status == CaseStatus.ACTION_REQUIRED:
            cases.case_add_event(case=locked.case, code="document_replaced",
                                 channel=locked.channel, params={"document_kind": kind})
        application_audit(actor, "document.upload", locked, kind=kind)
    return doc


def document_remove(*, application: Application, document_id, actor=None) -> None:
    if application.status != CaseStatus.DRAFT:
        raise NotEditable()
    doc = application.documents.filter(public_id=document_id, is_current=True).first()
    if doc is not None:
        doc.file.delete(save=False)
        doc.delete()
        application_audit(actor, "document.remove", application, kind=doc.kind)
