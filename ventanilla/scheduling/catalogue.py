"""The services people can book, known by code (R-REG-07, R-APT-02).

A ``Service`` row stores the code and, optionally, a custom name; the names of the known
services live here as translatable strings so that every language shows them in its own
words. Medical specialties join this catalogue with ``kind="medical"``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

OFFICE = "office"
MEDICAL = "medical"


@dataclass(frozen=True)
class KnownService:
    code: str
    kind: str
    label: Promise
    description: Promise


# R-REG-07: office visits that some centres take by appointment only.
OFFICE_SERVICES: tuple[KnownService, ...] = (
    KnownService("document_submission", OFFICE, _("Document submission"),
                 _("Hand in documents for a registration or another procedure.")),
    KnownService("clave_issuance", OFFICE, _("Clave issuance"),
                 _("Get your online password (clave) after staff check your identity "
                   "document.")),
    KnownService("dependant_registration", OFFICE, _("Dependant registration"),
                 _("Extend your coverage to your spouse, partner or children.")),
)

# R-APT-02: the default medical specialties are added here with kind MEDICAL.
MEDICAL_SERVICES: tuple[KnownService, ...] = ()

CATALOGUE: dict[str, KnownService] = {s.code: s for s in (*OFFICE_SERVICES, *MEDICAL_SERVICES)}


def known_service(code: str) -> KnownService | None:
    return CATALOGUE.get(code)
