"""Ecuador: Instituto Ecuatoriano de Seguridad Social (IESS)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from django.utils.translation import gettext_lazy as _
from stdnum.ec import ci
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from ..base import (
    AffiliationType,
    BasicSalaryDefault,
    CountryPack,
    DocumentKind,
    IdInvalid,
    IdType,
    RateDefault,
    Situation,
)
from ..common import PASSPORT, TRANSLATION, LuhnRegistrationNumbers, validate_passport
from .contacts import CARE_OPTIONS, CONTACTS

CEDULA = IdType(
    code="cedula", label=_("Cédula de identidad"),
    hint=_("10 digits, as printed on the card"), national=True,
)

# R-REG-03 (seed 000): the Ecuadorian registration checklist.
IDENTITY = DocumentKind(
    "identity", _("Proof of identity"),
    _("Your cédula (both sides) or the photo page of your passport."),
    sides=2)  # the cédula de identidad has the holder's data on both sides
RESIDENCE = DocumentKind(
    "residence", _("Proof of residence"),
    _("A utility bill or rental agreement from the last 3 months with your address."))
RESIDENCY_PERMIT = DocumentKind(
    "residency_permit", _("Visa or residency card"),
    _("Your temporary or permanent residency visa or card (Ley Orgánica de Movilidad Humana)."))
PREVIOUS_CARD = DocumentKind(
    "previous_card", _("Previous health or insurance card"),
    _("Any health or insurance card you received before, if you have one."), required=False)
FORM = DocumentKind(
    "registration_form", _("Registration form"),
    _("The form you fill in here online."), provided_by_form=True)


class EcuadorPack(LuhnRegistrationNumbers, CountryPack):
    """Ecuador.

    Sources: seed 000 (registration guide), seed 002 (IESS for expats), seed 004;
    cédula algorithm from python-stdnum (``stdnum.ec.ci``: Registro Civil, modulus 10 with
    province 01–24 or 30); holidays from the ``holidays`` package, Ley Orgánica de Servicio
    Público art. 56 moves holidays to the nearest Monday or Friday, and centres close on the
    moved day (R-APT-10).
    """
    # R-CER-04: 8 working days after the last day of rest; online up to 30 days.
    certificate_submit_working_days = 8
    certificate_online_max_days = 30
    certificate_days_in_words = True
    # R-CER-01: the stamp carries the doctor's registration with the MSP (ACESS), which is
    # the SENESCYT registration of the medical degree: the institution's code, the year
    # and a sequence, e.g. "1005-2016-1727394". To be confirmed with ACESS (closing note).
    doctor_registration_pattern = r"\d{4}-\d{2}(\d{2})?-\d{4,8}"
    doctor_registration_example = "1005-2016-1727394"

    code = "EC"
    name = _("Ecuador")
    institution = "IESS"
    timezone = "America/Guayaquil"
    currency = "USD"
    phone_region = "EC"
    carriers = ("Claro", "Movistar", "CNT")
    id_types = (CEDULA, PASSPORT)
    geography_levels = (_("Province"), _("Canton"), _("Parish"))
    data_dir = Path(__file__).parent / "data"
    registration_prefix = "IESS"
    situation_questions = ("has_previous_health_card", "documents_in_other_language")
    asks_social_security_number = True
    holidays_closed_on_observed_day = True

    # R-AFF-01 (seeds 002, 004): affiliation types.
    affiliation_types = (
        AffiliationType("employee", _("Employee (general insurance)")),
        AffiliationType("voluntary", _("Voluntary affiliation"), lapses_after_days_unpaid=90),
        AffiliationType("pensioner", _("Pensioner (jubilado)")),
        AffiliationType("peasant", _("Peasant insurance (Seguro Social Campesino)"),
                        may_book_appointments=False),
        AffiliationType("dependant", _("Dependant of an affiliate"), is_dependant=True),
    )
    # R-HLP-01, R-APT-01, R-APT-14: channels and care elsewhere, with sources (contacts.py).
    contacts = CONTACTS
    care_options = CARE_OPTIONS
    quote_affiliation_type = "voluntary"
    basic_salary_name = _("Unified basic salary (SBU)")
    # R-AFF-02: SBU per year, each with its legal source.
    basic_salary_defaults = (
        BasicSalaryDefault(2023, "450.00", "DOMAIN.md R-AFF-02 (seed 002)"),
        BasicSalaryDefault(2024, "460.00", "Seed 002: SBU 2024 USD 460"),
        BasicSalaryDefault(2025, "470.00", "Acuerdo Ministerial MDT-2024-300"),
        BasicSalaryDefault(2026, "482.00",
                           "Consejo Nacional de Trabajo y Salarios, December 2025"),
    )
    # R-AFF-02 / R-AFF-06 / R-DEP-03 / R-AFF-07. The seed's 20.60 % voluntary rate is the
    # shipped default; the published 17.60 % of a declared base is entered as a dated row.
    rate_defaults = (
        RateDefault("voluntary", "contribution", "2000-01-01", rate="20.60", base="sbu",
                    legal_source="Seed 002: voluntary affiliation 20.60 % of the SBU"),
        RateDefault("employee", "contribution", "2000-01-01", rate="20.60", base="salary",
                    worker_rate="9.45", employer_rate="11.15",
                    legal_source="IESS 2025: 9.45 % worker + 11.15 % employer"),
        RateDefault("*", "spouse_surcharge", "2000-01-01", rate="3.41", base="sbu",
                    legal_source="IESS: extension of coverage to the spouse or partner, "
                                 "3.41 % of the affiliate's base"),
        RateDefault("pensioner", "spouse_surcharge", "2000-01-01", rate="4.15",
                    base="pension",
                    legal_source="IESS: extension of coverage to the spouse of a pensioner, "
                                 "4.15 % of the pension"),
        RateDefault("peasant", "contribution", "2000-01-01", flat_amount="2.82",
                    base="none", covers_family=True,
                    legal_source="Seguro Social Campesino: flat family contribution"),
    )

    def validate_id(self, id_type: str, value: str, /) -> str:
        kind = self.id_type(id_type)
        if kind is PASSPORT:
            return validate_passport(value)
        raw = (value or "").strip()
        if not raw:
            raise IdInvalid(_("Enter your cédula number"), field="id_number")
        compact = ci.compact(raw)
        try:
            return ci.validate(compact)
        except InvalidFormat as exc:
            raise IdInvalid(_("A cédula number has only digits. Enter the 10 digits of your "
                              "cédula"), field="id_number") from exc
        except InvalidLength as exc:
            raise IdInvalid(_("A cédula number has 10 digits. Enter the 10 digits of your "
                              "cédula"), field="id_number") from exc
        except InvalidComponent as exc:
            raise IdInvalid(_("The first two digits of a cédula are a province code (01 to 24, "
                              "or 30) and the third is below 6. Check the number on your card"),
                            field="id_number") from exc
        except InvalidChecksum as exc:
            raise IdInvalid(_("This cédula number is not valid: the last digit does not match. "
                              "Check the number on your card"), field="id_number") from exc

    def phone_booking_weekdays(self, id_number: str, /) -> set[int]:
        """R-APT-06 (seed 004, IESS call centre 140): the last digit of the caller's ID
        decides the days: even (0, 2, 4, 6, 8) → Tuesday, Thursday, Saturday; odd →
        Monday, Wednesday, Friday. An ID without a final digit (some passports) has no
        restriction."""
        last = (id_number or "").strip()[-1:]
        if not last.isdigit():
            return set(range(7))
        return {1, 3, 5} if int(last) % 2 == 0 else {0, 2, 4}

    def all_document_kinds(self) -> Sequence[DocumentKind]:
        return (IDENTITY, RESIDENCE, RESIDENCY_PERMIT, PREVIOUS_CARD, TRANSLATION, FORM)

    def required_documents(self, situation: Situation) -> Sequence[DocumentKind]:
        docs = [IDENTITY, RESIDENCE]
        if situation.is_foreign_national:
            docs.append(RESIDENCY_PERMIT)
        docs.append(PREVIOUS_CARD)
        if situation.documents_in_other_language:
            docs.append(TRANSLATION)
        docs.append(FORM)
        return docs
