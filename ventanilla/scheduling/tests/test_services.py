"""Bookings: capacity, idempotency, who may book for whom, the notice window, audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ventanilla.accounts.blocks import AccountBlocked, account_block
from ventanilla.core.channels import Channel
from ventanilla.core.errors import NotFound, PermissionDenied, ValidationFailed
from ventanilla.core.models import AuditEntry
from ventanilla.scheduling import services
from ventanilla.scheduling.errors import (
    AlreadyBooked,
    BookedForRefused,
    BookingNotActive,
    CancelTooLate,
    IdempotencyKeyReused,
    SlotTaken,
    SlotUnavailable,
)
from ventanilla.scheduling.models import Booking, BookingStatus, Slot

from .conftest import NOW, cedula

pytestmark = pytest.mark.django_db

WEB = Channel.WEB


def book(slot, person, **kwargs):
    kwargs.setdefault("channel", WEB)
    kwargs.setdefault("now", NOW)
    return services.booking_create(slot=slot, person=person, **kwargs)


def count(slot) -> int:
    return Slot.objects.values_list("booked_count", flat=True).get(pk=slot.pk)


# --- booking ---------------------------------------------------------------------------------

def test_r_reg_07_an_affiliate_books_an_office_visit(slot, ana):
    booking = book(slot, ana, purpose="  Entregar   la partida de nacimiento ")
    assert (booking.person, booking.booked_for, booking.status, booking.channel) == (
        ana, ana, BookingStatus.BOOKED, WEB)
    assert booking.purpose == "Entregar la partida de nacimiento"
    assert booking.booked_by is None
    assert count(slot) == 1
    assert not AuditEntry.objects.filter(action="booking.create").exists()


def test_r_apt_10_a_one_place_slot_is_never_given_twice(slot, ana, stranger):
    book(slot, ana)
    with pytest.raises(SlotTaken) as exc:
        book(slot, stranger)
    assert (exc.value.code, exc.value.status) == ("SLOT_TAKEN", 409)
    assert count(slot) == 1
    assert Booking.objects.count() == 1


def test_r_apt_10_a_counter_with_two_agents_takes_two_people(centre_ec, office_ec, make_slot,
                                                            ana, stranger, make_affiliate):
    slot = make_slot(centre_ec, office_ec, datetime(2030, 5, 6, 13, tzinfo=UTC), capacity=2)
    third = make_affiliate(id_number=cedula("171111111"), given_names="Eva")
    book(slot, ana)
    book(slot, stranger)
    with pytest.raises(SlotTaken):
        book(slot, third)
    assert count(slot) == 2


def test_r_apt_10_the_database_refuses_more_bookings_than_places(slot):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(booked_count=2)


def test_r_apt_10_the_database_refuses_the_same_person_twice_in_a_slot(centre_ec, office_ec,
                                                                       make_slot, ana):
    from django.db import IntegrityError, transaction

    slot = make_slot(centre_ec, office_ec, datetime(2030, 5, 6, 13, tzinfo=UTC), capacity=3)
    book(slot, ana)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(slot=slot, person=ana, booked_for=ana, channel=WEB)


def test_same_idempotency_key_from_the_same_person_returns_the_first_booking(slot, ana):
    first = book(slot, ana, idempotency_key="abc-123")
    again = book(slot, ana, idempotency_key="abc-123")
    assert again.pk == first.pk
    assert count(slot) == 1


def test_an_idempotency_key_reused_for_another_slot_is_refused(slot, ana, centre_ec,
                                                               office_ec, make_slot):
    other = make_slot(centre_ec, office_ec, datetime(2030, 5, 7, 13, tzinfo=UTC))
    book(slot, ana, idempotency_key="abc-123")
    with pytest.raises(IdempotencyKeyReused):
        book(other, ana, idempotency_key="abc-123")
    with pytest.raises(ValidationFailed):
        book(other, ana, idempotency_key="x" * 65)


def test_the_same_key_from_another_person_is_another_booking(centre_ec, office_ec, make_slot,
                                                             ana, stranger):
    slot = make_slot(centre_ec, office_ec, datetime(2030, 5, 6, 13, tzinfo=UTC), capacity=2)
    a = book(slot, ana, idempotency_key="k")
    b = book(slot, stranger, idempotency_key="k")
    assert a.pk != b.pk


def test_r_reg_07_no_two_visits_at_the_same_time_for_one_person(slot, ana, centre_ec,
                                                                make_affiliate):
    from ventanilla.scheduling.defaults import office_services_ensure
    from ventanilla.scheduling.models import Centre

    other_centre = Centre.objects.create(country="EC", code="ec-gye", name="CAU Guayaquil",
                                         subdivision_code="090150", address="Malecón")
    clave = office_services_ensure("EC")[1]
    same_time = Slot.objects.create(centre=other_centre, service=clave,
                                    starts_at=slot.starts_at + timedelta(minutes=10),
                                    ends_at=slot.ends_at + timedelta(minutes=10))
    book(slot, ana)
    with pytest.raises(AlreadyBooked) as exc:
        book(same_time, ana)
    assert exc.value.code == "ALREADY_BOOKED"
    assert count(same_time) == 0


@pytest.mark.parametrize("when", [NOW - timedelta(minutes=1), NOW], ids=["past", "now"])
def test_r_reg_07_a_slot_in_the_past_is_refused(centre_ec, office_ec, make_slot, ana, when):
    slot = make_slot(centre_ec, office_ec, when)
    with pytest.raises(SlotUnavailable) as exc:
        book(slot, ana)
    assert exc.value.status == 422 and "passed" in str(exc.value.message)


@pytest.mark.parametrize("closed", ["centre", "slot", "service"])
def test_r_reg_07_a_closed_centre_slot_or_service_is_refused(slot, ana, closed):
    target = {"centre": slot.centre, "slot": slot, "service": slot.service}[closed]
    setattr(target, "is_open" if closed == "slot" else "is_active", False)
    target.save()
    with pytest.raises(SlotUnavailable):
        book(slot, ana)


def test_a_centre_of_another_country_is_refused(centre_pe, office_pe, make_slot, ana):
    slot = make_slot(centre_pe, office_pe, datetime(2030, 5, 6, 13, tzinfo=UTC))
    with pytest.raises(SlotUnavailable):
        book(slot, ana)


def test_r_reg_07_an_affiliate_books_for_their_dependant(slot, ana, child):
    booking = book(slot, ana, booked_for=child)
    assert (booking.person, booking.booked_for) == (ana, child)


def test_r_reg_07_booking_for_a_stranger_is_refused(slot, ana, stranger):
    with pytest.raises(BookedForRefused) as exc:
        book(slot, ana, booked_for=stranger)
    assert exc.value.fields.keys() == {"booked_for"}
    assert count(slot) == 0


def test_r_reg_07_a_dependant_of_an_ended_affiliation_is_refused(slot, ana, child):
    from datetime import date

    ana.affiliations.update(ends_on=date(2029, 12, 31))
    with pytest.raises(BookedForRefused):
        book(slot, ana, booked_for=child)


def test_r_apt_05_a_blocked_account_cannot_book_online_but_staff_can_book_for_it(
        slot, ana, scheduling_agent):
    account_block(person=ana, cause="no_shows")
    with pytest.raises(AccountBlocked):
        book(slot, ana)
    booking = book(slot, ana, actor=scheduling_agent, channel=Channel.PHONE)
    assert booking.booked_by == scheduling_agent


def test_r_reg_07_office_visits_need_no_coverage(slot, make_affiliate):
    from datetime import date

    lapsed = make_affiliate(id_number=cedula("171222222"), ends_on=date(2025, 1, 1))
    assert book(slot, lapsed).status == BookingStatus.BOOKED


def test_the_eligibility_hook_is_asked_per_service_kind(slot, ana):
    from ventanilla.scheduling.eligibility import eligibility_register, eligibility_unregister

    seen = []

    def refuse(*, booked_for, slot, on):
        seen.append((booked_for, on))
        raise ValidationFailed("not covered", code="NOT_COVERED")

    with pytest.raises(ValidationFailed) as exc:
        book(slot, ana, eligibility=refuse)
    assert exc.value.code == "NOT_COVERED"
    assert seen == [(ana, datetime(2030, 5, 6).date())]
    eligibility_register("office", refuse)
    try:
        with pytest.raises(ValidationFailed):
            book(slot, ana)
    finally:
        eligibility_unregister("office")
    assert book(slot, ana).status == BookingStatus.BOOKED


def test_a_visit_can_be_linked_to_the_person_s_case(slot, ana, stranger):
    from ventanilla.cases.models import Case

    mine = Case.objects.create(reference="EC-AAAA0001", kind="appeal", country="EC",
                               channel=WEB, person=ana)
    theirs = Case.objects.create(reference="EC-AAAA0002", kind="appeal", country="EC",
                                 channel=WEB, person=stranger)
    with pytest.raises(ValidationFailed) as exc:
        book(slot, ana, case=theirs)
    assert exc.value.fields.keys() == {"case"}
    assert book(slot, ana, case=mine).case == mine


# --- staff -----------------------------------------------------------------------------------

def test_staff_booking_needs_the_permission_and_is_audited(slot, ana, reviewer,
                                                           scheduling_agent):
    with pytest.raises(PermissionDenied):
        book(slot, ana, actor=reviewer, channel=Channel.PHONE)
    booking = book(slot, ana, actor=scheduling_agent, channel=Channel.PHONE)
    entry = AuditEntry.objects.get(action="booking.create")
    assert (entry.actor, entry.object_id, entry.subject_ref, entry.channel) == (
        scheduling_agent, str(booking.public_id), ana.subject_ref, "phone")


def test_staff_of_another_country_cannot_book(centre_pe, office_pe, make_slot, make_affiliate,
                                              scheduling_agent):
    rosa = make_affiliate(country="PE", id_type="dni", id_number="10117410")
    slot = make_slot(centre_pe, office_pe, datetime(2030, 5, 6, 13, tzinfo=UTC))
    with pytest.raises(PermissionDenied):
        book(slot, rosa, actor=scheduling_agent, channel=Channel.PHONE)


# --- cancelling and rescheduling -------------------------------------------------------------

def test_r_apt_04_cancelling_frees_the_place_at_once(slot, ana, stranger):
    booking = book(slot, ana)
    cancelled = services.booking_cancel(booking=booking, channel=WEB, by_person=ana, now=NOW)
    assert (cancelled.status, cancelled.cancelled_at) == (BookingStatus.CANCELLED, NOW)
    assert count(slot) == 0
    assert book(slot, stranger).status == BookingStatus.BOOKED
    # cancelling twice changes nothing
    again = services.booking_cancel(booking=booking, channel=WEB, by_person=ana, now=NOW)
    assert again.status == BookingStatus.CANCELLED and count(slot) == 1


def test_r_apt_04_cancel_window_12h_ecuador(slot, ana):
    booking = book(slot, ana)
    too_late = slot.starts_at - timedelta(hours=12) + timedelta(seconds=1)
    with pytest.raises(CancelTooLate) as exc:
        services.booking_cancel(booking=booking, channel=WEB, by_person=ana, now=too_late)
    assert exc.value.code == "CANCEL_TOO_LATE"
    assert str(exc.value.message) == ("Visits can be cancelled or changed only up to 12 hours "
                                      "before they start.")
    services.booking_cancel(booking=booking, channel=WEB, by_person=ana,
                            now=slot.starts_at - timedelta(hours=12))
    assert count(slot) == 0


def test_r_apt_13_cancel_window_24h_peru(centre_pe, office_pe, make_slot, make_affiliate):
    rosa = make_affiliate(country="PE", id_type="dni", id_number="10117410")
    slot = make_slot(centre_pe, office_pe, datetime(2030, 5, 6, 13, tzinfo=UTC))
    booking = book(slot, rosa)
    with pytest.raises(CancelTooLate) as exc:
        services.booking_cancel(booking=booking, channel=WEB, by_person=rosa,
                                now=slot.starts_at - timedelta(hours=13))
    assert "24 hours" in str(exc.value.message)


def test_r_apt_04_cancel_window_message_is_translated(slot, ana):
    from django.utils import translation

    booking = book(slot, ana)
    with translation.override("es"), pytest.raises(CancelTooLate) as exc:
        services.booking_cancel(booking=booking, channel=WEB, by_person=ana,
                                now=slot.starts_at)
    assert "12" in str(exc.value.message)


def test_another_person_cannot_cancel_a_booking(slot, ana, stranger):
    booking = book(slot, ana)
    with pytest.raises(NotFound):
        services.booking_cancel(booking=booking, channel=WEB, by_person=stranger, now=NOW)
    assert count(slot) == 1


def test_the_dependant_and_the_holder_may_both_cancel(slot, ana, child):
    booking = book(slot, ana, booked_for=child)
    services.booking_cancel(booking=booking, channel=WEB, by_person=child, now=NOW)
    assert count(slot) == 0


def test_staff_cancel_is_audited(slot, ana, scheduling_agent):
    booking = book(slot, ana)
    services.booking_cancel(booking=booking, channel=Channel.PHONE, actor=scheduling_agent,
                            now=NOW)
    entry = AuditEntry.objects.get(action="booking.cancel")
    assert (entry.actor, entry.subject_ref) == (scheduling_agent, ana.subject_ref)
    booking.refresh_from_db()
    assert booking.cancelled_by == scheduling_agent


def test_r_apt_04_rescheduling_moves_the_booking_atomically(slot, ana, centre_ec, office_ec,
                                                           make_slot):
    later = make_slot(centre_ec, office_ec, datetime(2030, 5, 7, 13, tzinfo=UTC))
    booking = book(slot, ana)
    moved = services.booking_reschedule(booking=booking, new_slot=later, channel=WEB,
                                        by_person=ana, now=NOW)
    assert (moved.pk, moved.public_id, moved.slot) == (booking.pk, booking.public_id, later)
    assert (count(slot), count(later)) == (0, 1)


def test_r_apt_04_rescheduling_to_a_full_slot_changes_nothing(slot, ana, stranger, centre_ec,
                                                              office_ec, make_slot):
    full = make_slot(centre_ec, office_ec, datetime(2030, 5, 7, 13, tzinfo=UTC))
    book(full, stranger)
    booking = book(slot, ana)
    with pytest.raises(SlotTaken):
        services.booking_reschedule(booking=booking, new_slot=full, channel=WEB,
                                    by_person=ana, now=NOW)
    booking.refresh_from_db()
    assert booking.slot == slot and (count(slot), count(full)) == (1, 1)


def test_r_apt_04_rescheduling_follows_the_cancel_window(slot, ana, centre_ec, office_ec,
                                                        make_slot):
    later = make_slot(centre_ec, office_ec, datetime(2030, 5, 7, 13, tzinfo=UTC))
    booking = book(slot, ana)
    with pytest.raises(CancelTooLate):
        services.booking_reschedule(booking=booking, new_slot=later, channel=WEB,
                                    by_person=ana, now=slot.starts_at - timedelta(hours=1))
    assert (count(slot), count(later)) == (1, 0)


def test_rescheduling_to_another_service_is_refused(slot, ana, centre_ec, make_slot):
    from ventanilla.scheduling.defaults import office_services_ensure

    clave = office_services_ensure("EC")[1]
    other = make_slot(centre_ec, clave, datetime(2030, 5, 7, 13, tzinfo=UTC))
    booking = book(slot, ana)
    with pytest.raises(SlotUnavailable):
        services.booking_reschedule(booking=booking, new_slot=other, channel=WEB,
                                    by_person=ana, now=NOW)


def test_a_cancelled_booking_cannot_be_rescheduled(slot, ana, centre_ec, office_ec,
                                                   make_slot):
    later = make_slot(centre_ec, office_ec, datetime(2030, 5, 7, 13, tzinfo=UTC))
    booking = book(slot, ana)
    services.booking_cancel(booking=booking, channel=WEB, by_person=ana, now=NOW)
    with pytest.raises(BookingNotActive):
        services.booking_reschedule(booking=booking, new_slot=later, channel=WEB,
                                    by_person=ana, now=NOW)


def test_staff_record_attendance_after_the_start(slot, ana, scheduling_agent):
    booking = book(slot, ana)
    with pytest.raises(ValidationFailed):
        services.booking_attendance_record(booking=booking, attended=False,
                                           actor=scheduling_agent, now=NOW)
    done = services.booking_attendance_record(booking=booking, attended=False,
                                              actor=scheduling_agent, now=slot.ends_at)
    assert done.status == BookingStatus.NO_SHOW
    with pytest.raises(PermissionDenied):
        services.booking_attendance_record(booking=booking, attended=True, actor=None)


def test_r_apt_05_attended_from_an_hour_before_and_only_by_staff_of_the_centre(
        slot, ana, scheduling_agent, centre_pe):
    booking = book(slot, ana)
    early = services.booking_attendance_record(
        booking=booking, attended=True, actor=scheduling_agent,
        now=slot.starts_at - timedelta(minutes=30))
    assert early.status == BookingStatus.ATTENDED
    scheduling_agent.centre = centre_pe  # works at another centre
    with pytest.raises(PermissionDenied):
        services.booking_attendance_record(booking=booking, attended=False,
                                           actor=scheduling_agent, now=slot.ends_at)


# --- selectors -------------------------------------------------------------------------------

def test_free_slots_are_listed_in_time_order_without_full_ones(centre_ec, office_ec,
                                                               make_slot, ana):
    from ventanilla.scheduling import selectors

    b = make_slot(centre_ec, office_ec, datetime(2030, 5, 7, 13, tzinfo=UTC))
    a = make_slot(centre_ec, office_ec, datetime(2030, 5, 6, 13, tzinfo=UTC))
    full = make_slot(centre_ec, office_ec, datetime(2030, 5, 6, 14, tzinfo=UTC))
    make_slot(centre_ec, office_ec, NOW - timedelta(hours=1))
    book(full, ana)
    assert list(selectors.slots_free(country="EC", service="document_submission",
                                     now=NOW)) == [a, b]
    assert list(selectors.slots_free(country="EC", date_from=datetime(2030, 5, 7).date(),
                                     date_to=datetime(2030, 5, 7).date(), now=NOW)) == [b]
    assert list(selectors.slots_free(country="PE", now=NOW)) == []
    assert selectors.slot_dates_free(country="EC", now=NOW) == [
        datetime(2030, 5, 6).date(), datetime(2030, 5, 7).date()]


def test_a_person_sees_their_bookings_and_those_for_their_dependants(slot, ana, child,
                                                                    stranger, centre_ec,
                                                                    office_ec, make_slot):
    from ventanilla.scheduling import selectors

    other = make_slot(centre_ec, office_ec, datetime(2030, 5, 7, 13, tzinfo=UTC), capacity=2)
    mine = book(slot, ana)
    for_child = book(other, ana, booked_for=child)
    theirs = book(other, stranger)
    assert list(selectors.bookings_of(ana)) == [mine, for_child]
    assert list(selectors.bookings_of(child)) == [for_child]
    assert selectors.booking_get_for(ana, theirs.public_id) is None
    assert selectors.booking_get_for(ana, "not-a-uuid") is None
    assert selectors.booking_get_for(ana, mine.public_id) == mine
