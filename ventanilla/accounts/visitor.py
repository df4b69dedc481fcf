"""Booking an office visit without a clave (R-REG-07): people who need the visit to get
their clave (passport holders, anyone who lost access) prove who they are with their ID, date
of birth and a code sent to the e-mail on file. The answer never tells whether the ID
exists."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import ValidationFailed
from ventanilla.countries.base import IdInvalid
from ventanilla.countries.registry import get_pack

from . import one_time
from .models import OneTimeSecret


def _find(country: str, id_type: str, id_number: str):
    from ventanilla.people.selectors import person_find

    pack = get_pack(country)
    try:
        pack.id_type(id_type)
        number = pack.validate_id(id_type, id_number)
    except IdInvalid as exc:
        if exc.fields.get("id_type"):
            raise
        raise ValidationFailed(exc.message, field="id_number") from exc
    return person_find(country=pack.code, id_type=id_type, id_number=number)


def visitor_code_send(*, country: str, id_type: str, id_number: str, date_of_birth) -> None:
    """Send a 6-digit code to the e-mail on file when the ID and date of birth match a
    registered person; otherwise do nothing. The caller shows the same page either way.
    Limited per client address and per ID number on every channel."""
    from ventanilla.core.ratelimit import limit

    from . import tasks
    from .clave import limit_per_id

    limit("accounts.visitor_code")
    limit_per_id("accounts.clave_online.id", id_number)

    person = _find(country, id_type, id_number)
    if (person is None or person.registration_number is None or not person.email
            or person.date_of_birth != date_of_birth):
        return
    with transaction.atomic():
        code = one_time.code_issue(purpose=OneTimeSecret.Purpose.VISITOR_CODE,
                                   subject=str(person.public_id), email=person.email,
                                   ttl=timedelta(minutes=settings.EMAIL_CODE_TTL_MINUTES))
        tasks.visitor_code.queue(to=person.email, language=person.language, code=code)


def visitor_code_check(*, country: str, id_type: str, id_number: str, code: str):
    """The person, when the code from the e-mail is right (single use, 15 minutes, few
    tries); else ``CodeInvalid`` — also for an ID that matched nobody."""
    person = _find(country, id_type, id_number)
    subject = str(person.public_id) if person is not None else f"nobody:{id_number}"
    one_time.code_redeem(purpose=OneTimeSecret.Purpose.VISITOR_CODE, subject=subject,
                         code=code)
    if person is None:  # unreachable: no code exists for nobody; kept for the type checker
        raise one_time.CodeInvalid(_("The code is not right. Enter the 6-digit code from "
                                     "the e-mail"), field="code")
    return person
