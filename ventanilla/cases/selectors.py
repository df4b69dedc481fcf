from __future__ import annotations

from django.utils.translation import gettext as _

from .models import Case, CaseEvent, CaseStatus


def _event_texts() -> dict[str, str]:
    # One sentence per event code; params fill the placeholders.
    return {
        "opened": _("Application started"),
        "email_verified": _("E-mail address confirmed"),
        "submitted": _("Application submitted"),
        "review_started": _("Review started"),
        "document_accepted": _("Document accepted: %(document)s"),
        "document_rejected": _("Document rejected: %(document)s. Reason: %(reason)s"),
        "document_replaced": _("Document replaced: %(document)s"),
        "changes_requested": _("Some documents must be replaced. We sent you an e-mail"),
        "resubmitted": _("Replacement documents sent for review"),
        "approved": _("Registration approved. Registration number: %(registration_number)s"),
        "rejected": _("Application rejected. Reason: %(reason)s"),
        "withdrawn": _("Application withdrawn"),
        "dependant_approved": _("Coverage extended. Affiliation number: "
                                "%(affiliation_number)s"),
        "dependant_rejected": _("Coverage request rejected. Reason: %(reason)s"),
        "routed_in_person_case": _("Rejected more than once: an in-person case was opened, "
                                   "number %(reference)s. You may need legal advice."),
        # sick-leave certificates (R-CER-01..05)
        "certificate_submitted": _("Certificate submitted for validation"),
        "certificate_corrected": _("Corrected certificate sent for validation"),
        "certificate_validated": _("Certificate validated"),
        "certificate_validated_citt": _("Certificate validated. It is now the incapacity "
                                        "certificate (CITT) %(official_number)s"),
        "certificate_rejected": _("Certificate rejected. The reasons are on its page and in "
                                  "the e-mail we sent you"),
        "certificate_returned": _("Sent back to you for a correction. We sent you an e-mail"),
        "certificate_issued": _("Rest certificate issued by the institution's medical unit: "
                                "valid as issued"),
        "routed_in_person": _("This needs a visit to a service centre. Take your identity "
                              "document, your papers and this case number. You may need "
                              "legal advice."),
    }


def event_text(event: CaseEvent, *, kind_labels=None) -> str:
    template = _event_texts().get(event.code, event.code)
    params = dict(event.params or {})
    if kind_labels and "document_kind" in params:
        params["document"] = kind_labels.get(params["document_kind"], params["document_kind"])
    params.setdefault("document", params.get("document_kind", ""))
    try:
        return template % params
    except (KeyError, TypeError, ValueError):
        return template


def case_history(case: Case, *, public_only: bool = True, kind_labels=None) -> list[dict]:
    events = case.events.all()
    if public_only:
        events = events.filter(public=True)
    return [
        {
            "at": e.at,
            "code": e.code,
            "status": e.status,
            "status_label": str(CaseStatus(e.status).label) if e.status else "",
            "text": event_text(e, kind_labels=kind_labels),
        }
        for e in events
    ]


def cases_of(person):
    """A person's own cases, newest first (drafts are not shown)."""
    return (Case.objects.filter(person=person).exclude(status=CaseStatus.DRAFT)
            .order_by("-created_at"))
