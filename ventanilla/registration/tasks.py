"""The e-mails of the registration procedure (sent through the outbox, notifications)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.urls import reverse

from ventanilla.notifications.messages import Email, email_message, email_render


@email_message("registration.email_code",
               retry_for=lambda: timedelta(minutes=settings.EMAIL_CODE_TTL_MINUTES))
def email_code(*, code: str, reference: str) -> Email:
    """The 6-digit code that confirms the applicant's e-mail address (useless once expired,
    so it is not retried past its lifetime)."""
    return email_render("registration/email/email_code.txt", code=code, reference=reference)


@email_message("registration.resume_link",
               retry_for=lambda: timedelta(hours=settings.RESUME_LINK_TTL_HOURS))
def resume_link(*, token: str, reference: str) -> Email:
    return email_render("registration/email/resume_link.txt", reference=reference,
                        path=reverse("registration:resume", args=[token]))


@email_message("registration.application_event")
def application_event(*, application_id: str, event: str) -> Email | None:
    """R-REG-06: the applicant hears of every decision, in their language (with the
    registration card once approved)."""
    from .card import card_pdf
    from .selectors import application_checklist, application_get

    app = application_get(application_id)
    rejected = [item for item in application_checklist(app) if item.status == "rejected"]
    attachments = []
    if event == "approved" and app.person is not None:
        attachments.append((f"{app.person.registration_number}.pdf", card_pdf(app.person),
                            "application/pdf"))
    return email_render(f"registration/email/application_{event}.txt", attachments,
                        application=app, reference=app.case.reference, rejected=rejected,
                        person=app.person)


def application_event_queue(app, event: str) -> None:
    """Queue the e-mail about ``event`` to the applicant, when they gave an address."""
    if app.email:
        application_event.queue(to=app.email, language=app.language,
                                application_id=str(app.public_id), event=event)
