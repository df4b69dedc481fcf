"""The short hold on a chosen time (UX.md "Booking": choosing a time holds it for 10
minutes): while one person checks and confirms a time on the web, nobody else is offered
its last free place or may book it, on any channel; the hold is used up by booking,
released by choosing another time, and expires by itself."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import translation

from ventanilla.core.channels import Channel
from ventanilla.scheduling import selectors, services
from ventanilla.scheduling.errors import SlotHeld, SlotTaken
from ventanilla.scheduling.models import Booking, Slot

from ..conftest import NOW
from .conftest import MONDAY_0800_QUITO

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _free_ids(**kwargs) -> set[int]:
    return {s.pk for s in selectors.slots_free(country="EC", now=kwargs.pop("now", NOW),
                                               **kwargs)}


def _rows_ids(now=NOW) -> set:
    return {r.public_id for r in selectors.slots_free_rows(country="EC", now=now)}


def test_a_hold_keeps_the_last_place_from_everyone_else(med_slot, ana, stranger):
    until = services.slot_hold(slot=med_slot, person=ana, now=NOW)
    assert until == NOW + timedelta(minutes=10)
    med_slot.refresh_from_db()
    assert (med_slot.held_by, med_slot.held_until) == (ana, until)
    # nobody else is offered it: the web's and call centre's search, the API's search
    assert med_slot.pk not in _free_ids()
    assert med_slot.pk not in _free_ids(for_person=stranger)
    assert med_slot.public_id not in _rows_ids()
    # ... but the person holding it still sees it
    assert med_slot.pk in _free_ids(for_person=ana)
    with pytest.raises(SlotHeld) as refused:
        services.booking_create(slot=med_slot, person=stranger, channel=Channel.WHATSAPP,
                                now=NOW + timedelta(minutes=5))
    assert refused.value.status == 409 and "confirming this time" in str(refused.value.message)
    assert not Booking.objects.exists()
    med_slot.refresh_from_db()
    assert med_slot.booked_count == 0


def test_booking_the_held_time_uses_the_hold_up(med_slot, ana):
    services.slot_hold(slot=med_slot, person=ana, now=NOW)
    booking = services.booking_create(slot=selectors.slot_get(med_slot.public_id), person=ana,
                                      channel=Channel.WEB, now=NOW + timedelta(minutes=9))
    med_slot.refresh_from_db()
    assert booking.slot_id == med_slot.pk
    assert (med_slot.booked_count, med_slot.held_by, med_slot.held_until) == (1, None, None)


def test_a_hold_expires_by_itself(med_slot, ana, stranger):
    services.slot_hold(slot=med_slot, person=ana, now=NOW)
    later = NOW + timedelta(minutes=10, seconds=1)
    assert med_slot.pk in _free_ids(now=later)
    assert med_slot.public_id in _rows_ids(now=later)
    booking = services.booking_create(slot=med_slot, person=stranger, channel=Channel.WEB,
                                      now=later)
    assert booking.booked_for == stranger
    # the late holder is told plainly that the time is gone
    with pytest.raises(SlotTaken):
        services.booking_create(slot=med_slot, person=ana, channel=Channel.WEB, now=later)


def test_holding_another_time_releases_the_first(clinic_ec, general_ec, doctor_ec,
                                                 make_med_slot, ana):
    first = make_med_slot(clinic_ec, general_ec, MONDAY_0800_QUITO, doctor=doctor_ec)
    second = make_med_slot(clinic_ec, general_ec, MONDAY_0800_QUITO + timedelta(minutes=20),
                           doctor=doctor_ec)
    services.slot_hold(slot=first, person=ana, now=NOW)
    services.slot_hold(slot=second, person=ana, now=NOW + timedelta(minutes=1))
    held = dict(Slot.objects.values_list("pk", "held_by"))
    assert held == {first.pk: None, second.pk: ana.pk}
    assert {first.pk, second.pk} <= _free_ids(now=NOW + timedelta(minutes=2),
                                              for_person=ana)
    assert _free_ids(now=NOW + timedelta(minutes=2)) == {first.pk}


def test_holding_again_extends_and_others_cannot_take_the_hold(med_slot, ana, stranger):
    services.slot_hold(slot=med_slot, person=ana, now=NOW)
    assert services.slot_hold(slot=med_slot, person=ana, now=NOW + timedelta(minutes=8)) \
        == NOW + timedelta(minutes=18)
    with pytest.raises(SlotHeld):
        services.slot_hold(slot=med_slot, person=stranger, now=NOW + timedelta(minutes=9))
    med_slot.refresh_from_db()
    assert med_slot.held_by == ana


def test_a_taken_time_cannot_be_held(med_slot, ana, stranger):
    services.booking_create(slot=med_slot, person=stranger, channel=Channel.WEB, now=NOW)
    with pytest.raises(SlotTaken):
        services.slot_hold(slot=med_slot, person=ana, now=NOW)
    med_slot.refresh_from_db()
    assert med_slot.held_by is None


def test_a_hold_keeps_one_place_of_several(clinic_ec, general_ec, make_med_slot, ana,
                                           stranger, make_affiliate):
    from ..conftest import cedula

    third = make_affiliate(id_number=cedula("170000011"), email="third@example.com")
    shared = make_med_slot(clinic_ec, general_ec, MONDAY_0800_QUITO, capacity=2)
    services.slot_hold(slot=shared, person=ana, now=NOW)
    # one place is still free for others: no second hold is needed to book it
    assert services.slot_hold(slot=shared, person=stranger, now=NOW) is None
    assert shared.pk in _free_ids()
    services.booking_create(slot=shared, person=stranger, channel=Channel.WEB, now=NOW)
    # now the only place left is the held one
    assert shared.pk not in _free_ids()
    with pytest.raises(SlotHeld):
        services.booking_create(slot=shared, person=third, channel=Channel.WEB, now=NOW)
    services.booking_create(slot=shared, person=ana, channel=Channel.WEB, now=NOW)
    shared.refresh_from_db()
    assert (shared.booked_count, shared.held_by) == (2, None)


def test_r_apt_04_moving_into_a_time_someone_else_holds_is_refused(
        clinic_ec, general_ec, make_med_slot, ana, stranger):
    mine = make_med_slot(clinic_ec, general_ec, MONDAY_0800_QUITO)
    held = make_med_slot(clinic_ec, general_ec, MONDAY_0800_QUITO + timedelta(hours=1))
    booking = services.booking_create(slot=mine, person=ana, channel=Channel.WEB, now=NOW)
    services.slot_hold(slot=held, person=stranger, now=NOW)
    with pytest.raises(SlotHeld):
        services.booking_reschedule(booking=booking, new_slot=held, channel=Channel.WEB,
                                    by_person=ana, now=NOW)
    # the holder themself may move theirs there... and ana may once the hold is gone
    services.booking_reschedule(booking=booking, new_slot=held, channel=Channel.WEB,
                                by_person=ana, now=NOW + timedelta(minutes=11))
    held.refresh_from_db()
    assert held.booked_count == 1


def test_r_apt_04_moving_into_ones_own_held_time_uses_the_hold_up(
        clinic_ec, general_ec, make_med_slot, ana):
    mine = make_med_slot(clinic_ec, general_ec, MONDAY_0800_QUITO)
    target = make_med_slot(clinic_ec, general_ec, MONDAY_0800_QUITO + timedelta(hours=1))
    booking = services.booking_create(slot=mine, person=ana, channel=Channel.WEB, now=NOW)
    services.slot_hold(slot=target, person=ana, now=NOW)
    services.booking_reschedule(booking=booking, new_slot=target, channel=Channel.WEB,
                                by_person=ana, now=NOW)
    target.refresh_from_db()
    assert (target.booked_count, target.held_by, target.held_until) == (1, None, None)
