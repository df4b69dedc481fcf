"""Validators shared by packs (documents that are not national)."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from .base import IdInvalid

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
