from __future__ import annotations

import secrets
from datetime import date

from django.utils import timezone

from .models import Person


def person_register(*, country: str, id_type: str, id_number: str, given_names: str,
                    family_names: str, date_of_birth: date, nationality: str, email: str,
                    mobile_phone: str, carrier: str, subdivision_code: str, street: str,
                    residency_document: str, language: str,
                    registration_number: str) -> Person:
    """Create (or complete) the person an approved registration is about."""
    person, _ = Person.objects.select_for_update().get_or_create(
        country=country, id_type=id_type, id_number=id_number,
        defaults={"given_names": given_names, "family_names": family_names,
                  "date_of_birth": date_of_birth, "nationality": nationality},
    )
    person.given_names = given_names
    person.family_names = family_names
    person.date_of_birth = date_of_birth
    person.nationality = nationality
    person.email = email
    person.mobile_phone = mobile_phone
    person.carrier = carrier
    person.subdivision_code = subdivision_code
    person.street = street
    person.residency_document = residency_document
    person.language = language
    person.registration_number = registration_number
    person.registered_at = timezone.now()
    person.verification_code = person.verification_code or secrets.token_urlsafe(16)
    person.save()
    return person


def person_contact_update(*, person: Person, mobile_phone: str, carrier: str, email: str,
                          actor=None, channel: str = "web") -> Person:
    """R-APT-03 / R-ID-02: the person confirms their mobile phone, carrier and e-mail before
    booking. The carrier comes from the number where the phone library knows it, else the
    person chooses one of the country's carriers. Nothing is saved unless all three are
    right."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email
    from django.utils.translation import gettext_lazy as _

    from ventanilla.core.audit import audit_record
    from ventanilla.core.errors import ValidationFailed
    from ventanilla.countries.registry import get_pack

    pack = get_pack(person.country)
    problems: dict = {}
    phone = None
    try:
        phone = pack.validate_mobile(mobile_phone or "")
    except ValidationFailed as exc:
        problems["mobile_phone"] = exc.message
    chosen = (carrier or "").strip()
    known = tuple(getattr(pack, "carriers", ()))
    if phone is not None and phone.carrier:
        chosen = phone.carrier
    elif not chosen:
        problems["carrier"] = _("Select your mobile phone carrier")
    elif known and chosen not in known:
        problems["carrier"] = _("Select one of the carriers in the list")
    address = (email or "").strip()
    try:
        validate_email(address)
    except ValidationError:
        problems["email"] = _("Enter an e-mail address in the correct format, like "
                              "name@example.com")
    if problems:
        raise ValidationFailed(fields=problems)
    assert phone is not None
    person.mobile_phone = phone.e164
    person.carrier = chosen[:60]
    person.email = address
    person.save(update_fields=["mobile_phone", "carrier", "email", "updated_at"])
    user = person.user
    if user is not None and user.email != address:
        user.email = address
        user.save(update_fields=["email"])
    if actor is not None and getattr(actor, "is_staff", False):
        audit_record(actor=actor, action="person.contact_update", obj=person,
                     subject_ref=person.subject_ref, channel=channel)
    return person
