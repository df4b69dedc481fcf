"""Background jobs (django.tasks; the database backend runs them in `ventanilla worker`)."""

from __future__ import annotations

from django.tasks import task
from django.urls import reverse

from .email import booking_recipient, email_send


@task()
def send_email_code(*, email: str, code: str, language: str, reference: str) -> None:
    email_send(to=email, template="email_code", language=language,
               context={"code": code, "reference": reference})


@task()
def send_resume_link(*, email: str, token: str, language: str, reference: str) -> None:
    email_send(to=email, template="resume_link", language=language,
               context={"path": reverse("registration:resume", args=[token]),
                        "reference": reference})


@task()
def send_visitor_code(*, email: str, code: str, language: str) -> None:
    """R-REG-07: the code that lets a person without a clave book an office visit."""
    email_send(to=email, template="visitor_code", language=language, context={"code": code})


@task()
def send_clave_link(*, email: str, token: str, language: str) -> None:
    """R-AFF-09: the link that lets a person create their clave online."""
    email_send(to=email, template="clave_link", language=language,
               context={"path": reverse("portal:clave_link", args=[token])})


@task()
def send_application_event(*, application_id: str, event: str) -> None:
    """R-REG-06: the applicant hears of every decision, in their language."""
    from django.utils import translation

    from ventanilla.registration.card import card_pdf
    from ventanilla.registration.selectors import application_checklist, application_get

    app = application_get(application_id)
    if not app.email:
        return
    attachments = []
    with translation.override(app.language):
        rejected = [item for item in application_checklist(app) if item.status == "rejected"]
        if event == "approved" and app.person is not None:
            attachments.append((f"{app.person.registration_number}.pdf",
                                card_pdf(app.person), "application/pdf"))
    email_send(to=app.email, template=f"application_{event}", language=app.language,
               context={"application": app, "reference": app.case.reference,
                        "rejected": rejected, "person": app.person},
               attachments=attachments)


@task()
def send_dependant_decision(*, request_id: str) -> None:
    """R-REG-06: the outcome of a request to cover a dependant, to the affiliate."""
    from ventanilla.dependants.models import DependantRequest

    request = (DependantRequest.objects.select_related("case", "affiliation",
                                                       "holder_affiliation__person",
                                                       "in_person_case")
               .filter(public_id=request_id).first())
    if request is None:
        return
    holder = request.holder_affiliation.person
    if not holder.email:
        return
    email_send(to=holder.email, template="dependant_decision", language=holder.language,
               context={"request": request, "reference": request.case.reference,
                        "approved": request.status == "approved",
                        "path": reverse("portal:dependant_request",
                                        args=[request.public_id])})


@task()
def send_booking_reminder(*, booking_id: str) -> None:
    """R-APT-09: tomorrow's appointment or visit, with the advice to arrive 30 minutes early
    and the calendar file."""
    _booking_email(booking_id, template="booking_reminder")


@task()
def send_booking_copy(*, booking_id: str) -> None:
    """A copy of an appointment or visit the person asked for on its page (UX.md: e-mail
    copies), with the calendar file."""
    _booking_email(booking_id, template="booking_copy")


def _booking_email(booking_id: str, *, template: str) -> None:
    """An e-mail about an active booking to the patient (else whoever booked it), in their
    language, with the calendar file; nothing when it is no longer booked."""
    from django.utils import timezone

    from ventanilla.countries.registry import get_pack
    from ventanilla.scheduling.documents import booking_ics
    from ventanilla.scheduling.models import Booking

    booking = (Booking.objects.select_related("slot__centre", "slot__service", "slot__doctor",
                                              "booked_for", "person")
               .filter(public_id=booking_id, status="booked").first())
    if booking is None:
        return
    patient = booking.booked_for
    to = booking_recipient(booking)
    if to is None:
        return
    language = to.language
    pack = get_pack(booking.slot.centre.country)
    medical = booking.slot.service.kind == "medical"
    path = reverse("portal:appointment" if medical else "portal:visit",
                   args=[booking.public_id])
    email_send(to=to.email, template=template, language=language,
               context={"booking": booking, "patient": patient,
                        "starts": timezone.localtime(booking.slot.starts_at, pack.tz),
                        "medical": medical, "path": path},
               attachments=[("cita.ics", booking_ics(booking, language=language),
                             "text/calendar")])
