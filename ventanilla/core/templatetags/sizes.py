"""File sizes people can read (``{% load sizes %}``): "391 B", "0,4 KB" / "0.4 KB", "2,3 MB",
the decimal mark of the active language (Django's ``filesizeformat`` says "391 bytes")."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()

_UNITS = (("MB", 1024 * 1024), ("KB", 1024))


@register.filter
def human_size(value: int | None) -> str:
    """Bytes below 1 KB, else KB or MB with one decimal (1024-based, like file managers)."""
    try:
        size = int(value or 0)
    except (TypeError, ValueError):
        return ""
    for unit, factor in _UNITS:
        if size >= factor:
            amount = (Decimal(size) / factor).quantize(Decimal("0.1"))
            return f"{number_format(amount, decimal_pos=1)}\N{NO-BREAK SPACE}{unit}"
    return f"{size}\N{NO-BREAK SPACE}B"
