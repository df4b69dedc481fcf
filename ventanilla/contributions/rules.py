"""Contribution arithmetic: exact decimals, rounded half-up to the cent (R-AFF-02)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def percent_of(base: Decimal, rate_percent: Decimal) -> Decimal:
    """``rate_percent`` % of ``base``, to the cent: 460 × 20.60 % = 94.76."""
    return money(base * rate_percent / Decimal(100))


MONTH_STATUS_LABELS = {
    "paid": _("Paid"),
    "partial": _("Partly paid"),
    "missing": _("Not paid (arrears)"),
    "not_due": _("Not due yet"),
}


@dataclass(frozen=True)
class MonthRow:
    period: date            # first day of the month
    expected: Decimal | None
    paid: Decimal
    status: str             # "paid" | "partial" | "missing" | "not_due"

    @property
    def owed(self) -> Decimal:
        if self.status in ("missing", "partial") and self.expected is not None:
            return max(self.expected - self.paid, Decimal("0.00"))
        return Decimal("0.00")

    @property
    def status_label(self) -> str:
        return str(MONTH_STATUS_LABELS.get(self.status, self.status))


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(period: date) -> date:
    return date(period.year, period.month, calendar.monthrange(period.year, period.month)[1])


def months(first: date, last: date) -> list[date]:
    """First days of every month from ``first``'s month to ``last``'s month, inclusive."""
    out = []
    cursor = month_start(first)
    while cursor <= last:
        out.append(cursor)
        cursor = (cursor.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out


def history(periods: list[date], *, paid: dict[date, Decimal],
            expected: dict[date, Decimal | None], today: date) -> list[MonthRow]:
    """One row a month: paid in full, partly, not at all (arrears), or not due yet (a month
    is due once it has ended)."""
    rows = []
    for period in periods:
        amount = paid.get(period, Decimal("0.00"))
        want = expected.get(period)
        if period in paid and (want is None or amount >= want):
            status = "paid"
        elif month_end(period) >= today:
            status = "not_due" if period not in paid else "partial"
        elif period in paid:
            status = "partial"
        else:
            status = "missing"
        rows.append(MonthRow(period, want, amount, status))
    return rows


def unpaid_since(rows: list[MonthRow]) -> date | None:
    """The day the oldest unpaid month fell due (its last day), or None."""
    unpaid = [r for r in rows if r.status in ("missing", "partial")]
    return month_end(unpaid[0].period) if unpaid else None
