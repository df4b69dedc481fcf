"""Default rows every country starts with; administrators edit them afterwards."""

from __future__ import annotations

from ventanilla.countries.registry import get_pack

from . import catalogue
from .models import Service


def office_services_ensure(country: str) -> list[Service]:
    """The office services of R-REG-07 for ``country``, created when missing. Existing rows
    (and any custom name or deactivation an administrator gave them) are kept."""
    code = get_pack(country).code
    out = []
    for known in catalogue.OFFICE_SERVICES:
        service, _created = Service.objects.get_or_create(
            country=code, code=known.code, defaults={"kind": known.kind})
        out.append(service)
    return out
