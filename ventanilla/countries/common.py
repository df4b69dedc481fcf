"""Validators shared by packs (documents that are not national)."""

from __future__ import annotations

import re
from datetime import date

from django.utils.translation import gettext_lazy as _
from stdnum import luhn

from .base import DocumentKind, IdInvalid, IdType

PASSPORT = IdType(
    code="passport", label=_("Passport"),
    hint=_("Letters and numbers, as printed on the passport's photo page"), for_foreigners=True,
)
TRANSLATION = DocumentKind(
    "translation", _("Official translation"),
    _("An official translation into Spanish of every document that is not in Spanish."))

_PASSPORT = re.compile(r"^[A-Z0-9]{5,9}$")


def validate_passport(value: str) -> str:
    """ICAO Doc 9303: a passport number is at most 9 letters and digits (MRZ field).

    The number itself carries no public check digit (only the MRZ line does), so the
    format is what can be checked.
    """
    compact = re.sub(r"[\s\-.]", "", value or "").upper()
    if not compact:
        raise IdInvalid(_("Enter your passport number"), field="id_number")
    if not compact.isalnum() or not compact.isascii():
        raise IdInvalid(_("A passport number has only letters and numbers. Enter it as printed "
                          "on your passport"), field="id_number")
    if not _PASSPORT.match(compact):
        raise IdInvalid(_("A passport number has 5 to 9 letters and numbers. Enter it as "
                          "printed on your passport"), field="id_number")
    return compact


class LuhnRegistrationNumbers:
    """Registration numbers ``<PREFIX>-<year>-<7 digits><Luhn check digit>``.

    The institutions publish no format of their own for a registration number; this one is
    Ventanilla's, readable on the phone and checked against typing mistakes.
    """

    registration_prefix: str

    def registration_number(self, sequence: int, issued_on: date) -> str:
        body = f"{issued_on.year:04d}{sequence:07d}"
        return (f"{self.registration_prefix}-{issued_on.year:04d}-{sequence:07d}"
                f"{luhn.calc_check_digit(body)}")

    def registration_number_is_valid(self, value: str) -> bool:
        m = re.fullmatch(rf"{re.escape(self.registration_prefix)}-(\d{{4}})-(\d{{7}})(\d)",
                         value or "")
        return m is not None and luhn.is_valid(m.group(1) + m.group(2) + m.group(3))
