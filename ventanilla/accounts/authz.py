"""One authorization checker for staff: this staff member, this permission, this country.

Every service that staff may call asks ``staff_acting`` first, with the country of the data
it is about (the person's, the application's, the centre's), so a check can never forget
the country: staff of one health system act only on its data; staff without a country
(national administrators) act on all. Views and API handlers never decide who may act;
they ask ``staff_may`` only to choose what to show (menus, links). Roles are groups of
permissions (``roles.ROLE_PERMISSIONS``); code checks permissions, never group names.
"""

from __future__ import annotations

from ventanilla.core.errors import DomainError, PermissionDenied

from .roles import serves_country


def is_staff(actor) -> bool:
    """A signed-in, active staff member (not an affiliate, not anonymous)."""
    return bool(actor is not None and getattr(actor, "is_authenticated", False)
                and getattr(actor, "is_staff", False) and getattr(actor, "is_active", False))


def staff_may(actor, perm: str, *, country: str | None = None) -> bool:
    """Whether ``actor`` is staff holding ``perm`` and, when ``country`` is given, serving
    it. For choosing what to show; services call ``staff_acting``."""
    return (is_staff(actor) and actor.has_perm(perm)
            and (country is None or serves_country(actor, country)))


def staff_serves(actor, country: str) -> bool:
    """Whether staff ``actor`` works for ``country``'s health system (views use it to answer
    "not found" for another country's data before showing anything)."""
    return is_staff(actor) and serves_country(actor, country)


def staff_acting(actor, *, perm: str, country: str | None,
                 other_country: type[DomainError] | DomainError | None = None):
    """The staff member ``actor``, checked: staff, holding ``perm``, serving ``country``.
    ``country=None`` is for actions about no country's data (a national list, the
    administrator's tables) and must be said explicitly. Raises ``PermissionDenied``; for
    data of a country the actor does not serve, ``other_country`` instead when given (a
    NotFound, so that another country's references are not revealed)."""
    if not is_staff(actor) or not actor.has_perm(perm):
        raise PermissionDenied()
    if country is not None and not serves_country(actor, country):
        if other_country is None:
            raise PermissionDenied()
        raise other_country if isinstance(other_country, DomainError) else other_country()
    return actor
