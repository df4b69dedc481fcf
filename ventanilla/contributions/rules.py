"""Contribution arithmetic: exact decimals, rounded half-up to the cent (R-AFF-02)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def percent_of(base: Decimal, rate_percent: Decimal) -> Decimal:
    """``rate_percent`` % of ``base``, to the cent: 460 × 20.60 % = 94.76."""
    return money(base * rate_percent / Decimal(100))
