"""Coverage: is this person covered for this service on this date, and if not, why.

Pure functions; ``selectors.coverage_for`` feeds them from the database. Every channel
(booking on the web, the call centre, WhatsApp) asks the same question here (R-APT-01).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ventanilla.countries.base import AffiliationType

ADULT_AGE = 18  # R-DEP-01: a child's coverage ends on the 18th birthday


class Service(StrEnum):
    HEALTH = "health"              # health coverage in general
    APPOINTMENTS = "appointments"  # the medical appointment service (R-APT-01)


class Reason(StrEnum):
    COVERED = "covered"
    NOT_AFFILIATED = "not_affiliated"
    NOT_STARTED = "not_started"
    ENDED = "ended"
    CHILD_TURNED_18 = "child_turned_18"
    LAPSED_UNPAID = "lapsed_unpaid"
    SERVICE_NOT_INCLUDED = "service_not_included"
    HOLDER_NOT_COVERED = "holder_not_covered"


@dataclass(frozen=True)
class AffiliationFacts:
    affiliation_type: AffiliationType
    born: date
    starts_on: date
    ends_on: date | None
    relationship: str = ""                      # "" | "spouse" | "child"
    holder: AffiliationFacts | None = None      # for dependants
    unpaid_since: date | None = None            # the day the oldest unpaid month fell due


@dataclass(frozen=True)
class Coverage:
    covered: bool
    reason: Reason
    message: str | Promise
    until: date | None = None  # the last day covered, when known


def _day(value: date) -> str:
    """A date as people read it in the active language ("31 de diciembre de 2024")."""
    from ventanilla.core.dates import day_text

    return day_text(value)


def birthday(born: date, years: int) -> date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # born on 29 February: the birthday is 1 March in common years
        return date(born.year + years, 3, 1)


def coverage(facts: AffiliationFacts | None, *, on: date,
             service: Service = Service.HEALTH) -> Coverage:
    if facts is None:
        return Coverage(False, Reason.NOT_AFFILIATED,
                        _("This person has no affiliation with the health system."))
    if on < facts.starts_on:
        return Coverage(False, Reason.NOT_STARTED,
                        _("Coverage starts on %(date)s.") % {"date": _day(facts.starts_on)})
    until = facts.ends_on
    if facts.relationship == "child":
        last_day = date.fromordinal(birthday(facts.born, ADULT_AGE).toordinal() - 1)
        until = min(until, last_day) if until else last_day
        if on > last_day:
            return Coverage(False, Reason.CHILD_TURNED_18,
                            _("A child's coverage as a dependant ends on their 18th birthday "
                              "(Ley de Seguridad Social, art. 11)."), until)
    if facts.ends_on is not None and on > facts.ends_on:
        return Coverage(False, Reason.ENDED,
                        _("Coverage ended on %(date)s.") % {"date": _day(facts.ends_on)}, until)
    grace = facts.affiliation_type.lapses_after_days_unpaid
    if grace is not None and facts.unpaid_since is not None and (
            on > facts.unpaid_since + timedelta(days=grace)):
        return Coverage(False, Reason.LAPSED_UNPAID,
                        _("Coverage lapsed: a monthly contribution due on %(date)s has been "
                          "unpaid for more than %(days)s days.")
                        % {"date": _day(facts.unpaid_since), "days": grace}, until)
    if facts.holder is not None:
        holder = coverage(facts.holder, on=on, service=Service.HEALTH)
        if not holder.covered:
            return Coverage(False, Reason.HOLDER_NOT_COVERED,
                            _("The affiliate this person depends on is not covered on this "
                              "date."), until)
    if service == Service.APPOINTMENTS and not facts.affiliation_type.may_book_appointments:
        return Coverage(False, Reason.SERVICE_NOT_INCLUDED,
                        _("%(type)s does not include this appointment service.")
                        % {"type": facts.affiliation_type.label}, until)
    return Coverage(True, Reason.COVERED, _("Covered."), until)


class PlanStatus(StrEnum):
    """R-AFF-08: the public status of a plan (Peru's SIS: Activo / Inactivo / Cancelado)."""

    ACTIVE = "active"
    INACTIVE = "inactive"
    CANCELLED = "cancelled"


PLAN_STATUS_LABELS = {
    PlanStatus.ACTIVE: pgettext_lazy("plan status", "Active"),
    PlanStatus.INACTIVE: pgettext_lazy("plan status", "Inactive"),
    PlanStatus.CANCELLED: pgettext_lazy("plan status", "Cancelled"),
}


def plan_status(result: Coverage) -> PlanStatus:
    """Covered → active; ended for good → cancelled; anything else (lapsed for lack of
    payment, not started yet, the holder not covered) → inactive."""
    if result.covered:
        return PlanStatus.ACTIVE
    if result.reason in (Reason.ENDED, Reason.CHILD_TURNED_18):
        return PlanStatus.CANCELLED
    return PlanStatus.INACTIVE
