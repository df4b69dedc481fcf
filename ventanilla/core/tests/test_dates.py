"""One date format per language, through one formatter (issue 12, item 9)."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import formats, timezone, translation

from ventanilla.core import dates

ROOT = Path(__file__).resolve().parents[2]  # the ventanilla package
DAY = date(2026, 12, 7)
NINE = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("America/Guayaquil"))

EXPECTED = {
    "es": {"day_text": "7 de diciembre de 2026",
           "weekday_day_text": "lunes 7 de diciembre de 2026",
           "day_time_text": "7 de diciembre de 2026, 09:00",
           "weekday_day_time_text": "lunes 7 de diciembre de 2026, 09:00"},
    "en": {"day_text": "7 December 2026",
           "weekday_day_text": "Monday 7 December 2026",
           "day_time_text": "7 December 2026, 09:00",
           "weekday_day_time_text": "Monday 7 December 2026, 09:00"},
}
CASES = [(lang, name, text) for lang, names in EXPECTED.items() for name, text in names.items()]


@pytest.mark.parametrize(("lang", "name", "text"), CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_the_formatter_writes_one_format_per_language(lang, name, text):
    value = NINE if "time" in name else DAY
    with translation.override(lang):
        assert getattr(dates, name)(value) == text


@pytest.mark.parametrize(("lang", "name", "text"), CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_templates_call_the_same_formatter_without_loading_it(lang, name, text):
    value = NINE if "time" in name else DAY
    with translation.override(lang), timezone.override("America/Guayaquil"):
        assert Template("{{ v|" + name + " }}").render(Context({"v": value})) == text


def test_the_filters_show_an_aware_datetime_in_the_active_time_zone():
    utc = datetime(2026, 12, 7, 14, 0, tzinfo=ZoneInfo("UTC"))
    with translation.override("en"), timezone.override("America/Lima"):
        assert Template("{{ v|day_time_text }}").render(Context({"v": utc})) == \
            "7 December 2026, 09:00"


def test_an_empty_value_renders_nothing():
    assert Template("{{ v|day_text }}{{ w|day_time_text }}").render(
        Context({"v": None, "w": ""})) == ""


@pytest.mark.parametrize(("lang", "day", "moment"), [
    ("es", "7 de diciembre de 2026", "7 de diciembre de 2026, 09:00"),
    ("en", "7 December 2026", "7 December 2026, 09:00"),  # Django's own says "Dec. 7, 2026"
], ids=["es", "en"])
def test_djangos_date_formats_say_the_same(lang, day, moment):
    with translation.override(lang):
        assert formats.date_format(DAY) == day
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == day
        assert formats.date_format(NINE, "DATETIME_FORMAT") == moment
        assert Template("{{ v|date }}").render(Context({"v": DAY})) == day


# --- no ad-hoc day formats left ---------------------------------------------------------

# A format passed to |date or |time in a template: only ISO values for URLs and inputs and
# a time alone are allowed, and a month's name under its year (contributions); every day
# goes through the filters above.
TEMPLATE_FORMAT = re.compile(r"""\|(?:date|time):(["'])(?P<format>[^"']*)\1""")
ALLOWED_TEMPLATE_FORMATS = {"Y-m-d", "H:i", "H:i:s", "F"}
# A literal format given to Django's formatter or strftime in Python.
PYTHON_FORMAT = re.compile(
    r"""(?:date_format|time_format|dateformat\.format)\([^()]*?,\s*(["'])(?P<format>[^"']*)\1"""
    r"""|strftime\((["'])(?P<strftime>[^"']*)\3""")
# DATE_FORMAT and DATETIME_FORMAT are the project's own (config/formats), the same patterns.
ALLOWED_PYTHON_FORMATS = {"DATE_FORMAT", "DATETIME_FORMAT", "H:i", "%H:%M", "%Y-%m-%d", "%Y%m%dT%H%M%SZ", "%Y%m%dT%H%M%S"}
# (file, format) pairs allowed to keep a literal format: none today.
KNOWN_PYTHON_EXCEPTIONS: set[tuple[str, str]] = set()


def _files(*suffixes: str):
    for path in sorted(ROOT.rglob("*")):
        if path.suffix in suffixes and "tests" not in path.parts:
            yield path


def test_templates_write_days_only_through_the_formatter():
    leftovers = [
        f"{path.relative_to(ROOT)}: {m.group(0)}"
        for path in _files(".html", ".txt", ".ics", ".xml")
        for m in TEMPLATE_FORMAT.finditer(path.read_text(encoding="utf-8"))
        if m.group("format") not in ALLOWED_TEMPLATE_FORMATS
    ]
    assert leftovers == []


def test_python_writes_days_only_through_the_formatter():
    leftovers = []
    for path in _files(".py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(("core/dates.py", "config/formats/")) or "/migrations/" in rel:
            continue
        for m in PYTHON_FORMAT.finditer(path.read_text(encoding="utf-8")):
            found = m.group("format") if m.group("format") is not None else m.group("strftime")
            if found not in ALLOWED_PYTHON_FORMATS and (rel, found) not in KNOWN_PYTHON_EXCEPTIONS:
                leftovers.append(f"{rel}: {m.group(0)}")
    assert leftovers == []
