"""R-APT-10 under contention: races that only a real database can show (PostgreSQL;
skipped on SQLite)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from ventanilla.core.channels import Channel
from ventanilla.scheduling import services
from ventanilla.scheduling.errors import AlreadyBooked, SlotTaken
from ventanilla.scheduling.models import Booking, BookingStatus, Slot

from .conftest import cedula

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests run on PostgreSQL (set DATABASE_URL)")


def _race(n, fn):
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = fn(i)
        except Exception as exc:  # collected and asserted below
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.fixture
def people(make_affiliate):
    return [make_affiliate(id_number=cedula(f"17{i:07d}"), given_names=f"P{i}",
                           email=f"p{i}@example.com") for i in range(30)]


def test_r_apt_10_thirty_people_race_for_a_two_place_slot(centre_ec, office_ec, make_slot,
                                                          people):
    slot = make_slot(centre_ec, office_ec, timezone.now() + timedelta(days=2), capacity=2)
    results = _race(30, lambda i: services.booking_create(slot=slot, person=people[i],
                                                          channel=Channel.WEB))
    winners = [r for r in results if isinstance(r, Booking)]
    losers = [r for r in results if isinstance(r, SlotTaken)]
    assert (len(winners), len(losers)) == (2, 28), results
    assert Slot.objects.get(pk=slot.pk).booked_count == 2
    assert Booking.objects.filter(slot=slot, status=BookingStatus.BOOKED).count() == 2


def test_r_apt_10_one_person_racing_for_two_slots_at_the_same_time_gets_one(
        centre_ec, office_ec, make_slot, make_affiliate):
    from ventanilla.scheduling.defaults import office_services_ensure

    ana = make_affiliate()
    when = timezone.now() + timedelta(days=2)
    clave = office_services_ensure("EC")[1]
    slots = [make_slot(centre_ec, office_ec, when, capacity=5),
             make_slot(centre_ec, clave, when, capacity=5)]
    results = _race(8, lambda i: services.booking_create(slot=slots[i % 2], person=ana,
                                                         channel=Channel.WEB))
    assert sum(isinstance(r, Booking) for r in results) == 1, results
    assert sum(isinstance(r, AlreadyBooked) for r in results) == 7
    assert Booking.objects.filter(booked_for=ana, status=BookingStatus.BOOKED).count() == 1


def test_the_same_idempotency_key_sent_at_once_books_once(centre_ec, office_ec, make_slot,
                                                         make_affiliate):
    ana = make_affiliate()
    slot = make_slot(centre_ec, office_ec, timezone.now() + timedelta(days=2), capacity=5)
    results = _race(6, lambda i: services.booking_create(slot=slot, person=ana,
                                                         channel=Channel.API,
                                                         idempotency_key="same"))
    assert all(isinstance(r, Booking) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Slot.objects.get(pk=slot.pk).booked_count == 1


def test_cancel_and_book_racing_keep_the_counter_exact(centre_ec, office_ec, make_slot,
                                                       people):
    slot = make_slot(centre_ec, office_ec, timezone.now() + timedelta(days=2), capacity=3)
    first = [services.booking_create(slot=slot, person=p, channel=Channel.WEB)
             for p in people[:3]]

    def act(i):
        if i < 3:
            return services.booking_cancel(booking=first[i], channel=Channel.WEB,
                                           by_person=people[i])
        return services.booking_create(slot=slot, person=people[i], channel=Channel.WEB)

    _race(12, act)
    active = Booking.objects.filter(slot=slot, status=BookingStatus.BOOKED).count()
    assert Slot.objects.get(pk=slot.pk).booked_count == active
    assert active <= 3
