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
