"""Telling the person of each step: an e-mail (through the outbox, after the commit) and a
WhatsApp message where their mobile opted in."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ventanilla.core.dates import day_text

from ..models import Certificate

_WHATSAPP = {
    "submitted": lambda c: _("We received certificate %(reference)s. A validator decides by "
                             "%(due)s.") % {"reference": c.case.reference,
                                            "due": day_text(c.due_on)},
    "validated": lambda c: _("Certificate %(reference)s is validated: %(days)d days from "
                             "%(start)s.") % {"reference": c.case.reference,
                                              "days": c.rest_days,
                                              "start": day_text(c.rest_start)},
    "rejected": lambda c: _("Certificate %(reference)s was rejected. The e-mail and your "
                            "account say why and what to do.") % {
        "reference": c.case.reference},
    "returned": lambda c: _("Certificate %(reference)s needs a correction: open it in your "
                            "account to fix it.") % {"reference": c.case.reference},
}


def certificate_notify(cert: Certificate, event: str) -> None:
    """Queue the notices of ``event`` in the current transaction (the outbox sends them
    after the commit and retries until delivered)."""
    from .. import tasks

    to = cert.submitted_by or cert.patient
    if to.email:
        tasks.certificate_event.queue(to=to.email, language=to.language or "es",
                                      certificate_id=str(cert.public_id), event=event)
    # In the same transaction as the e-mail: the WhatsApp notice is an outbox row too, so a
    # crash right after the commit cannot lose it (an on_commit hook would).
    from ventanilla.whatsapp.services import person_notice_queue

    person_notice_queue(cert.submitted_by, cert.patient, text=lambda: _WHATSAPP[event](cert))
