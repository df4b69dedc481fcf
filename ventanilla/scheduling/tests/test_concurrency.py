"""R-APT-10 under contention: races that only a real database can show (PostgreSQL;
skipped on SQLite)."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from datetime import time as clock

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


def _race(n, fn, *, at_once: int | None = None):
    """Run ``fn(0..n-1)`` in ``n`` threads released together, each on its own connection.
    ``at_once`` caps how many hold a connection at the same moment (the server's
    ``max_connections`` is shared with other test runs)."""
    barrier = threading.Barrier(n)
    gate = threading.BoundedSemaphore(at_once or n)
    results: list = [None] * n

    def run(i):
        try:
            barrier.wait()
            with gate:
                try:
                    results[i] = fn(i)
                finally:
                    connections.close_all()
        except Exception as exc:  # collected and asserted below
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def _connections_free() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('max_connections')::int - count(*) "
                       "FROM pg_stat_activity")
        return cursor.fetchone()[0]


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


# --- medical appointments ---------------------------------------------------------------------

@pytest.fixture
def clinic(db):
    from ventanilla.scheduling.defaults import medical_services_ensure
    from ventanilla.scheduling.models import Centre, Doctor

    centre = Centre.objects.create(country="EC", kind=Centre.Kind.MEDICAL, code="ec-med",
                                   name="Hospital del Día", subdivision_code="170150",
                                   address="Av. 10 de Agosto")
    specialties = {s.code: s for s in medical_services_ensure("EC")}
    doctor = Doctor.objects.create(country="EC", given_names="Ana", family_names="Núñez",
                                   registration_code="MSP-9")
    return centre, specialties, doctor


CLIENTS = 200


@pytest.fixture
def crowd(make_affiliate):
    return [make_affiliate(id_number=cedula(f"10{i:07d}"), given_names=f"C{i}",
                           email=f"c{i}@example.com", with_clave=False)
            for i in range(CLIENTS)]


def test_r_apt_10_two_hundred_clients_race_for_five_medical_slots(clinic, crowd):
    from ventanilla.scheduling.models import Slot as SlotModel

    centre, specialties, doctor = clinic
    base = timezone.now() + timedelta(days=2)
    slots = [SlotModel.objects.create(centre=centre, service=specialties["general_medicine"],
                                      doctor=doctor, starts_at=base + timedelta(minutes=20 * k),
                                      ends_at=base + timedelta(minutes=20 * (k + 1)))
             for k in range(5)]
    at_once = max(8, min(CLIENTS, _connections_free() - 10))
    started = time.monotonic()
    results = _race(CLIENTS, lambda i: services.booking_create(
        slot=slots[i % 5], person=crowd[i], channel=Channel.API), at_once=at_once)
    elapsed = time.monotonic() - started
    winners = [r for r in results if isinstance(r, Booking)]
    taken = [r for r in results if isinstance(r, SlotTaken)]
    others = [r for r in results if not isinstance(r, (Booking, SlotTaken))]
    print(f"\n200-client race: {len(winners)} booked, {len(taken)} SlotTaken, "
          f"{len(others)} other, {at_once} connections at once, {elapsed:.2f} s")
    assert others == []
    assert (len(winners), len(taken)) == (5, CLIENTS - 5)
    assert sorted(r.slot_id for r in winners) == sorted(s.pk for s in slots)
    assert [s.booked_count for s in SlotModel.objects.filter(pk__in=[s.pk for s in slots])] \
        == [1] * 5
    assert Booking.objects.filter(status=BookingStatus.BOOKED).count() == 5


def test_r_apt_10_a_person_booking_themself_twice_at_once_gets_one(clinic, make_affiliate):
    centre, specialties, _doctor = clinic
    ana = make_affiliate()
    when = timezone.now() + timedelta(days=2)
    slots = [Slot.objects.create(centre=centre, service=specialties[code], starts_at=when,
                                 ends_at=when + timedelta(minutes=20), capacity=3)
             for code in ("general_medicine", "dentistry")]
    results = _race(2, lambda i: services.booking_create(slot=slots[i], person=ana,
                                                         channel=(Channel.WEB,
                                                                  Channel.WHATSAPP)[i]))
    assert sum(isinstance(r, Booking) for r in results) == 1, results
    assert sum(isinstance(r, AlreadyBooked) for r in results) == 1, results
    assert Booking.objects.filter(booked_for=ana, status=BookingStatus.BOOKED).count() == 1
    assert sum(s.booked_count for s in Slot.objects.filter(pk__in=[s.pk for s in slots])) == 1


def test_r_apt_10_the_last_slot_from_the_web_and_whatsapp_at_once(clinic, people):
    centre, specialties, doctor = clinic
    when = timezone.now() + timedelta(days=2)
    slot = Slot.objects.create(centre=centre, service=specialties["dentistry"], doctor=doctor,
                               starts_at=when, ends_at=when + timedelta(minutes=20))
    results = _race(2, lambda i: services.booking_create(
        slot=slot, person=people[i], channel=(Channel.WEB, Channel.WHATSAPP)[i],
        channel_key=(None, "593991234567")[i]))
    assert sorted(type(r).__name__ for r in results) == ["Booking", "SlotTaken"], results
    assert Slot.objects.get(pk=slot.pk).booked_count == 1


def test_r_apt_04_medical_cancel_and_rebook_race(clinic, people):
    centre, specialties, doctor = clinic
    when = timezone.now() + timedelta(days=2)
    slot = Slot.objects.create(centre=centre, service=specialties["general_medicine"],
                               doctor=doctor, starts_at=when,
                               ends_at=when + timedelta(minutes=20))
    first = services.booking_create(slot=slot, person=people[0], channel=Channel.WEB)

    def act(i):
        if i == 0:
            return services.booking_cancel(booking=first, channel=Channel.PHONE,
                                           by_person=people[0])
        return services.booking_create(slot=slot, person=people[i], channel=Channel.WEB)

    results = _race(10, act)
    assert all(isinstance(r, (Booking, SlotTaken)) for r in results), results
    assert results[0].status == BookingStatus.CANCELLED
    active = Booking.objects.filter(slot=slot, status=BookingStatus.BOOKED).count()
    assert Slot.objects.get(pk=slot.pk).booked_count == active
    assert active <= 1
    # whoever lost the race can still book the freed place afterwards if it is free
    if active == 0:
        assert services.booking_create(slot=slot, person=people[1], channel=Channel.WEB).pk


def test_r_apt_08_one_referral_raced_from_two_channels_books_once(clinic, make_affiliate):
    from datetime import date as date_

    from ventanilla.scheduling.models import Referral

    centre, specialties, _doctor = clinic
    ana = make_affiliate()
    eyes = specialties["ophthalmology"]
    base = timezone.now() + timedelta(days=2)
    # two days apart: one Ophthalmology a day is allowed (R-APT-14), the referral decides
    slots = [Slot.objects.create(centre=centre, service=eyes, starts_at=base + timedelta(days=d),
                                 ends_at=base + timedelta(days=d, minutes=20))
             for d in range(2)]
    Referral.objects.create(person=ana, specialty=eyes, issued_by="Centro de Salud",
                            issued_on=date_.today() - timedelta(days=1),
                            expires_on=date_.today() + timedelta(days=60))
    results = _race(2, lambda i: services.booking_create(slot=slots[i], person=ana,
                                                         channel=Channel.WEB))
    assert sorted(type(r).__name__ for r in results) == ["Booking", "ReferralRequired"], results
    assert Referral.objects.get().status == Referral.Status.USED


def test_ten_people_racing_to_hold_a_time_one_holds_it_and_nobody_else_books_it(
        centre_ec, office_ec, make_slot, people):
    """The 10-minute hold (``slot_hold``) under contention: one person holds the last
    place; the others are told someone is confirming it; bookings racing the hold from
    other channels are refused while the holder still books it."""
    from ventanilla.scheduling.errors import SlotHeld

    slot = make_slot(centre_ec, office_ec, timezone.now() + timedelta(days=2), capacity=1)
    results = _race(10, lambda i: services.slot_hold(slot=slot, person=people[i]))
    holders = [i for i, r in enumerate(results) if r is not None and not
               isinstance(r, Exception)]
    assert len(holders) == 1, results
    assert sum(isinstance(r, SlotHeld) for r in results) == 9, results
    holder = people[holders[0]]
    others = [p for p in people[10:20]]
    results = _race(11, lambda i: services.booking_create(
        slot=slot, person=holder if i == 10 else others[i], channel=Channel.WEB))
    # refused while held, or taken once the holder has booked (whichever came first)
    assert all(isinstance(r, SlotTaken) for r in results[:10]), results
    assert isinstance(results[10], Booking) and results[10].booked_for == holder
    slot.refresh_from_db()
    assert (slot.booked_count, slot.held_by_id) == (1, None)


def test_r_apt_04_the_same_cancellation_sent_twice_at_once_frees_one_place(clinic, people):
    """Two cancellations of one booking at the same moment (a double tap, the web and the
    call centre): both answer "cancelled", the place is given back once."""
    centre, specialties, doctor = clinic
    when = timezone.now() + timedelta(days=2)
    slot = Slot.objects.create(centre=centre, service=specialties["general_medicine"],
                               doctor=doctor, starts_at=when,
                               ends_at=when + timedelta(minutes=20), capacity=2)
    first = services.booking_create(slot=slot, person=people[0], channel=Channel.WEB)
    services.booking_create(slot=slot, person=people[1], channel=Channel.WEB)
    results = _race(6, lambda i: services.booking_cancel(
        booking=Booking.objects.get(pk=first.pk), channel=Channel.WEB, by_person=people[0]))
    assert all(isinstance(r, Booking) and r.status == BookingStatus.CANCELLED
               for r in results), results
    assert Slot.objects.get(pk=slot.pk).booked_count == 1


def test_r_apt_07_the_same_whatsapp_message_delivered_twice_at_once_is_processed_once(
        db, settings):
    """The Cloud API may deliver one message twice, even at the same moment: it is
    recorded under its id once and answered once."""
    from ventanilla.whatsapp.models import WhatsAppMessage
    from ventanilla.whatsapp.services import message_receive

    results = _race(4, lambda i: message_receive(wa_id="wamid.SAME", phone="593991234567",
                                                 text="hola"))
    processed = [r for r in results if isinstance(r, list)]
    assert len(processed) == 1 and results.count(None) == 3, results
    assert WhatsAppMessage.objects.filter(direction="in", wa_id="wamid.SAME").count() == 1
    assert WhatsAppMessage.objects.filter(direction="out").count() == len(processed[0])


def test_r_apt_14_two_channels_at_once_give_one_appointment_of_a_specialty_a_day(
        clinic, make_affiliate):
    """The person's row lock serialises the two bookings; the second sees the first and is
    refused as the second of that specialty that day."""
    centre, specialties, _doctor = clinic
    ana = make_affiliate()
    dentistry = specialties["dentistry"]
    quito = timezone.get_fixed_timezone(-300)      # 10:00 and 10:30 of one Quito day
    day = (timezone.now() + timedelta(days=2)).astimezone(quito).date()
    base = datetime.combine(day, clock(10), tzinfo=quito)
    slots = [Slot.objects.create(centre=centre, service=dentistry,
                                 starts_at=base + timedelta(minutes=30 * i),
                                 ends_at=base + timedelta(minutes=30 * i + 20))
             for i in range(2)]
    results = _race(2, lambda i: services.booking_create(
        slot=slots[i], person=ana, channel=(Channel.WEB, Channel.WHATSAPP)[i]))
    assert sorted(type(r).__name__ for r in results) == ["Booking", "SameSpecialtySameDay"], \
        results
