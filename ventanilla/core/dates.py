"""One way to write a date, per language (issue 12, item 9).

Spanish: "7 de diciembre de 2026", "lunes 7 de diciembre de 2026", "…, 09:00".
English: "7 December 2026", "Monday 7 December 2026", "…, 09:00".

Python calls ``day_text(d)``, ``day_time_text(dt)``, ``weekday_day_text(d)`` and
``weekday_day_time_text(dt)``; templates use the filters of the same names (a built-in
library, ``ventanilla.core.templatetags.dates``: no ``{% load %}`` needed), e.g.
``{{ booking.starts|weekday_day_time_text }}``. The project's format modules
(``ventanilla/config/formats/<lang>/formats.py``) read the same patterns, so Django's
``DATE_FORMAT`` and ``DATETIME_FORMAT`` (the admin, ``|date`` without an argument,
``date_format(d)``) say exactly the same.

The functions write the datetime they are given: convert it to the country's time first
(``pack.tz``). The template filters, like Django's ``|date``, show aware datetimes in the
active time zone.

Allowed elsewhere: ISO values for URLs and inputs (``Y-m-d``) and a time alone (``H:i``).
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import formats, translation

# Django's date-format syntax; a backslash escapes a letter.
DAY = {"es": r"j \d\e F \d\e Y", "en": "j F Y"}
WEEKDAY_DAY = {"es": r"l j \d\e F \d\e Y", "en": "l j F Y"}
TIME = "H:i"
DEFAULT_LANGUAGE = "es"


def _pattern(patterns: dict[str, str], language: str | None = None) -> str:
    code = (language or translation.get_language() or DEFAULT_LANGUAGE).split("-")[0]
    return patterns.get(code, patterns[DEFAULT_LANGUAGE])


def day_pattern(language: str | None = None) -> str:
    return _pattern(DAY, language)


def weekday_day_pattern(language: str | None = None) -> str:
    return _pattern(WEEKDAY_DAY, language)


def day_time_pattern(language: str | None = None) -> str:
    return f"{day_pattern(language)}, {TIME}"


def weekday_day_time_pattern(language: str | None = None) -> str:
    return f"{weekday_day_pattern(language)}, {TIME}"


def day_text(value: date) -> str:
    """"7 de diciembre de 2026" / "7 December 2026"."""
    return formats.date_format(value, day_pattern())


def weekday_day_text(value: date) -> str:
    """"lunes 7 de diciembre de 2026" / "Monday 7 December 2026"."""
    return formats.date_format(value, weekday_day_pattern())


def day_time_text(value: datetime) -> str:
    """"7 de diciembre de 2026, 09:00" / "7 December 2026, 09:00"."""
    return formats.date_format(value, day_time_pattern())


def weekday_day_time_text(value: datetime) -> str:
    """"lunes 7 de diciembre de 2026, 09:00" / "Monday 7 December 2026, 09:00"."""
    return formats.date_format(value, weekday_day_time_pattern())


def time_text(value: datetime) -> str:
    """"09:00" in both languages."""
    return formats.time_format(value, TIME)
