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


def medical_services_ensure(country: str) -> list[Service]:
    """The default medical specialties of R-APT-02 for ``country``, created when missing,
    at their default level of care (R-APT-12). Existing rows keep what administrators set."""
    code = get_pack(country).code
    out = []
    for known in catalogue.MEDICAL_SERVICES:
        service, _created = Service.objects.get_or_create(
            country=code, code=known.code, defaults={"kind": known.kind, "level": known.level})
        out.append(service)
    return out
