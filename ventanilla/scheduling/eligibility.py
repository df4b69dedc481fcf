"""Who may book a service, per kind of service: the hook medical appointments plug into.

Office visits (R-REG-07) have no check here: people without coverage may need an office
visit precisely to sort it out. Medical services register a check that asks
``ventanilla.affiliation.selectors.coverage_for(person, on=..., service=Service.APPOINTMENTS)``
and raises a ``DomainError`` with the reason (R-APT-01)::

    eligibility_register(Service.Kind.MEDICAL, appointments_eligibility)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ventanilla.people.models import Person

    from .models import Slot


class EligibilityCheck(Protocol):
    def __call__(self, *, booked_for: Person, slot: Slot, on: date) -> None:
        """Raise a ``DomainError`` when ``booked_for`` may not book ``slot``."""


_checks: dict[str, EligibilityCheck | Callable[..., None]] = {}


def eligibility_register(kind: str, check: EligibilityCheck | Callable[..., None]) -> None:
    _checks[kind] = check


def eligibility_unregister(kind: str) -> None:
    _checks.pop(kind, None)


def eligibility_for(kind: str) -> EligibilityCheck | Callable[..., None] | None:
    return _checks.get(kind)
