"""Fixtures of the slot engine: centres of both countries, office services, slots, people."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

# A Monday in a year the holiday tables already cover; services are called with this "now".
NOW = datetime(2030, 4, 29, 12, 0, tzinfo=UTC)


def cedula(base9: str) -> str:
    from stdnum.ec import ci

    return next(base9 + str(d) for d in range(10) if ci.is_valid(base9 + str(d)))


@pytest.fixture
def centre_ec(db):
    from ventanilla.scheduling.models import Centre

    return Centre.objects.create(country="EC", code="ec-quito", name="CAU Quito",
                                 subdivision_code="170150", address="Av. 10 de Agosto")


@pytest.fixture
def centre_pe(db):
    from ventanilla.scheduling.models import Centre

    return Centre.objects.create(country="PE", code="pe-lima", name="Agencia Lima",
                                 subdivision_code="150113", address="Av. Cueto 120")


@pytest.fixture
def office_ec(db):
    from ventanilla.scheduling.defaults import office_services_ensure

    return {s.code: s for s in office_services_ensure("EC")}["document_submission"]


@pytest.fixture
def office_pe(db):
    from ventanilla.scheduling.defaults import office_services_ensure

    return {s.code: s for s in office_services_ensure("PE")}["document_submission"]


@pytest.fixture
def make_slot(db):
    from ventanilla.scheduling.models import Slot

    def make(centre, service, starts_at: datetime, *, capacity: int = 1, minutes: int = 20):
        return Slot.objects.create(centre=centre, service=service, starts_at=starts_at,
                                   ends_at=starts_at + timedelta(minutes=minutes),
                                   capacity=capacity)

    return make


@pytest.fixture
def slot(centre_ec, office_ec, make_slot):
    """Monday 6 May 2030, 08:00 in Quito (13:00 UTC): a week after NOW."""
    return make_slot(centre_ec, office_ec, datetime(2030, 5, 6, 13, 0, tzinfo=UTC))


@pytest.fixture
def ana(make_affiliate):
    return make_affiliate()


@pytest.fixture
def stranger(make_affiliate):
    return make_affiliate(id_number=cedula("090000001"), given_names="Luis",
                          family_names="Mendoza Ruiz", email="luis@example.com")


@pytest.fixture
def child(make_affiliate, ana):
    from datetime import date

    return make_affiliate(id_number=cedula("171234567"), given_names="Sofía",
                          family_names="Paz", date_of_birth=date(2018, 3, 1),
                          affiliation_type="dependant", holder=ana.affiliations.get(),
                          relationship="child", with_clave=False)


@pytest.fixture
def scheduling_agent(agent):
    """The EC counter agent, with the booking permissions the role table grants."""
    from django.contrib.auth.models import Permission

    agent.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="scheduling",
        codename__in=["add_booking", "change_booking", "view_booking"]))
    return type(agent).objects.get(pk=agent.pk)  # fresh permission cache
