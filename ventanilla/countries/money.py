"""Money as people read it: the country's currency, written for the active language.

``money_text(Decimal("94.76"), country="EC")`` gives "$ 94,76" in Spanish (as in Ecuador)
and "US$ 94.76" in English; Peru writes "S/ 94.76" in both. Templates:
``{% load money %}{{ amount|money_text:country }}``. The currency comes from the country
pack (``pack.currency``), the digits from CLDR (Babel) for ``es_<country>`` or ``en``.
"""

from __future__ import annotations

from decimal import Decimal

from babel.core import Locale, UnknownLocaleError
from babel.numbers import format_decimal
from django.utils import translation

from ventanilla.countries.registry import get_pack

# The symbol people read, per language; a currency not listed is written by its ISO code.
SYMBOLS = {
    "es": {"USD": "$", "PEN": "S/"},
    "en": {"USD": "US$", "PEN": "S/"},
}
NBSP = "\u00a0"


def _number_locale(language: str, country: str) -> str:
    if language == "es":
        try:
            return str(Locale.parse(f"es_{country}"))
        except (UnknownLocaleError, ValueError):
            return "es"
    return language


def money_text(amount: Decimal | int | float, *, country: str,
               language: str | None = None) -> str:
    currency = get_pack(country).currency
    language = (language or translation.get_language() or "es").split("-")[0]
    symbol = SYMBOLS.get(language, SYMBOLS["en"]).get(currency, currency)
    digits = format_decimal(Decimal(amount).quantize(Decimal("0.01")), format="#,##0.00",
                            locale=_number_locale(language, country))
    return f"{symbol}{NBSP}{digits}"
