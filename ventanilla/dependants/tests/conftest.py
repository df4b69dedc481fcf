"""Fixtures of the dependants tests: staff allowed to file and decide, valid IDs, dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest


def cedula(base9: str) -> str:
    from stdnum.ec import ci

    return next(base9 + str(d) for d in range(10) if ci.is_valid(base9 + str(d)))


HOLDER_ID = "1710034065"
SPOUSE_ID = cedula("170000001")
CHILD_ID = cedula("170000002")
OTHER_ID = cedula("170000003")


def today() -> date:
    from django.utils import timezone

    from ventanilla.countries.registry import get_pack

    return timezone.localtime(timezone.now(), get_pack("EC").tz).date()


def years_ago(years: int, *, days: int = 0) -> date:
    t = today()
    try:
        d = t.replace(year=t.year - years)
    except ValueError:  # 29 February
        d = date(t.year - years, 3, 1)
    return d + timedelta(days=days)


def child(id_number=CHILD_ID, *, born=None, id_type="cedula", given="Mateo") -> dict:
    return {"id_type": id_type, "id_number": id_number, "given_names": given,
            "family_names": "Paz Vera", "date_of_birth": born or years_ago(10),
            "nationality": "EC"}


def spouse(id_number=SPOUSE_ID, *, id_type="cedula", nationality="EC") -> dict:
    return {"id_type": id_type, "id_number": id_number, "given_names": "Carmen",
            "family_names": "Ruiz", "date_of_birth": date(1982, 6, 1),
            "nationality": nationality}


def _grant(user, *codenames):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="dependants", codename__in=codenames))
    return get_user_model().objects.get(pk=user.pk)  # a fresh permission cache


ALL_PERMS = ("add_dependantrequest", "review_dependantrequest", "view_dependantrequest")


@pytest.fixture
def clerk(agent):
    """An Ecuadorian counter agent allowed to file and decide dependant requests."""
    return _grant(agent, *ALL_PERMS)


@pytest.fixture
def peru_clerk(db):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create

    user = staff_create(username="agent.pe", password="Staff-password-123", role=Role.AGENT,
                        country="PE")
    return _grant(user, *ALL_PERMS)


@pytest.fixture
def holder(make_affiliate):
    """An Ecuadorian employee, covered since 2020, with a clave."""
    return make_affiliate(id_number=HOLDER_ID)
