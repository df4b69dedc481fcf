"""R-APT-14: the times a person may book, one read for every channel
(``allowance.booking_allowance``). Each test walks as the person a rule affects; what is
offered is then booked, and nothing offered is refused."""

from __future__ import annotations

import contextlib
import random
from datetime import UTC, date, datetime, timedelta

import pytest

from ventanilla.core.channels import Channel
from ventanilla.core.errors import DomainError
from ventanilla.scheduling import selectors, services
from ventanilla.scheduling.allowance import ClosedReason, RefusalReason, booking_allowance
from ventanilla.scheduling.models import Slot

from ..conftest import NOW, cedula
from .conftest import referral_for

pytestmark = pytest.mark.django_db
WEB = Channel.WEB


@pytest.fixture
def days(clinic_ec, specialties_ec, make_med_slot):
    """Monday 6 to Sunday 19 May 2030: General Medicine 08:00 and 08:20, Family Medicine
    09:00, Dentistry 10:00 (Quito)."""
    out = {}
    for day in range(6, 20):
        for key, code, hour, minute in (("gm", "general_medicine", 13, 0),
                                        ("gm2", "general_medicine", 13, 20),
                                        ("fm", "family_medicine", 14, 0),
                                        ("dent", "dentistry", 15, 0)):
            out[day, key] = make_med_slot(clinic_ec, specialties_ec[code],
                                          datetime(2030, 5, day, hour, minute, tzinfo=UTC))
    return out


class _RolledBack(Exception):
    pass


def book(slot, person, **kwargs):
    kwargs.setdefault("channel", WEB)
    kwargs.setdefault("now", NOW)
    return services.booking_create(slot=slot, person=person, **kwargs)


def offered(allowance, service, **kwargs):
    return list(selectors.slots_free(country="EC", service=service, now=NOW,
                                     allowance=allowance, **kwargs))


def test_r_apt_14_a_person_at_the_daily_limit_is_not_offered_that_day(days, ana, general_ec):
    """Carmen's case: two appointments on Monday; "first available" and the date list
    skip Monday instead of leading to a refusal and a block."""
    book(days[6, "fm"], ana)
    book(days[6, "dent"], ana)
    allowance = booking_allowance(person=ana, service=general_ec, now=NOW)
    closed = allowance.closed[date(2030, 5, 6)]
    assert closed.reason == ClosedReason.QUOTA
    assert "at most 2 medical appointments a day" in closed.message
    times = offered(allowance, general_ec)
    assert times[0] == days[7, "gm"]                       # the first available is Tuesday
    assert not any(s.starts_at.day == 6 for s in times)
    dates = selectors.slot_dates_free(country="EC", service=general_ec, now=NOW,
                                      allowance=allowance)
    assert date(2030, 5, 6) not in dates and dates[0] == date(2030, 5, 7)
    assert book(times[0], ana).pk                          # what is offered books
    # the counts the check page shows for Tuesday: 1 more that day, 1 in 7 days (3 of 4
    # held), 7 in 30 days
    room = {r.days: r.left for r in booking_allowance(person=ana, service=general_ec,
                                                      now=NOW).room(date(2030, 5, 7))}
    assert room == {1: 1, 7: 1, 30: 7}


def test_r_apt_14_the_week_quota_closes_the_days_around_it(days, ana, general_ec):
    for day, key in ((6, "fm"), (6, "dent"), (7, "fm"), (7, "dent")):
        book(days[day, key], ana)
    allowance = booking_allowance(person=ana, service=general_ec, now=NOW)
    # 4 in any 7 days: 30 April .. 12 May are all closed; 13 May opens again
    assert all(date(2030, 5, d) in allowance.closed for d in range(6, 13))
    assert date(2030, 5, 13) not in allowance.closed
    assert offered(allowance, general_ec)[0] == days[13, "gm"]


def test_r_apt_14_no_second_appointment_of_the_same_specialty_that_day(days, ana,
                                                                       general_ec):
    first = book(days[6, "gm"], ana)
    allowance = booking_allowance(person=ana, service=general_ec, now=NOW)
    closed = allowance.closed[date(2030, 5, 6)]
    assert closed.reason == ClosedReason.SAME_SPECIALTY and closed.booking.pk == first.pk
    assert closed.message.startswith("You already have a General Medicine appointment that "
                                     "day, at 08:00.")
    assert days[6, "gm2"] not in offered(allowance, general_ec)
    # another specialty that day stays on offer, at another time than the booked one
    family = days[6, "fm"].service
    assert days[6, "fm"] in offered(booking_allowance(person=ana, service=family, now=NOW),
                                    family)


def test_r_apt_14_times_that_clash_with_another_appointment_are_not_offered(
        days, ana, clinic_ec, specialties_ec, make_med_slot):
    dentistry = specialties_ec["dentistry"]
    book(days[6, "gm"], ana)                               # 08:00 - 08:20
    clash = make_med_slot(clinic_ec, dentistry, datetime(2030, 5, 6, 13, 10, tzinfo=UTC))
    allowance = booking_allowance(person=ana, service=dentistry, now=NOW)
    times = offered(allowance, dentistry, date_from=date(2030, 5, 6), date_to=date(2030, 5, 6))
    assert clash not in times and days[6, "dent"] in times
    assert allowance.why_not(clash) == "This person already has an appointment at that time."


def test_r_apt_14_a_peasant_insurance_member_is_refused_before_any_step(days, peasant,
                                                                        general_ec):
    allowance = booking_allowance(person=peasant, service=general_ec, now=NOW)
    assert allowance.refusal is not None
    assert allowance.refusal.reason == RefusalReason.PEASANT_INSURANCE
    assert offered(allowance, general_ec) == []


def test_r_apt_14_a_dependant_is_offered_days_up_to_the_day_before_their_18th_birthday(
        days, make_affiliate, ana, general_ec):
    teen = make_affiliate(id_number=cedula("171234568"), given_names="Mateo",
                          family_names="Paz", date_of_birth=date(2012, 5, 10),
                          affiliation_type="dependant", holder=ana.affiliations.get(),
                          relationship="child", with_clave=False)
    allowance = booking_allowance(person=ana, booked_for=teen, service=general_ec, now=NOW)
    assert allowance.last_day == date(2030, 5, 9)
    times = offered(allowance, general_ec)
    assert times and max(s.starts_at for s in times).date() == date(2030, 5, 9)
    assert book(times[-1], ana, booked_for=teen).pk        # the last one offered books
    with pytest.raises(DomainError):                       # the day after is refused
        book(days[10, "gm"], ana, booked_for=teen)


def test_r_apt_14_a_second_level_specialty_needs_a_referral_and_ends_with_it(
        ana, eyes_ec, clinic_ec, make_med_slot):
    allowance = booking_allowance(person=ana, service=eyes_ec, now=NOW)
    assert allowance.refusal.reason == RefusalReason.NEEDS_REFERRAL
    referral_for(ana, eyes_ec, issued_on=date(2030, 4, 1), expires_on=date(2030, 5, 8))
    inside = make_med_slot(clinic_ec, eyes_ec, datetime(2030, 5, 8, 15, tzinfo=UTC))
    after = make_med_slot(clinic_ec, eyes_ec, datetime(2030, 5, 9, 15, tzinfo=UTC))
    allowance = booking_allowance(person=ana, service=eyes_ec, now=NOW)
    assert allowance.refusal is None and allowance.last_day == date(2030, 5, 8)
    assert offered(allowance, eyes_ec) == [inside]
    assert not allowance.allows(after)


def test_r_apt_14_blocks_refuse_up_front_with_their_end(days, ana, general_ec):
    from ventanilla.accounts.blocks import account_block

    phone = "0991234567"
    book(days[6, "fm"], ana)
    book(days[6, "dent"], ana)
    for minutes in range(3):
        with pytest.raises(DomainError):
            book(days[6, "gm"], ana, channel=Channel.PHONE, channel_key=phone,
                 now=NOW + timedelta(minutes=minutes))
    by_phone = booking_allowance(person=ana, service=general_ec, channel=Channel.PHONE,
                                 channel_key=phone, staff=True, now=NOW)
    assert by_phone.refusal.reason == RefusalReason.CHANNEL_BLOCKED
    assert by_phone.refusal.until is not None
    assert "blocked until" in by_phone.refusal.message
    # the web account is another channel: still open
    assert booking_allowance(person=ana, service=general_ec, now=NOW).refusal is None
    account_block(person=ana, cause="no_shows", detail="3")
    web = booking_allowance(person=ana, service=general_ec, now=NOW)
    assert web.refusal.reason == RefusalReason.ACCOUNT_BLOCKED
    # staff booking on her behalf (the counter) are not stopped by the web block
    assert booking_allowance(person=ana, service=general_ec, staff=True,
                             now=NOW).refusal is None


def test_r_apt_14_phone_days_follow_the_callers_id(days, ana, general_ec):
    allowance = booking_allowance(person=ana, service=general_ec, channel=Channel.PHONE,
                                  staff=True, now=NOW)
    weekdays = {s.starts_at.astimezone(allowance.tz).weekday()
                for s in offered(allowance, general_ec)}
    assert weekdays and weekdays <= set(allowance.weekdays)


def test_r_apt_04_times_inside_the_cancellation_window_are_final(ana, general_ec):
    allowance = booking_allowance(person=ana, service=general_ec, now=NOW)
    assert allowance.final(NOW + timedelta(hours=1))
    assert not allowance.final(NOW + timedelta(hours=13))


def test_r_apt_14_restrict_and_allows_agree_and_nothing_offered_is_refused(
        days, ana, general_ec, specialties_ec):
    """On random bookings: the SQL filter and the one-slot check agree on every slot, and
    every time offered can be booked (the booking is rolled back after each try)."""
    from django.db import transaction

    rng = random.Random(14)
    centre = days[6, "gm"].centre
    for _ in range(30):      # times overlapping the others, to exercise the clash filter
        service = rng.choice([general_ec, specialties_ec["dentistry"]])
        day, minute = rng.randrange(6, 20), rng.randrange(0, 180, 10)
        Slot.objects.get_or_create(centre=centre, service=service, doctor=None,
                                   starts_at=datetime(2030, 5, day, 13, tzinfo=UTC)
                                   + timedelta(minutes=minute),
                                   defaults={"ends_at": datetime(2030, 5, day, 13, tzinfo=UTC)
                                             + timedelta(minutes=minute + 20)})
    slots = list(Slot.objects.all())
    for slot in rng.sample(slots, 9):
        with contextlib.suppress(DomainError):
            book(slot, ana)
    for service in (general_ec, specialties_ec["dentistry"],
                    specialties_ec["family_medicine"]):
        allowance = booking_allowance(person=ana, service=service, now=NOW)
        restricted = set(offered(allowance, service))
        for slot in Slot.objects.filter(service=service, booked_count=0):
            assert (slot in restricted) == allowance.allows(slot), slot
        for slot in restricted:
            with contextlib.suppress(_RolledBack), transaction.atomic():
                book(slot, ana)          # raises if the offer was refused
                raise _RolledBack


def test_r_apt_11_the_full_days_are_those_a_count_of_every_day_gives(days, ana, general_ec):
    """The allowance counts only the days near an appointment held; a count of every day of
    the horizon finds the same full days."""
    from ventanilla.scheduling import quotas, rules
    from ventanilla.scheduling.allowance import HORIZON_DAYS

    for day, key in ((6, "fm"), (6, "dent"), (9, "fm"), (12, "dent"), (19, "fm")):
        book(days[day, key], ana)
    allowance = booking_allowance(person=ana, service=general_ec, now=NOW)
    today = allowance.today
    every_day = {today + timedelta(days=i) for i in range(HORIZON_DAYS + 1)
                 if rules.quota_breach(booked_days=allowance.quota_days,
                                       day=today + timedelta(days=i),
                                       quotas=quotas.quotas()) is not None}
    full = {d for d, c in allowance.closed.items() if c.reason == ClosedReason.QUOTA}
    assert full == every_day and full
