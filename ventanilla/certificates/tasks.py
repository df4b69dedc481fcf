"""The e-mails of sick-leave certificates (sent through the outbox, notifications)."""

from __future__ import annotations

from ventanilla.notifications.messages import Email, email_message, email_render


@email_message("certificates.certificate_event")
def certificate_event(*, certificate_id: str, event: str) -> Email | None:
    """R-CER-03/05: the person hears of the submission and of each outcome, in their
    language, with every reason of a rejection and the receipt of a validated one."""
    from . import rules
    from .models import Certificate
    from .receipt import receipt_pdf

    cert = (Certificate.objects.select_related("case", "patient")
            .filter(public_id=certificate_id).first())
    if cert is None:
        return None
    attachments = []
    if event == "validated":
        attachments.append((f"{cert.case.reference}.pdf", receipt_pdf(cert),
                            "application/pdf"))
    reasons = [str(rules.REJECTION_REASONS.get(code, code))
               for code in cert.rejection_reasons]
    return email_render(f"certificates/email/certificate_{event}.txt", attachments,
                        cert=cert, reference=cert.case.reference, reasons=reasons)
