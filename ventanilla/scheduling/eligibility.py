"""Who may book a service, per kind of service: the hook medical appointments plug into.

Office visits (R-REG-07) have no check here: people without coverage may need an office
visit precisely to sort it out. Medical services register ``appointments_eligibility``
below, which asks
``ventanilla.affiliation.selectors.coverage_for(person, on=..., service=Service.APPOINTMENTS)``
and raises ``NotCovered`` with the coverage function's reason (R-APT-01: peasant insurance,
not covered on the date, a child who is 18 by then, a lapsed affiliation)::

    eligibility_register(Service.Kind.MEDICAL, appointments_eligibility)

The referral a second-level specialty needs (R-APT-08) is not checked here but in the
booking transaction (``referrals.referral_take``), where it is locked and consumed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Protocol

from .catalogue import MEDICAL

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


def appointments_eligibility(*, booked_for: Person, slot: Slot, on: date) -> None:
    """R-APT-01: only people covered for the appointment service on the date may book."""
    appointments_covered(booked_for, country=slot.centre.country, on=on)


def appointments_covered(booked_for: Person, *, country: str, on: date) -> None:
    """Raise ``NotCovered`` with the coverage function's reason unless ``booked_for`` is
    covered for the appointment service of ``country`` on ``on`` (R-APT-01); also asked
    before an alert for free times is accepted (``alerts``)."""
    from ventanilla.affiliation.rules import Service as CoveredService
    from ventanilla.affiliation.selectors import coverage_for

    from .errors import NotCovered

    result = coverage_for(booked_for, on=on, service=CoveredService.APPOINTMENTS,
                          country=country)
    if not result.covered:
        raise NotCovered(result.message, field="booked_for")


eligibility_register(MEDICAL, appointments_eligibility)
