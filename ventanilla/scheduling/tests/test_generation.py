"""Slot generation against the database, the demo hours, the command and the task."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from django.core.management import call_command

from ventanilla.scheduling import services
from ventanilla.scheduling.models import Schedule, ScheduleException, Slot

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def mornings(centre_ec, office_ec):
    """Monday to Friday 08:00–09:00 in Quito, 20-minute slots for two people."""
    return [Schedule.objects.create(centre=centre_ec, service=office_ec, weekday=d,
                                    start_time=time(8), end_time=time(9), slot_minutes=20,
                                    capacity=2, valid_from=date(2030, 1, 1))
            for d in range(5)]


def generate(centre, **kwargs):
    return services.slots_generate(centre=centre, date_from=kwargs.pop("date_from",
                                                                       date(2030, 5, 20)),
                                   date_to=kwargs.pop("date_to", date(2030, 5, 26)),
                                   now=kwargs.pop("now", NOW), **kwargs)


def test_r_reg_07_generation_is_idempotent(centre_ec, mornings):
    first = generate(centre_ec)
    second = generate(centre_ec)
    # 24 May 2030 is a holiday: four days of three slots
    assert (first.created, second.created) == (12, 0)
    assert Slot.objects.count() == 12
    assert Slot.objects.order_by("starts_at").first().starts_at == datetime(
        2030, 5, 20, 13, 0, tzinfo=UTC)
    assert set(Slot.objects.values_list("capacity", flat=True)) == {2}


def test_r_apt_10_no_slot_on_a_national_holiday(centre_ec, mornings):
    generate(centre_ec)
    assert not Slot.objects.filter(starts_at__date=date(2030, 5, 24)).exists()


def test_r_reg_07_a_closure_added_later_closes_free_slots_and_keeps_bookings(
        centre_ec, office_ec, mornings, ana):
    generate(centre_ec)
    booked = Slot.objects.filter(starts_at__date=date(2030, 5, 21)).order_by("starts_at").first()
    services.booking_create(slot=booked, person=ana, channel="web", now=NOW)
    closure = ScheduleException.objects.create(centre=centre_ec, starts_on=date(2030, 5, 21),
                                               ends_on=date(2030, 5, 21), reason="Works")
    result = generate(centre_ec)
    assert (result.created, result.closed, result.reopened) == (0, 3, 0)
    assert not Slot.objects.filter(starts_at__date=date(2030, 5, 21), is_open=True).exists()
    booked.refresh_from_db()
    assert booked.booked_count == 1 and booked.bookings.get().status == "booked"
    closure.delete()
    assert generate(centre_ec).reopened == 3


def test_r_reg_07_past_slots_are_not_created(centre_ec, mornings):
    now = datetime(2030, 5, 20, 13, 30, tzinfo=UTC)   # 08:30 in Quito on the first day
    generate(centre_ec, now=now)
    assert Slot.objects.order_by("starts_at").first().starts_at == datetime(
        2030, 5, 20, 13, 40, tzinfo=UTC)


def test_r_reg_07_an_inactive_centre_gets_no_slots(centre_ec, mornings):
    centre_ec.is_active = False
    centre_ec.save()
    assert generate(centre_ec).created == 0


def test_r_reg_07_demo_visiting_hours_for_every_service_centre(centre_ec, centre_pe):
    from ventanilla.scheduling.demo import demo_visiting_hours

    created = demo_visiting_hours(days=28)
    assert created > 0
    # three office services × five weekdays × two sessions, per centre
    assert Schedule.objects.filter(centre=centre_ec).count() == 30
    assert Schedule.objects.filter(centre=centre_pe).count() == 30
    assert demo_visiting_hours(days=28) == 0
    assert Schedule.objects.count() == 60
    assert set(Slot.objects.values_list("capacity", flat=True)) == {2}


def test_slots_generate_command_and_task(centre_ec, mornings, capsys):
    from ventanilla.scheduling.tasks import slots_generate_ahead

    Schedule.objects.update(valid_from=date(2020, 1, 1))   # these run with the real clock
    call_command("slots_generate", "--days", "14", "--country", "EC")
    assert "created" in capsys.readouterr().out
    count = Slot.objects.count()
    assert count > 0
    result = slots_generate_ahead.enqueue(days=14)
    assert result.return_value["created"] == 0
    assert Slot.objects.count() == count


def test_slots_generate_command_refuses_an_unknown_country(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("slots_generate", "--country", "XX")


def test_office_services_have_translated_names(db):
    from django.utils import translation

    from ventanilla.scheduling.defaults import office_services_ensure

    services_ = office_services_ensure("PE")
    assert [s.code for s in services_] == ["document_submission", "clave_issuance",
                                           "dependant_registration"]
    assert {s.kind for s in services_} == {"office"}
    with translation.override("en"):
        assert services_[0].label == "Document submission"
    services_[0].name = "Entrega de expedientes"
    assert services_[0].label == "Entrega de expedientes"
    assert len(office_services_ensure("PE")) == 3


def test_zembla_pack_generates_slots(zembla, db):
    from ventanilla.scheduling.defaults import office_services_ensure
    from ventanilla.scheduling.models import Centre

    centre = Centre.objects.create(country="ZZ", code="zz-onhava", name="Onhava",
                                   subdivision_code="01", address="Palace")
    service = office_services_ensure("ZZ")[0]
    Schedule.objects.create(centre=centre, service=service, weekday=0, start_time=time(8),
                            end_time=time(8, 20), valid_from=date(2030, 1, 1))
    services.slots_generate(centre=centre, date_from=date(2030, 7, 1),
                            date_to=date(2030, 7, 8), now=NOW)
    # Monday 1 July is Zembla Day; Monday 8 July 08:00 in Oslo (summer time) is 06:00 UTC
    assert list(Slot.objects.values_list("starts_at", flat=True)) == [
        datetime(2030, 7, 8, 6, 0, tzinfo=UTC)]
