"""Medical appointments on the slot engine: who may book (R-APT-01), the notice window
(R-APT-04, R-APT-13), no-shows (R-APT-05), phone days (R-APT-06), referrals (R-APT-08,
R-APT-12) and quotas with the channel block (R-APT-11)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import translation

from ventanilla.accounts.blocks import AccountBlocked
from ventanilla.accounts.models import AccountBlock
from ventanilla.core.channels import Channel
from ventanilla.scheduling import services
from ventanilla.scheduling.errors import (
    CancelTooLate,
    ChannelBlocked,
    NotCovered,
    PhoneDayRefused,
    QuotaExceeded,
    ReferralRequired,
    SameSpecialtySameDay,
    SlotTaken,
)
from ventanilla.scheduling.models import (
    Booking,
    BookingStatus,
    ChannelBlock,
    QuotaAttempt,
    Referral,
    Slot,
)

from ..conftest import NOW, cedula
from .conftest import MONDAY_0800_QUITO, referral_for

pytestmark = pytest.mark.django_db

WEB = Channel.WEB


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def book(slot, person, **kwargs):
    kwargs.setdefault("channel", WEB)
    kwargs.setdefault("now", NOW)
    return services.booking_create(slot=slot, person=person, **kwargs)


def count(slot) -> int:
    return Slot.objects.values_list("booked_count", flat=True).get(pk=slot.pk)


# --- R-APT-01: who may book ------------------------------------------------------------------

def test_r_apt_01_an_affiliate_books_a_general_medicine_appointment(med_slot, ana, doctor_ec):
    booking = book(med_slot, ana)
    assert (booking.booked_for, booking.status, booking.slot.doctor) == (
        ana, BookingStatus.BOOKED, doctor_ec)
    assert count(med_slot) == 1


def test_r_apt_01_peasant_insurance_refused(med_slot, peasant):
    with pytest.raises(NotCovered) as exc:
        book(med_slot, peasant)
    assert exc.value.code == "NOT_COVERED"
    assert str(exc.value.message) == ("Peasant insurance (Seguro Social Campesino) does not "
                                      "include this appointment service.")
    assert count(med_slot) == 0


def test_r_apt_01_peasant_insurance_may_still_book_an_office_visit(slot, peasant):
    assert book(slot, peasant).status == BookingStatus.BOOKED


def test_r_apt_01_child_turning_18_before_the_date_is_refused(
        clinic_ec, general_ec, make_med_slot, make_affiliate, ana):
    teen = make_affiliate(id_number=cedula("171234560"), given_names="Mateo",
                          family_names="Paz", date_of_birth=date(2012, 5, 2),
                          affiliation_type="dependant", holder=ana.affiliations.get(),
                          relationship="child", with_clave=False)
    before = make_med_slot(clinic_ec, general_ec, datetime(2030, 5, 1, 13, tzinfo=UTC))
    after = make_med_slot(clinic_ec, general_ec, datetime(2030, 5, 2, 13, tzinfo=UTC))
    assert book(before, ana, booked_for=teen).booked_for == teen     # 17 on 1 May
    with pytest.raises(NotCovered) as exc:
        book(after, ana, booked_for=teen)                           # 18 on 2 May
    assert "18th birthday" in str(exc.value.message)
    assert exc.value.fields.keys() == {"booked_for"}


def test_r_apt_01_not_covered_on_the_date_of_the_appointment(
        clinic_ec, general_ec, make_med_slot, make_affiliate):
    leaving = make_affiliate(id_number=cedula("170000003"), ends_on=date(2030, 5, 3))
    inside = make_med_slot(clinic_ec, general_ec, datetime(2030, 5, 3, 13, tzinfo=UTC))
    outside = make_med_slot(clinic_ec, general_ec, datetime(2030, 5, 6, 13, tzinfo=UTC))
    book(inside, leaving)
    with pytest.raises(NotCovered) as exc:
        book(outside, leaving)
    assert str(exc.value.message).startswith("Coverage ended on")


def test_r_apt_01_a_blocked_dependant_cannot_be_booked_online(med_slot, ana, child):
    AccountBlock.objects.create(person=child, cause=AccountBlock.Cause.NO_SHOWS)
    with pytest.raises(AccountBlocked):
        book(med_slot, ana, booked_for=child)


# --- R-APT-04 / R-APT-13: the notice window ----------------------------------------------------

def test_r_apt_04_cancel_up_to_12_hours_and_the_slot_is_free_at_once(med_slot, ana, stranger):
    booking = book(med_slot, ana)
    at = med_slot.starts_at - timedelta(hours=12)
    services.booking_cancel(booking=booking, channel=Channel.PHONE, by_person=ana, now=at)
    assert count(med_slot) == 0
    again = book(med_slot, stranger, now=at)
    assert again.status == BookingStatus.BOOKED and count(med_slot) == 1


def test_r_apt_04_medical_cancel_refused_inside_12_hours_on_every_channel(
        med_slot, ana, scheduling_agent):
    booking = book(med_slot, ana)
    late = med_slot.starts_at - timedelta(hours=11, minutes=59)
    for kwargs in ({"by_person": ana, "channel": WEB},
                   {"by_person": ana, "channel": Channel.WHATSAPP},
                   {"actor": scheduling_agent, "channel": Channel.PHONE}):
        with pytest.raises(CancelTooLate) as exc:
            services.booking_cancel(booking=booking, now=late, **kwargs)
        assert str(exc.value.message) == ("Medical appointments can be cancelled or changed "
                                          "only up to 12 hours before they start.")
    assert count(med_slot) == 1


def test_r_apt_13_peru_24_hours(clinic_pe, specialties_pe, make_med_slot, peruvian):
    slot = make_med_slot(clinic_pe, specialties_pe["dentistry"],
                         datetime(2030, 5, 6, 14, tzinfo=UTC))   # 09:00 in Lima
    other = make_med_slot(clinic_pe, specialties_pe["dentistry"],
                          datetime(2030, 5, 7, 14, tzinfo=UTC))
    booking = book(slot, peruvian)
    with pytest.raises(CancelTooLate) as exc:
        services.booking_cancel(booking=booking, channel=WEB, by_person=peruvian,
                                now=slot.starts_at - timedelta(hours=23))
    assert "24 hours" in str(exc.value.message)
    with pytest.raises(CancelTooLate):
        services.booking_reschedule(booking=booking, new_slot=other, channel=WEB,
                                    by_person=peruvian, now=slot.starts_at - timedelta(hours=23))
    moved = services.booking_reschedule(booking=booking, new_slot=other, channel=WEB,
                                        by_person=peruvian,
                                        now=slot.starts_at - timedelta(hours=24))
    assert moved.slot_id == other.pk and (count(slot), count(other)) == (0, 1)


# --- R-APT-05: no-shows ------------------------------------------------------------------------

def test_r_apt_05_third_no_show_blocks_the_web_account(clinic_ec, general_ec, make_med_slot,
                                                       ana, scheduling_agent, slot):
    starts = [datetime(2030, 5, d, 13, tzinfo=UTC) for d in (6, 13, 20, 27)]   # Mondays
    slots = [make_med_slot(clinic_ec, general_ec, s) for s in starts]
    office = book(slot, ana)                     # an office no-show does not count
    services.booking_attendance_record(booking=office, attended=False, actor=scheduling_agent,
                                       now=slot.starts_at + timedelta(hours=1))
    for n, s in enumerate(slots[:3], start=1):
        booking = book(s, ana)
        services.booking_attendance_record(booking=booking, attended=False,
                                           actor=scheduling_agent,
                                           now=s.starts_at + timedelta(minutes=30))
        blocked = AccountBlock.objects.filter(person=ana, unblocked_at=None).first()
        assert (blocked is not None) == (n == 3), n
    assert blocked.cause == AccountBlock.Cause.NO_SHOWS
    assert blocked.detail == "3 missed medical appointments."
    with pytest.raises(AccountBlocked) as exc:
        book(slots[3], ana, now=datetime(2030, 5, 23, tzinfo=UTC))
    assert str(exc.value.message) == (
        "Your web account is blocked (Missed appointments). Go to a service centre with your "
        "identity document to have it unblocked. You can still book by phone: "
        "140, 1800-100-000 or 161.")
    # the call centre still books on the person's behalf
    by_phone = book(slots[3], ana, actor=scheduling_agent, channel=Channel.PHONE,
                    now=datetime(2030, 5, 23, tzinfo=UTC))
    assert by_phone.booked_by == scheduling_agent


def test_r_apt_05_the_threshold_is_country_configuration(med_slot, ana, scheduling_agent,
                                                         monkeypatch):
    from ventanilla.countries.ec import EcuadorPack

    monkeypatch.setattr(EcuadorPack, "no_show_block_after", 1)
    booking = book(med_slot, ana)
    services.booking_attendance_record(booking=booking, attended=False, actor=scheduling_agent,
                                       now=med_slot.starts_at)
    assert AccountBlock.objects.filter(person=ana, cause="no_shows").count() == 1


# --- R-APT-06: the phone days ------------------------------------------------------------------

def test_r_apt_06_even_id_tuesday_thursday_saturday(clinic_ec, general_ec, make_med_slot,
                                                    make_affiliate, scheduling_agent):
    from ventanilla.scheduling import selectors

    even = make_affiliate(id_number=next(cedula(f"17000{i:04d}") for i in range(100)
                                         if cedula(f"17000{i:04d}")[-1] in "02468"))
    monday = make_med_slot(clinic_ec, general_ec, datetime(2030, 5, 6, 13, tzinfo=UTC))
    tuesday = make_med_slot(clinic_ec, general_ec, datetime(2030, 5, 7, 13, tzinfo=UTC))
    saturday = make_med_slot(clinic_ec, general_ec, datetime(2030, 5, 11, 13, tzinfo=UTC))
    assert selectors.phone_weekdays(even) == {1, 3, 5}
    offered = selectors.slots_free(country="EC", kind="medical", now=NOW,
                                   weekdays=selectors.phone_weekdays(even))
    assert list(offered) == [tuesday, saturday]
    with pytest.raises(PhoneDayRefused) as exc:
        book(monday, even, actor=scheduling_agent, channel=Channel.PHONE)
    assert str(exc.value.message) == ("By phone, appointments for this ID number are given on "
                                      "Tuesday, Thursday, Saturday.")
    assert book(tuesday, even, actor=scheduling_agent, channel=Channel.PHONE).pk
    assert book(monday, even).pk            # the web has no day rule


def test_r_apt_06_odd_id_monday_wednesday_friday_and_peru_unrestricted(db):
    from ventanilla.countries.registry import get_pack

    assert get_pack("EC").phone_booking_weekdays("1710034065") == {0, 2, 4}
    assert get_pack("EC").phone_booking_weekdays("1710034064") == {1, 3, 5}
    assert get_pack("PE").phone_booking_weekdays("45678912") == set(range(7))


# --- R-APT-08 / R-APT-12: referrals -------------------------------------------------------------

def test_r_apt_12_second_level_needs_referral(clinic_ec, specialties_ec, make_med_slot, ana,
                                              stranger):
    assert {c for c, s in specialties_ec.items() if s.needs_referral} == {
        "ophthalmology", "traumatology"}
    eyes = make_med_slot(clinic_ec, specialties_ec["ophthalmology"], MONDAY_0800_QUITO)
    with pytest.raises(ReferralRequired) as exc:
        book(eyes, ana)
    assert exc.value.code == "REFERRAL_REQUIRED"
    referral_for(ana, specialties_ec["traumatology"])                      # another specialty
    referral_for(ana, specialties_ec["ophthalmology"], expires_on=date(2030, 5, 5))  # expired
    referral_for(stranger, specialties_ec["ophthalmology"])                # someone else's
    with pytest.raises(ReferralRequired):
        book(eyes, ana)
    assert count(eyes) == 0
    first_level = make_med_slot(clinic_ec, specialties_ec["dentistry"], MONDAY_0800_QUITO)
    assert book(first_level, ana).pk


def test_r_apt_08_referral_consumed_and_voided_by_no_show(clinic_ec, eyes_ec, make_med_slot,
                                                          ana, scheduling_agent):
    eyes = make_med_slot(clinic_ec, eyes_ec, MONDAY_0800_QUITO)
    later = make_med_slot(clinic_ec, eyes_ec, MONDAY_0800_QUITO + timedelta(days=7))
    referral = referral_for(ana, eyes_ec)
    booking = book(eyes, ana)
    referral.refresh_from_db()
    assert (referral.status, referral.used_by) == (Referral.Status.USED, booking)
    services.booking_cancel(booking=booking, channel=WEB, by_person=ana, now=NOW)
    referral.refresh_from_db()
    assert (referral.status, referral.used_by) == (Referral.Status.ACTIVE, None)
    booking = book(later, ana)
    services.booking_attendance_record(booking=booking, attended=False, actor=scheduling_agent,
                                       now=later.starts_at + timedelta(minutes=20))
    referral.refresh_from_db()
    assert (referral.status, referral.used_by) == (Referral.Status.VOID, booking)
    with pytest.raises(ReferralRequired):
        book(eyes, ana)


def test_r_apt_08_one_referral_serves_one_booking(clinic_ec, eyes_ec, make_med_slot, ana):
    referral_for(ana, eyes_ec)
    book(make_med_slot(clinic_ec, eyes_ec, MONDAY_0800_QUITO), ana)
    with pytest.raises(ReferralRequired):
        book(make_med_slot(clinic_ec, eyes_ec, MONDAY_0800_QUITO + timedelta(days=1)), ana)


def test_r_apt_08_rescheduling_stays_within_the_referral(clinic_ec, eyes_ec, make_med_slot,
                                                         ana):
    referral_for(ana, eyes_ec, expires_on=date(2030, 5, 10))
    booking = book(make_med_slot(clinic_ec, eyes_ec, MONDAY_0800_QUITO), ana)
    too_late = make_med_slot(clinic_ec, eyes_ec, MONDAY_0800_QUITO + timedelta(days=7))
    with pytest.raises(ReferralRequired):
        services.booking_reschedule(booking=booking, new_slot=too_late, channel=WEB,
                                    by_person=ana, now=NOW)
    in_time = make_med_slot(clinic_ec, eyes_ec, MONDAY_0800_QUITO + timedelta(days=4))
    moved = services.booking_reschedule(booking=booking, new_slot=in_time, channel=WEB,
                                        by_person=ana, now=NOW)
    assert moved.referral.status == Referral.Status.USED


# --- R-APT-11: quotas and the channel block ---------------------------------------------------

@pytest.fixture
def week_of_slots(clinic_ec, specialties_ec, make_med_slot):
    """Three first-level times a day, each of another specialty (R-APT-14 allows one of a
    specialty a day): General Medicine 08:00, Family Medicine 09:00, Dentistry 10:00 Quito,
    Monday 6 to Sunday 12 May 2030 and the next week."""
    codes = ("general_medicine", "family_medicine", "dentistry")
    return {(day, hour): make_med_slot(clinic_ec, specialties_ec[codes[hour]],
                                       datetime(2030, 5, day, 13 + hour, tzinfo=UTC))
            for day in range(6, 20) for hour in range(3)}


def test_r_apt_11_quota_day_week_month_and_channel_block(week_of_slots, ana, clinic_ec,
                                                         eyes_ec, make_med_slot, settings):
    phone = "+593 99 123 4567"
    s = week_of_slots
    book(s[6, 0], ana, channel=Channel.PHONE, channel_key=phone)
    book(s[6, 1], ana, channel=WEB)                          # across channels
    with pytest.raises(QuotaExceeded) as exc:                # a third on Monday: a warning
        book(s[6, 2], ana, channel=Channel.PHONE, channel_key=phone)
    assert str(exc.value.message) == (
        "One person can have at most 2 medical appointments a day, on all channels together. "
        "Nothing was booked. The times we offer you already keep within these limits; if "
        "this phone number tries 2 more times within 24 hours to book over them, booking "
        "from it will be blocked for 30 days.")
    assert not ChannelBlock.objects.exists()
    with pytest.raises(QuotaExceeded) as exc:                # the second: one more warning
        book(s[6, 2], ana, channel=Channel.PHONE, channel_key=phone,
             now=NOW + timedelta(hours=1))
    assert "if this phone number tries once more within 24 hours" in str(exc.value.message)
    assert not ChannelBlock.objects.exists()
    with pytest.raises(QuotaExceeded) as exc:                # the third within 24 h: blocked
        book(s[6, 2], ana, channel=Channel.PHONE, channel_key=phone,
             now=NOW + timedelta(hours=2))
    assert str(exc.value.message) == (
        "One person can have at most 2 medical appointments a day, on all channels together. "
        "Booking from this phone number is blocked until 29 May 2030.")
    block = ChannelBlock.objects.get()
    assert (block.kind, block.key, block.person, block.until) == (
        "phone", "593991234567", ana, NOW + timedelta(days=30, hours=2))
    # the same number through WhatsApp is the same channel: refused, even for another day
    with pytest.raises(ChannelBlocked) as exc:
        book(s[8, 0], ana, channel=Channel.WHATSAPP, channel_key="593991234567")
    assert exc.value.status == 403
    assert "blocked until 29 May 2030" in str(exc.value.message)
    # the week: Monday 2 + Tuesday 2 = 4 in 7 days; a fifth that week is refused
    book(s[7, 0], ana)
    book(s[7, 1], ana)
    for _attempt in range(3):
        with pytest.raises(QuotaExceeded) as exc:
            book(s[10, 0], ana, channel=Channel.API, channel_key="device-1")
        assert "at most 4 medical appointments in 7 days" in str(exc.value.message)
    assert ChannelBlock.objects.filter(kind="device", key="device-1").count() == 1
    # the week after is open again (Monday 13 is 7 days after Monday 6)
    assert book(s[13, 0], ana).pk
    # second-level specialties do not count
    referral_for(ana, eyes_ec)
    assert book(make_med_slot(clinic_ec, eyes_ec, datetime(2030, 5, 6, 20, tzinfo=UTC)),
                ana).pk
    # the month, configured lower here
    settings.APPOINTMENT_QUOTAS = {1: 2, 7: 4, 30: 5}
    with pytest.raises(QuotaExceeded) as exc:
        book(s[14, 0], ana)
    assert "at most 5 medical appointments in 30 days" in str(exc.value.message)
    assert Booking.objects.filter(booked_for=ana, status="booked").count() == 6


def test_r_apt_11_a_second_offence_blocks_for_good(week_of_slots, ana):
    s = week_of_slots
    phone = "0991234567"
    book(s[6, 0], ana)
    book(s[6, 1], ana)
    for minutes in (0, 10, 20):     # the third refused attempt within 24 hours blocks
        with pytest.raises(QuotaExceeded):
            book(s[6, 2], ana, channel=Channel.PHONE, channel_key=phone,
                 now=NOW + timedelta(minutes=minutes))
    first_block = NOW + timedelta(minutes=20)
    later = NOW + timedelta(days=31)
    # thirty days on, the number books again (Monday 3 June), and a second offence blocks
    # it permanently
    def slot_at(hours, like):
        return Slot.objects.create(centre=like.centre, service=like.service,
                                   starts_at=later + timedelta(days=4, hours=hours),
                                   ends_at=later + timedelta(days=4, hours=hours, minutes=20))

    slot_after, slot_after2, slot_after3 = (slot_at(h, s[6, h]) for h in range(3))
    book(slot_after, ana, channel=Channel.PHONE, channel_key=phone, now=later)
    book(slot_after2, ana, channel=Channel.PHONE, channel_key=phone, now=later)
    for attempt in range(3):
        with pytest.raises(QuotaExceeded) as exc:
            book(slot_after3, ana, channel=Channel.PHONE, channel_key=phone,
                 now=later + timedelta(minutes=attempt))
        assert ("blocked permanently" in str(exc.value.message)) == (attempt == 2)
    assert list(ChannelBlock.objects.order_by("created_at").values_list("until", flat=True)) \
        == [first_block + timedelta(days=30), None]


def test_r_apt_11_refused_attempts_far_apart_only_warn(week_of_slots, ana):
    """Refusals more than 24 hours apart never add up to a block: a person the interface
    misled is warned, a channel that keeps trying is blocked."""
    s = week_of_slots
    phone = "0991234567"
    book(s[6, 0], ana)
    book(s[6, 1], ana)
    for hours in (0, 25, 50, 75):
        with pytest.raises(QuotaExceeded) as exc:
            book(s[6, 2], ana, channel=Channel.PHONE, channel_key=phone,
                 now=NOW + timedelta(hours=hours))
        assert "Nothing was booked" in str(exc.value.message)
    assert not ChannelBlock.objects.exists()
    assert QuotaAttempt.objects.filter(key="0991234567").count() == 4


def test_r_apt_14_no_second_appointment_of_a_specialty_the_same_day(week_of_slots, ana,
                                                                   clinic_ec, general_ec,
                                                                   make_med_slot):
    s = week_of_slots
    book(s[6, 0], ana)                         # General Medicine at 08:00
    later_same = make_med_slot(clinic_ec, general_ec, datetime(2030, 5, 6, 20, tzinfo=UTC))
    with pytest.raises(SameSpecialtySameDay) as exc:
        book(later_same, ana)
    assert exc.value.status == 409
    assert "already has an appointment of this specialty that day" in str(exc.value.message)
    assert book(s[6, 1], ana).pk              # another specialty that day is fine
    assert book(s[7, 0], ana).pk              # the same specialty the next day is fine
    # moving the next day's onto Monday is refused the same way
    booking = Booking.objects.get(slot=s[7, 0])
    with pytest.raises(SameSpecialtySameDay):
        services.booking_reschedule(booking=booking, new_slot=later_same, channel=WEB,
                                    by_person=ana, now=NOW)


def test_r_apt_10_a_taken_medical_slot_is_never_given_twice(med_slot, ana, stranger):
    book(med_slot, ana)
    with pytest.raises(SlotTaken):
        book(med_slot, stranger)
    assert count(med_slot) == 1
