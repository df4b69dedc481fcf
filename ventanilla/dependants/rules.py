"""Dependants: what papers each request needs, where it may be filed, who is eligible and
what it costs (R-DEP-01, R-DEP-02, R-DEP-03). Pure functions, no database.

The per-country facts live in one table (``POLICIES``) rather than in branches; they
belong with the country packs and can move there as a ``dependant_policy`` hook without
changing the callers. A country without an entry gets ``DEFAULT_POLICY``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ventanilla.affiliation.rules import ADULT_AGE, Coverage, birthday
from ventanilla.core.channels import Channel

from .errors import ChildTooOld, DependantRefused, InPersonOnly, InscriptionMissing

SPOUSE = "spouse"
CHILD = "child"
RELATIONSHIPS = (SPOUSE, CHILD)
MARRIAGE = "marriage"
DE_FACTO = "de_facto"
UNION_KINDS = (MARRIAGE, DE_FACTO)


@dataclass(frozen=True)
class ChecklistItem:
    """One paper to bring or attach."""

    code: str
    label: Promise
    hint: Promise
    required: bool = True

    def as_dict(self) -> dict:
        return {"code": self.code, "label": str(self.label), "hint": str(self.hint),
                "required": self.required}


@dataclass(frozen=True)
class DependantPolicy:
    """What a health system asks to extend an affiliate's coverage to a family member."""

    legal_source: str
    child: tuple[ChecklistItem, ...]
    spouse_marriage: tuple[ChecklistItem, ...]
    spouse_marriage_abroad: tuple[ChecklistItem, ...]
    spouse_de_facto: tuple[ChecklistItem, ...]
    # R-DEP-02 (Ecuador): a foreign marriage is filed only at a counter, after its
    # inscription at the Registro Civil.
    abroad_marriage_in_person_only: bool = False
    abroad_marriage_needs_inscription: bool = False
    in_person_channels: frozenset[str] = field(
        default_factory=lambda: frozenset({Channel.IN_PERSON.value}))


# --- Ecuador (IESS) --------------------------------------------------------------------------
# Seed 002, "Registering a spouse as a dependent"; Ley de Seguridad Social, art. 11.
_EC_HOLDER_ID = ChecklistItem(
    "holder_id", _("The affiliate's cédula"),
    _("The cédula of the affiliate who extends the coverage."))
_EC_FORM = ChecklistItem(
    "extension_form", _("Coverage extension request form"),
    _("The Formulario de Solicitud de Extensión de Cobertura de Salud para Cónyuge, filled in "
      "and signed by the affiliate."))
_EC_SPOUSE_ID = ChecklistItem(
    "spouse_id", _("The spouse's or partner's cédula or passport"),
    _("The cédula if they have one; otherwise the photo page of the passport."))
_EC_MARRIAGE = ChecklistItem(
    "marriage_certificate", _("Marriage certificate"),
    _("Issued by the Registro Civil of Ecuador."))
_EC_APOSTILLED = ChecklistItem(
    "marriage_certificate_apostilled", _("Marriage certificate, apostilled"),
    _("The foreign marriage certificate with the apostille of the country where the marriage "
      "was celebrated."))
_EC_TRANSLATION = ChecklistItem(
    "certified_translation", _("Translation by a court-certified translator in Ecuador"),
    _("Only if the certificate is not in Spanish."), required=False)
_EC_INSCRIPTION = ChecklistItem(
    "civil_registry_inscription", _("Inscription of the marriage at the Registro Civil"),
    _("The certificate of inscription of the foreign marriage issued by a Registro Civil "
      "office in Ecuador. Without it the request cannot be filed."))
_EC_UNION = ChecklistItem(
    "union_declaration", _("Notarised declaration of the de-facto union"),
    _("A declaration of the unión de hecho made before a notary."))
_EC_BIRTH = ChecklistItem(
    "birth_certificate", _("The child's birth certificate"),
    _("Issued by the Registro Civil, or apostilled and translated when issued abroad."))
_EC_CHILD_ID = ChecklistItem(
    "child_id", _("The child's cédula or passport"), _("If the child has one."),
    required=False)

EC_POLICY = DependantPolicy(
    legal_source="Ley de Seguridad Social, art. 11; IESS extension of health coverage to the "
                 "spouse or partner and to children under 18 (seed 002)",
    child=(_EC_HOLDER_ID, _EC_BIRTH, _EC_CHILD_ID),
    spouse_marriage=(_EC_FORM, _EC_HOLDER_ID, _EC_SPOUSE_ID, _EC_MARRIAGE),
    spouse_marriage_abroad=(_EC_FORM, _EC_HOLDER_ID, _EC_SPOUSE_ID, _EC_APOSTILLED,
                            _EC_TRANSLATION, _EC_INSCRIPTION),
    spouse_de_facto=(_EC_FORM, _EC_HOLDER_ID, _EC_SPOUSE_ID, _EC_UNION),
    abroad_marriage_in_person_only=True,
    abroad_marriage_needs_inscription=True,
)

# --- Peru (EsSalud) --------------------------------------------------------------------------
# R-DEP-03: spouse or concubine with a recent marriage certificate or a union recognised by
# a court or a notary; minor children.
_PE_HOLDER_ID = ChecklistItem(
    "holder_id", _("The affiliate's DNI or carné de extranjería"),
    _("The identity document of the insured person who extends the coverage."))
_PE_SPOUSE_ID = ChecklistItem(
    "spouse_id", _("The spouse's or partner's DNI, carné de extranjería or passport"),
    _("Their identity document, both sides."))
_PE_MARRIAGE = ChecklistItem(
    "marriage_certificate", _("Marriage certificate issued within the last months"),
    _("A recent copy issued by the civil registry; an old copy is not accepted."))
_PE_UNION = ChecklistItem(
    "union_recognition", _("Recognition of the union (unión de hecho)"),
    _("The court ruling or the notarial recognition of the union."))
_PE_CHILD_ID = ChecklistItem(
    "child_id", _("The child's DNI or birth certificate"),
    _("The DNI of the minor, or the birth certificate if they have no DNI yet."))

PE_POLICY = DependantPolicy(
    legal_source="EsSalud: derechohabientes (spouse or concubine, minor children)",
    child=(_PE_HOLDER_ID, _PE_CHILD_ID),
    spouse_marriage=(_PE_HOLDER_ID, _PE_SPOUSE_ID, _PE_MARRIAGE),
    spouse_marriage_abroad=(_PE_HOLDER_ID, _PE_SPOUSE_ID, _PE_MARRIAGE),
    spouse_de_facto=(_PE_HOLDER_ID, _PE_SPOUSE_ID, _PE_UNION),
)

# --- any other country ------------------------------------------------------------------------
_HOLDER_ID = ChecklistItem("holder_id", _("The affiliate's identity document"),
                           _("The identity document of the affiliate."))
_SPOUSE_ID = ChecklistItem("spouse_id", _("The spouse's or partner's identity document"),
                           _("Their identity document or passport."))
_MARRIAGE = ChecklistItem("marriage_certificate", _("Marriage certificate"),
                          _("Issued by the civil registry."))
_UNION = ChecklistItem("union_proof", _("Proof of the de-facto union"),
                       _("A notarised declaration or a court ruling recognising the union."))
_CHILD = ChecklistItem("child_id", _("The child's birth certificate or identity document"),
                       _("Issued by the civil registry."))

DEFAULT_POLICY = DependantPolicy(
    legal_source="", child=(_HOLDER_ID, _CHILD),
    spouse_marriage=(_HOLDER_ID, _SPOUSE_ID, _MARRIAGE),
    spouse_marriage_abroad=(_HOLDER_ID, _SPOUSE_ID, _MARRIAGE),
    spouse_de_facto=(_HOLDER_ID, _SPOUSE_ID, _UNION),
)

POLICIES: dict[str, DependantPolicy] = {"EC": EC_POLICY, "PE": PE_POLICY}


def policy_for(country: str) -> DependantPolicy:
    return POLICIES.get((country or "").upper(), DEFAULT_POLICY)


# --- answers -----------------------------------------------------------------------------------

def relationship_check(value: str) -> str:
    if value not in RELATIONSHIPS:
        raise DependantRefused(_("Choose spouse or partner, or child"), field="relationship")
    return value


def union_kind_check(relationship: str, value: str) -> str:
    """A spouse's union is a marriage or a de-facto union; children have none."""
    if relationship != SPOUSE:
        return ""
    value = value or MARRIAGE
    if value not in UNION_KINDS:
        raise DependantRefused(_("Choose marriage or de-facto union"), field="union_kind")
    return value


def is_abroad_marriage(relationship: str, union_kind: str, marriage_abroad: bool) -> bool:
    """Only a marriage can have been celebrated abroad in the sense of R-DEP-02."""
    return relationship == SPOUSE and union_kind == MARRIAGE and bool(marriage_abroad)


# --- checklist and channel ---------------------------------------------------------------------

def checklist(country: str, relationship: str, *, marriage_abroad: bool = False,
              union_kind: str = MARRIAGE) -> tuple[ChecklistItem, ...]:
    """The papers for this country, relationship and situation (R-DEP-02, R-DEP-03)."""
    policy = policy_for(country)
    relationship = relationship_check(relationship)
    if relationship == CHILD:
        return policy.child
    union_kind = union_kind_check(relationship, union_kind)
    if union_kind == DE_FACTO:
        return policy.spouse_de_facto
    if marriage_abroad:
        return policy.spouse_marriage_abroad
    return policy.spouse_marriage


def in_person_only(country: str, relationship: str, marriage_abroad: bool) -> bool:
    return (relationship == SPOUSE and bool(marriage_abroad)
            and policy_for(country).abroad_marriage_in_person_only)


def filing_channel_allowed(country: str, relationship: str, marriage_abroad: bool,
                           channel: str) -> bool:
    """R-DEP-02: in Ecuador a spouse married abroad is filed at a counter only; not online,
    by phone or by e-mail."""
    if not in_person_only(country, relationship, marriage_abroad):
        return True
    return str(channel) in policy_for(country).in_person_channels


def needs_inscription(country: str, relationship: str, marriage_abroad: bool) -> bool:
    return (relationship == SPOUSE and bool(marriage_abroad)
            and policy_for(country).abroad_marriage_needs_inscription)


# --- eligibility ---------------------------------------------------------------------------------

def is_minor(born: date, on: date) -> bool:
    """R-DEP-01: a child can be a dependant until the day before their 18th birthday."""
    return on < birthday(born, ADULT_AGE)


def ensure_channel_allowed(*, country: str, relationship: str, marriage_abroad: bool,
                           union_kind: str, channel: str) -> None:
    """R-DEP-02: refused on a channel that does not take it, with the papers to bring."""
    if filing_channel_allowed(country, relationship, marriage_abroad, channel):
        return
    items = checklist(country, relationship, marriage_abroad=marriage_abroad,
                      union_kind=union_kind)
    raise InPersonOnly(
        _("A spouse or partner married abroad can only be added in person: the request is "
          "not accepted online, by phone or by e-mail. Book a visit to a service centre and "
          "bring the papers on the checklist."),
        field="channel", checklist=[i.as_dict() for i in items])


def ensure_eligible(*, country: str, relationship: str, born: date, on: date,
                    marriage_abroad: bool = False, inscription_reference: str = "") -> None:
    """Refuse, naming the field, what can be told from the answers alone (R-DEP-01,
    R-DEP-02)."""
    if relationship == CHILD and not is_minor(born, on):
        raise ChildTooOld(field="date_of_birth")
    if needs_inscription(country, relationship, marriage_abroad) and not inscription_reference:
        raise InscriptionMissing(field="inscription_reference")


def name_check(value: str, *, field: str) -> str:
    cleaned = " ".join((value or "").split())
    if not cleaned:
        raise DependantRefused(
            _("Enter their given names") if field == "given_names"
            else _("Enter their family names"), field=field)
    if len(cleaned) > 120:
        raise DependantRefused(_("Names must be 120 characters or fewer"), field=field)
    if any(ch.isdigit() for ch in cleaned) or not any(ch.isalpha() for ch in cleaned):
        raise DependantRefused(_("Names can only include letters, spaces, hyphens and "
                                 "apostrophes"), field=field)
    return cleaned


def birth_check(value: date | None, *, today: date) -> date:
    if value is None:
        raise DependantRefused(_("Enter their date of birth"), field="date_of_birth")
    if value > today:
        raise DependantRefused(_("Date of birth must be today or in the past"),
                               field="date_of_birth")
    if value.year < today.year - 130:
        raise DependantRefused(_("Enter a real date of birth"), field="date_of_birth")
    return value


# --- cost (R-DEP-03) ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Surcharge:
    """What covering this dependant adds to the affiliate's monthly contribution."""

    applies: bool
    message: str | Promise
    rate: Decimal | None = None          # percent
    base: str = ""                       # "sbu" | "pension" | ...
    monthly: Decimal | None = None       # when the base is known
    currency: str = ""
    legal_sources: Sequence[str] = ()


def surcharge_none(relationship: str) -> Surcharge:
    if relationship == CHILD:
        return Surcharge(False, _("Children under 18 are covered at no cost."),
                         monthly=Decimal("0.00"))
    return Surcharge(False, _("Covering a spouse or partner adds nothing to the monthly "
                              "contribution."), monthly=Decimal("0.00"))


def surcharge_family_included() -> Surcharge:
    return Surcharge(False, _("Your contribution already covers your family."),
                     monthly=Decimal("0.00"))


def surcharge_spouse(*, rate: Decimal, base: str, base_label: str | Promise,
                     monthly: Decimal | None, currency: str, legal_sources: Sequence[str] = ()
                     ) -> Surcharge:
    """R-DEP-03: a percentage of the affiliate's base (the pension for pensioners)."""
    if monthly is None:
        message = (_("Covering a spouse or partner adds %(rate)s %% of %(base)s to the monthly "
                     "contribution.") % {"rate": rate, "base": str(base_label).lower()})
    else:
        message = (_("Covering a spouse or partner adds %(rate)s %% of %(base)s to the monthly "
                     "contribution: %(amount)s %(currency)s a month.")
                   % {"rate": rate, "base": str(base_label).lower(), "amount": monthly,
                      "currency": currency})
    return Surcharge(True, message, rate=rate, base=base, monthly=monthly, currency=currency,
                     legal_sources=tuple(legal_sources))


# R-DEP-01: how far ahead the portal warns that a dependant's coverage is about to end.
ENDING_SOON_DAYS = 30


def coverage_ends_soon(coverage: Coverage, *, on: date,
                       days: int = ENDING_SOON_DAYS) -> date | None:
    """The last day covered, when a covered dependant's coverage ends within ``days`` of
    ``on`` (a child's on the day before their 18th birthday); else None."""
    until = coverage.until
    if not coverage.covered or until is None:
        return None
    return until if (until - on).days <= days else None
