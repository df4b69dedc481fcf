"""Pure rules of delivery: when to try a message again."""

from __future__ import annotations

from datetime import timedelta


def retry_delay(attempts: int, *, first: timedelta, most: timedelta) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt: ``first``, then doubling,
    never more than ``most`` (30 s, 1 min, 2 min … 1 h with the defaults)."""
    if attempts < 1:
        return timedelta(0)
    return min(first * (2 ** min(attempts - 1, 30)), most)
