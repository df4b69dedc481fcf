"""``{% load money %}{{ amount|money_text:country }}`` (see ventanilla.countries.money)."""

from __future__ import annotations

from django import template

from ventanilla.countries.money import money_text as _money_text

register = template.Library()


@register.filter
def money_text(amount, country: str) -> str:
    if amount is None or amount == "":
        return ""
    return _money_text(amount, country=country)
