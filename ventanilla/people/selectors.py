from __future__ import annotations

from .models import Person


def person_is_registered(*, country: str, id_type: str, id_number: str) -> bool:
    return Person.objects.filter(country=country, id_type=id_type, id_number=id_number,
                                 registration_number__isnull=False).exists()


def person_get_by_verification_code(code: str) -> Person | None:
    if not code:
        return None
    return Person.objects.filter(verification_code=code,
                                 registration_number__isnull=False).first()


def person_find(*, country: str, id_type: str, id_number: str) -> Person | None:
    return Person.objects.filter(country=country, id_type=id_type, id_number=id_number).first()


def person_get(public_id) -> Person | None:
    """A person by public id; None for an unknown or malformed id."""
    import uuid

    try:
        key = uuid.UUID(str(public_id))
    except (TypeError, ValueError):
        return None
    return Person.objects.filter(public_id=key).first()
