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
    level: int = 1      # R-APT-12: 2 = second level, booked with a referral
    under_age: int | None = None   # only for patients younger than this (Pediatrics: 18)
    # how often it is booked before a country has its own figures: General Medicine first
    usual_rank: int = 99


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

# R-APT-02: the default medical specialties; R-APT-12: Ophthalmology and Traumatology are
# second level (referral needed) by default. Administrators change the level per country.
MEDICAL_SERVICES: tuple[KnownService, ...] = (
    KnownService("pediatrics", MEDICAL, _("Pediatrics"),
                 _("Care of babies, children and teenagers under 18."), under_age=18,
                 usual_rank=4),
    KnownService("gynecology", MEDICAL, _("Gynecology"),
                 _("Women's health, pregnancy check-ups and family planning."),
                 usual_rank=5),
    KnownService("dentistry", MEDICAL, _("Dentistry"),
                 _("Check-ups, fillings, extractions and cleaning of teeth."), usual_rank=2),
    KnownService("ophthalmology", MEDICAL, _("Ophthalmology"),
                 _("Eye diseases and eye examinations. Needs a referral."), level=2,
                 usual_rank=7),
    KnownService("traumatology", MEDICAL, _("Traumatology"),
                 _("Injuries and diseases of bones, joints and muscles. Needs a referral."),
                 level=2, usual_rank=8),
    KnownService("psychology", MEDICAL, _("Psychology"),
                 _("Counselling and mental health care."), usual_rank=6),
    KnownService("family_medicine", MEDICAL, _("Family Medicine"),
                 _("Ongoing care of the whole family."), usual_rank=3),
    KnownService("general_medicine", MEDICAL, _("General Medicine"),
                 _("A first visit for most health problems."), usual_rank=1),
)

CATALOGUE: dict[str, KnownService] = {s.code: s for s in (*OFFICE_SERVICES, *MEDICAL_SERVICES)}


def known_service(code: str) -> KnownService | None:
    return CATALOGUE.get(code)


def suits_age(code: str, *, born, on) -> bool:
    """Whether a patient born on ``born`` may be seen in specialty ``code`` on ``on``
    (Pediatrics is for patients under 18)."""
    known = CATALOGUE.get(code)
    if known is None or known.under_age is None or born is None:
        return True
    try:
        birthday = born.replace(year=born.year + known.under_age)
    except ValueError:   # 29 February
        birthday = born.replace(year=born.year + known.under_age, day=28)
    return on < birthday
