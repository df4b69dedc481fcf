"""Peru: EsSalud (contributory) and SIS (subsidised)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.pe import cui

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

DNI = IdType(
    code="dni", label=_("DNI"),
    hint=_("8 digits; you may add the verification character printed after the dash"),
    national=True,
)
CE = IdType(
    code="ce", label=_("Carné de extranjería"),
    hint=_("9 digits, as printed on the card"), for_foreigners=True,
)

# R-REG-03 (seeds 001 and 003): the Peruvian registration checklist.
IDENTITY = DocumentKind(
    "identity", _("Proof of identity"),
    _("Your DNI (both sides), carné de extranjería or the photo page of your passport."))
ADDRESS = DocumentKind(
    "address", _("Proof of address"),
    _("A utility bill or rental contract with your current address."))
INCOME = DocumentKind(
    "income", _("Employment contract or proof of income"),
    _("Your employment contract under Peruvian law, or your latest payslip."))
COPIES = DocumentKind(
    "copies", _("Copies of all documents"),
    _("The files you upload here are the copies."), provided_by_form=True)

_CE = re.compile(r"^\d{9}$")


class PeruPack(LuhnRegistrationNumbers, CountryPack):
    """Peru.

    Sources: seeds 001 and 003 (registration guides); DNI / CUI algorithm from python-stdnum
    (``stdnum.pe.cui``: RENIEC, 8 digits and a check character that is a digit or a letter);
    carné de extranjería: 9 digits (Superintendencia Nacional de Migraciones, no public check
    digit); holidays from the ``holidays`` package (Decreto Legislativo 713 and later laws).
    """

    code = "PE"
    name = _("Peru")
    institution = "EsSalud / SIS"
    timezone = "America/Lima"
    currency = "PEN"
    phone_region = "PE"
    carriers = ("Claro", "Movistar", "Entel", "Bitel")
    id_types = (DNI, CE, PASSPORT)
    geography_levels = (_("Department"), _("Province"), _("District"))
    data_dir = Path(__file__).parent / "data"
    registration_prefix = "PE"
    situation_questions = ("employed_locally", "documents_in_other_language")
    # R-APT-13: EsSalud needs 24 hours' notice to cancel or reschedule an appointment.
    cancel_notice_hours = 24
    # R-CER-04: a private rest over 20 days becomes an official CITT; R-CER-05: EsSalud's
    # TUPA gives its validators 3 working days.
    certificate_official_over_days = 20
    official_certificate_prefix = "CITT"
    # R-CER-01: the stamp carries the doctor's number in the Colegio Médico del Perú
    # (CMP), up to six digits, often written "CMP 012345".
    doctor_registration_pattern = r"(C\.?\s*M\.?\s*P\.?\s*(N[º°O.]?\s*)?)?\d{1,6}"
    doctor_registration_example = "CMP 012345"
    # R-APT-06: no day-by-ID rule is published for EsSalud's phone booking (R-APT-13), so
    # ``phone_booking_weekdays`` keeps the base class's "no restriction".

    # R-AFF-08: EsSalud (contributory) and the SIS plans.
    affiliation_types = (
        AffiliationType("essalud_regular", _("EsSalud, regular insured (employee)")),
        AffiliationType("sis_gratuito", _("SIS Gratuito"), public_status_lookup=True),
        AffiliationType("sis_para_todos", _("SIS Para Todos"), public_status_lookup=True),
        AffiliationType("sis_independiente", _("SIS Independiente"), public_status_lookup=True),
        AffiliationType("dependant", _("Dependant of an insured person"), is_dependant=True),
    )
    # R-HLP-01, R-APT-01, R-APT-14: channels and care elsewhere, with sources (contacts.py).
    contacts = CONTACTS
    care_options = CARE_OPTIONS
    quote_affiliation_type = "sis_independiente"
    basic_salary_name = _("Minimum living wage (RMV)")
    basic_salary_defaults = (
        BasicSalaryDefault(2023, "1025.00", "Decreto Supremo N.° 003-2022-TR"),
        BasicSalaryDefault(2024, "1025.00", "Decreto Supremo N.° 003-2022-TR"),
        BasicSalaryDefault(2025, "1130.00", "Decreto Supremo N.° 006-2024-TR"),
    )
    rate_defaults = (
        RateDefault("essalud_regular", "contribution", "1997-05-17", rate="9.00",
                    base="salary", employer_rate="9.00",
                    legal_source="Ley N.° 26790, art. 6: 9 % of the salary, paid by the "
                                 "employer"),
        RateDefault("sis_independiente", "contribution", "2000-01-01", flat_amount="39.00",
                    base="none", legal_source="SIS Independiente: S/ 39 a month (R-AFF-08)"),
        RateDefault("sis_gratuito", "contribution", "2000-01-01", flat_amount="0.00",
                    base="none", legal_source="SIS Gratuito: households classed poor or "
                                              "extremely poor pay nothing (R-AFF-08)"),
        RateDefault("sis_para_todos", "contribution", "2000-01-01", flat_amount="0.00",
                    base="none", legal_source="SIS Para Todos: no contribution (R-AFF-08)"),
    )

    def validate_id(self, id_type: str, value: str, /) -> str:
        kind = self.id_type(id_type)
        if kind is PASSPORT:
            return validate_passport(value)
        raw = re.sub(r"[\s\-]", "", value or "").upper()
        if kind is CE:
            if not raw:
                raise IdInvalid(_("Enter your carné de extranjería number"), field="id_number")
            if not raw.isdigit():
                raise IdInvalid(_("A carné de extranjería number has only digits. Enter the 9 "
                                  "digits of your card"), field="id_number")
            if not _CE.match(raw):
                raise IdInvalid(_("A carné de extranjería number has 9 digits. Enter the 9 "
                                  "digits of your card"), field="id_number")
            return raw
        if not raw:
            raise IdInvalid(_("Enter your DNI number"), field="id_number")
        if not raw[:8].isdigit():
            raise IdInvalid(_("A DNI number has 8 digits. Enter the 8 digits of your DNI"),
                            field="id_number")
        try:
            # Keep the 8 digits; the check character only guards against typing mistakes.
            return cui.validate(raw)[:8]
        except InvalidLength as exc:
            raise IdInvalid(_("A DNI number has 8 digits. Enter the 8 digits of your DNI"),
                            field="id_number") from exc
        except InvalidFormat as exc:
            raise IdInvalid(_("A DNI number has 8 digits, then optionally its verification "
                              "character. Enter it as printed on your DNI"),
                            field="id_number") from exc
        except InvalidChecksum as exc:
            raise IdInvalid(_("The verification character does not match this DNI number. "
                              "Check both on your DNI"), field="id_number") from exc

    def all_document_kinds(self) -> Sequence[DocumentKind]:
        return (IDENTITY, ADDRESS, INCOME, TRANSLATION, COPIES)

    def required_documents(self, situation: Situation) -> Sequence[DocumentKind]:
        docs = [IDENTITY, ADDRESS]
        if situation.employed_locally:
            docs.append(INCOME)
        if situation.documents_in_other_language:
            docs.append(TRANSLATION)
        docs.append(COPIES)
        return docs
