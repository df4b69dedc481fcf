"""Translated reference names (countries for nationality) from CLDR via Babel."""

from __future__ import annotations

from functools import cache

from babel import Locale

# CLDR territories that are not countries people hold a nationality of.
_NOT_NATIONALITIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


@cache
def country_names(language: str) -> dict[str, str]:
    locale = Locale.parse("en" if language.startswith("en") else "es")
    return {
        code: name for code, name in locale.territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_NATIONALITIES
    }


def country_choices(language: str) -> list[tuple[str, str]]:
    import unicodedata

    names = country_names(language)
    return sorted(names.items(),
                  key=lambda kv: unicodedata.normalize("NFKD", kv[1]).encode("ascii", "ignore"))
