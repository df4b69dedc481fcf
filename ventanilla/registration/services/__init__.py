"""Writes of the registration procedure. Web, API and back office all call these.

One module per seam: ``applications`` (start, continue, answer, submit), ``documents``
(upload, replace, remove, the orphan sweep), ``review`` (the back office's decisions).
Callers import from here: ``from ventanilla.registration import services``.
"""

from .applications import (
    ANSWER_FIELDS,
    application_confirm_email,
    application_issue_api_token,
    application_resume,
    application_send_email_code,
    application_send_resume_link,
    application_send_resume_links,
    application_start,
    application_submit,
    application_update,
)
from .documents import (
    RecleanReport,
    SweepReport,
    document_remove,
    document_upload,
    documents_reclean,
    documents_sweep,
)
from .review import (
    application_approve,
    application_open_for_review,
    application_reject,
    application_request_changes,
    document_review,
    registration_number_issue,
)
from .shared import EDITABLE_STATUSES, UPLOAD_STATUSES, application_audit

__all__ = [
    "ANSWER_FIELDS",
    "EDITABLE_STATUSES",
    "UPLOAD_STATUSES",
    "RecleanReport",
    "SweepReport",
    "application_approve",
    "application_audit",
    "application_confirm_email",
    "application_issue_api_token",
    "application_open_for_review",
    "application_reject",
    "application_request_changes",
    "application_resume",
    "application_send_email_code",
    "application_send_resume_link",
    "application_send_resume_links",
    "application_start",
    "application_submit",
    "application_update",
    "document_remove",
    "document_review",
    "document_upload",
    "documents_reclean",
    "documents_sweep",
    "registration_number_issue",
]
