"""Date filters, one format per language (see ventanilla.core.dates).

A built-in library (settings ``TEMPLATES[...]["OPTIONS"]["builtins"]``): templates write
``{{ d|day_text }}``, ``{{ d|weekday_day_text }}``, ``{{ dt|day_time_text }}`` and
``{{ dt|weekday_day_time_text }}`` without loading anything.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django import template

from ventanilla.core import dates

register = template.Library()


def _safe(function: Callable[[date], str]) -> Callable[[object], str]:
    def wrapper(value: object) -> str:
        if not isinstance(value, date):  # datetime is a date too
            return ""
        return function(value)
    return wrapper


for _name in ("day_text", "weekday_day_text", "day_time_text", "weekday_day_time_text"):
    # expects_localtime: aware datetimes are shown in the active time zone, as with |date.
    register.filter(_name, _safe(getattr(dates, _name)), expects_localtime=True)
