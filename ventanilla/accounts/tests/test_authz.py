"""One authorization checker (accounts.authz) and the permission matrix: every role ×
every permission any role holds × the staff member's country × the data's country. Then the
services that used to forget the country: staff of Peru holding the permission are refused
on Ecuador's people. And no code decides on its own who may act."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from ventanilla.accounts.authz import staff_acting, staff_may
from ventanilla.accounts.roles import ROLE_PERMISSIONS, Role
from ventanilla.accounts.services import staff_create
from ventanilla.core.errors import NotFound, PermissionDenied

pytestmark = pytest.mark.django_db

ALL_PERMISSIONS = sorted({p for perms in ROLE_PERMISSIONS.values() for p in perms})
STAFF_COUNTRIES = ["EC", "PE", ""]  # "" : a national administrator
DATA_COUNTRIES = ["EC", "PE"]


def _allowed(role: Role, perm: str, staff_country: str, data_country: str | None) -> bool:
    return perm in ROLE_PERMISSIONS[role] and (
        not staff_country or data_country is None or staff_country == data_country)


def test_the_permission_matrix_every_role_permission_and_country(roles):
    checked = 0
    for role in Role:
        for staff_country in STAFF_COUNTRIES:
            user = staff_create(username=f"{role.value}-{staff_country or 'all'}",
                                password="Staff-password-123", role=role,
                                country=staff_country)
            for perm in ALL_PERMISSIONS:
                for data_country in [*DATA_COUNTRIES, None]:
                    expected = _allowed(role, perm, staff_country, data_country)
                    assert staff_may(user, perm, country=data_country) is expected, (
                        role, staff_country, perm, data_country)
                    if expected:
                        assert staff_acting(user, perm=perm, country=data_country) is user
                    else:
                        with pytest.raises(PermissionDenied):
                            staff_acting(user, perm=perm, country=data_country)
                    checked += 1
    assert checked == len(Role) * len(STAFF_COUNTRIES) * len(ALL_PERMISSIONS) * 3


def test_nobody_but_staff_acts_as_staff(make_affiliate, roles):
    from django.contrib.auth.models import AnonymousUser

    affiliate = make_affiliate().user
    inactive = staff_create(username="gone", password="Staff-password-123",
                            role=Role.ADMINISTRATOR)
    inactive.is_active = False
    inactive.save()
    for who in (None, AnonymousUser(), affiliate, inactive):
        with pytest.raises(PermissionDenied):
            staff_acting(who, perm="people.view_person", country="EC")
        assert not staff_may(who, "people.view_person")


def test_another_country_can_be_answered_as_not_found(roles):
    agent_pe = staff_create(username="agente-pe", password="Staff-password-123",
                            role=Role.AGENT, country="PE")
    with pytest.raises(NotFound):
        staff_acting(agent_pe, perm="people.view_person", country="EC",
                     other_country=NotFound)


# --- the services that forgot the country --------------------------------------------------

@pytest.fixture
def ecuadorian(make_affiliate):
    return make_affiliate(affiliation_type="voluntary")


@pytest.fixture
def agents(roles):
    return {c: staff_create(username=f"agent-{c.lower()}", password="Staff-password-123",
                            role=Role.AGENT if c != "ADMIN" else Role.ADMINISTRATOR,
                            country=c if c != "ADMIN" else "")
            for c in ("EC", "PE", "ADMIN")}


def _affiliation_open(person, actor):
    from ventanilla.affiliation.services import affiliation_open

    person.affiliations.all().delete()
    return affiliation_open(person=person, affiliation_type="employee",
                            starts_on=date(2025, 1, 1), actor=actor)


def _affiliation_end(person, actor):
    from ventanilla.affiliation.services import affiliation_end

    return affiliation_end(affiliation=person.affiliations.get(), ends_on=date(2026, 1, 31),
                           reason="Fin del contrato", actor=actor)


def _payment_record(person, actor):
    from decimal import Decimal

    from ventanilla.contributions.services import payment_record

    return payment_record(affiliation=person.affiliations.get(), period=date(2026, 1, 1),
                          amount=Decimal("94.76"), paid_on=date(2026, 1, 15), actor=actor)


def _clave_issue(person, actor):
    from ventanilla.accounts.clave import clave_issue

    return clave_issue(person=person, actor=actor)


def _account_block(person, actor):
    from ventanilla.accounts.blocks import account_block

    return account_block(person=person, cause="staff", detail="Suplantación", actor=actor)


def _account_unblock(person, actor):
    from ventanilla.accounts.blocks import account_block, account_unblock

    account_block(person=person, cause="no_shows")
    return account_unblock(person=person, reason="Justificó las faltas", actor=actor)


def _referral_issue(person, actor):
    from ventanilla.scheduling.defaults import medical_services_ensure
    from ventanilla.scheduling.referrals import referral_issue

    eye = {s.code: s for s in medical_services_ensure("EC")}["ophthalmology"]
    from datetime import timedelta

    today = date.today()
    return referral_issue(person=person, specialty=eye, issued_by="Centro de Salud N.º 1",
                          issued_on=today, expires_on=today + timedelta(days=60), actor=actor)


def _case_in_person(person, actor):
    from ventanilla.cases.services import case_open_in_person
    from ventanilla.core.channels import Channel

    return case_open_in_person(person=person, kind="contribution_error",
                               description="Faltan aportes de 2024", channel=Channel.PHONE,
                               actor=actor)


SERVICES = {
    "affiliation_open": _affiliation_open, "affiliation_end": _affiliation_end,
    "payment_record": _payment_record, "clave_issue": _clave_issue,
    "account_block": _account_block, "account_unblock": _account_unblock,
    "referral_issue": _referral_issue, "case_open_in_person": _case_in_person,
}


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_staff_of_another_country_are_refused_on_its_people(service, ecuadorian, agents,
                                                            administrator):
    from django.contrib.auth.models import Permission

    call = SERVICES[service]
    for agent in agents.values():  # give every agent what the service needs
        agent.user_permissions.add(*Permission.objects.filter(codename__in=[
            "add_contributionpayment", "change_affiliation", "add_affiliation"]))
    with pytest.raises(PermissionDenied):
        call(ecuadorian, agents["PE"])
    assert call(ecuadorian, agents["EC"]) is not None


def test_only_the_checker_decides_who_may_act():
    """No module outside accounts.authz asks has_perm() or serves_country() itself (Django
    admin classes excepted: their has_*_permission hooks are the admin's own)."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        if ("/tests/" in rel or "/migrations/" in rel or rel.endswith("admin.py")
                or rel in ("accounts/authz.py", "accounts/roles.py")):
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\.has_perm\(|serves_country\(", line):
                offenders.append(f"{rel}:{n}")
    assert offenders == []
