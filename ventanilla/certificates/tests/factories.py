"""Test data of the institution's certificates and of the validators' desk: a medical centre
with a clinician and an attended appointment (R-CER-01), and a validator's queue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

PASSWORD = "Staff-password-123"
# Monday 7 December 2026, 09:00 in Quito: the visit of the institution's certificates
VISIT_AT = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)


def medical_centre(country: str = "EC", code: str = "ec-hcam", name: str = "Hospital Carlos "
                   "Andrade Marín"):
    from ventanilla.scheduling.models import Centre

    return Centre.objects.create(country=country, kind=Centre.Kind.MEDICAL, code=code,
                                 name=name, subdivision_code="170150" if country == "EC"
                                 else "150113", address="Av. 18 de Septiembre",
                                 phone="02 294 4200")


def clinician(centre, username: str = "medica.ec", *, country: str | None = None):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create

    return staff_create(username=username, password=PASSWORD, role=Role.CLINICIAN,
                        country=country if country is not None else centre.country,
                        centre=centre, first_name="Lucía", last_name="Andrade")


def validator(username: str = "validador.ec", country: str = "EC"):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create

    return staff_create(username=username, password=PASSWORD, role=Role.VALIDATOR,
                        country=country)


def visit(centre, person, *, status: str = "attended", service_code: str = "general_medicine",
          at: datetime = VISIT_AT, office: bool = False):
    """An appointment of ``person`` at ``centre``, already ``status`` (attended by default).
    ``office=True``: an office visit (document submission) instead of a medical one."""
    from ventanilla.core.channels import Channel
    from ventanilla.scheduling.defaults import medical_services_ensure, office_services_ensure
    from ventanilla.scheduling.models import Booking, Slot

    if office:
        service = {s.code: s for s in office_services_ensure(centre.country)}[
            "document_submission"]
    else:
        service = {s.code: s for s in medical_services_ensure(centre.country)}[service_code]
    slot = Slot.objects.create(centre=centre, service=service, starts_at=at,
                               ends_at=at + timedelta(minutes=20))
    return Booking.objects.create(slot=slot, person=person, booked_for=person,
                                  channel=Channel.WEB, status=status)


def submitted(person, *, submitter=None, now=None, files=None, **changes):
    """A private certificate of ``person`` submitted online (``typed(**changes)``, a PDF
    scan unless ``files``), as of ``NOW`` (Monday 7 December 2026) unless ``now``."""
    from num2words import num2words

    from ventanilla.certificates.services import certificate_submit
    from ventanilla.core.channels import Channel

    from .conftest import NOW, scan, typed

    if "rest_days" in changes and "rest_days_words" not in changes:
        changes["rest_days_words"] = num2words(int(changes["rest_days"]), lang="es")
    return certificate_submit(submitter=submitter or person, patient=person,
                              data=typed(**changes), files=scan() if files is None else files,
                              channel=Channel.WEB, now=now or NOW)


def due_in(cert, days: int):
    """Move the validators' due date to ``days`` from the country's today (negative: late),
    so that a test sees overdue ones whatever day it runs."""
    from ventanilla.certificates.models import Certificate
    from ventanilla.countries.registry import get_pack

    due = get_pack(cert.country).today() + timedelta(days=days)
    Certificate.objects.filter(pk=cert.pk).update(due_on=due)
    cert.due_on = due
    return cert
