"""Pure rules of the slot engine: no database."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

import pytest

from ventanilla.countries.ec import EcuadorPack
from ventanilla.countries.pe import PeruPack
from ventanilla.countries.tests.zembla import ZemblaPack
from ventanilla.scheduling import rules

QUITO = zoneinfo.ZoneInfo("America/Guayaquil")
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


def morning(weekday=0, *, service_id=1, start=time(8), end=time(9), minutes=20, capacity=2,
            valid_from=date(2030, 1, 1), valid_until=None):
    return rules.ScheduleSpec(service_id=service_id, weekday=weekday, start_time=start,
                              end_time=end, slot_minutes=minutes, capacity=capacity,
                              valid_from=valid_from, valid_until=valid_until)


def test_r_reg_07_a_schedule_gives_slots_that_fit_inside_its_hours():
    specs = rules.slot_specs(schedules=[morning(end=time(9, 10))], date_from=date(2030, 5, 6),
                             date_to=date(2030, 5, 6), tz=QUITO)
    # 08:00, 08:20, 08:40 local; 09:00–09:20 would end after 09:10
    assert [s.starts_at for s in specs] == [datetime(2030, 5, 6, h, m, tzinfo=UTC)
                                            for h, m in ((13, 0), (13, 20), (13, 40))]
    assert specs[0].ends_at == datetime(2030, 5, 6, 13, 20, tzinfo=UTC)
    assert {s.capacity for s in specs} == {2}


def test_r_reg_07_only_on_the_schedule_weekday():
    specs = rules.slot_specs(schedules=[morning(weekday=2)], date_from=date(2030, 5, 6),
                             date_to=date(2030, 5, 12), tz=QUITO)
    assert {s.starts_at.astimezone(QUITO).date() for s in specs} == {date(2030, 5, 8)}


def test_r_apt_10_no_slot_on_a_national_holiday():
    # Friday 24 May 2030, Batalla de Pichincha
    holidays = EcuadorPack().holidays(2030)
    specs = rules.slot_specs(schedules=[morning(weekday=4)], date_from=date(2030, 5, 20),
                             date_to=date(2030, 5, 31), tz=QUITO, holidays=holidays)
    assert {s.starts_at.astimezone(QUITO).date() for s in specs} == {date(2030, 5, 31)}


def test_r_apt_10_ecuador_closes_on_the_observed_day_and_opens_on_the_legal_date():
    # Labour Day 2030 falls on a Wednesday and is moved to Friday 3 May.
    holidays = EcuadorPack().holidays(2030)
    schedules = [morning(weekday=d) for d in range(5)]
    days = {s.starts_at.astimezone(QUITO).date() for s in rules.slot_specs(
        schedules=schedules, date_from=date(2030, 4, 29), date_to=date(2030, 5, 3), tz=QUITO,
        holidays=holidays)}
    assert date(2030, 5, 1) in days
    assert date(2030, 5, 3) not in days


def test_r_apt_10_peru_is_closed_on_labour_day():
    holidays = PeruPack().holidays(2030)
    specs = rules.slot_specs(schedules=[morning(weekday=2)], date_from=date(2030, 5, 1),
                             date_to=date(2030, 5, 1), tz=QUITO, holidays=holidays)
    assert specs == []


def test_r_reg_07_closures_of_the_centre_or_of_one_service():
    schedules = [morning(weekday=d, service_id=sid) for d in range(5) for sid in (1, 2)]
    closures = [rules.Closure(date(2030, 5, 6), date(2030, 5, 7)),           # whole centre
                rules.Closure(date(2030, 5, 8), date(2030, 5, 8), service_id=2)]
    specs = rules.slot_specs(schedules=schedules, date_from=date(2030, 5, 6),
                             date_to=date(2030, 5, 8), tz=QUITO, closures=closures)
    assert {(s.starts_at.astimezone(QUITO).date(), s.service_id) for s in specs} == {
        (date(2030, 5, 8), 1)}


def test_r_reg_07_schedules_apply_only_while_valid():
    schedules = [morning(valid_from=date(2030, 5, 13), valid_until=date(2030, 5, 20))]
    specs = rules.slot_specs(schedules=schedules, date_from=date(2030, 5, 6),
                             date_to=date(2030, 5, 31), tz=QUITO)
    assert sorted({s.starts_at.astimezone(QUITO).date() for s in specs}) == [
        date(2030, 5, 13), date(2030, 5, 20)]


def test_r_reg_07_overlapping_schedules_do_not_duplicate_a_slot():
    specs = rules.slot_specs(schedules=[morning(capacity=2), morning(capacity=5)],
                             date_from=date(2030, 5, 6), date_to=date(2030, 5, 6), tz=QUITO)
    assert len(specs) == 3
    assert {s.capacity for s in specs} == {2}


def test_r_reg_07_local_hours_follow_summer_time_in_the_country_time_zone():
    # Zembla (Europe/Oslo) moves its clocks on Sunday 31 March 2030.
    specs = rules.slot_specs(schedules=[morning(end=time(8, 20))], date_from=date(2030, 3, 25),
                             date_to=date(2030, 4, 1), tz=ZemblaPack().tz)
    assert [s.starts_at for s in specs] == [datetime(2030, 3, 25, 7, 0, tzinfo=UTC),
                                            datetime(2030, 4, 1, 6, 0, tzinfo=UTC)]


def test_r_reg_07_a_wall_time_that_does_not_exist_gives_no_slot():
    # 02:00–03:00 does not exist in Oslo on 31 March 2030.
    specs = rules.slot_specs(
        schedules=[morning(weekday=6, start=time(1, 40), end=time(3, 20))],
        date_from=date(2030, 3, 31), date_to=date(2030, 3, 31), tz=OSLO)
    local = [s.starts_at.astimezone(OSLO).time() for s in specs]
    assert local == [time(3, 0)]


@pytest.mark.parametrize(("pack", "hours"), [(EcuadorPack(), 12), (PeruPack(), 24),
                                             (ZemblaPack(), 12)], ids=["EC", "PE", "ZZ"])
def test_r_apt_04_cancel_window_12h_ecuador_24h_peru(pack, hours):
    starts_at = datetime(2030, 5, 6, 13, 0, tzinfo=UTC)
    assert pack.cancel_notice_hours == hours
    deadline = starts_at - timedelta(hours=hours)
    assert rules.change_deadline(starts_at, notice_hours=pack.cancel_notice_hours) == deadline
    assert rules.may_change(starts_at=starts_at, now=deadline,
                            notice_hours=pack.cancel_notice_hours)
    assert not rules.may_change(starts_at=starts_at, now=deadline + timedelta(seconds=1),
                                notice_hours=pack.cancel_notice_hours)
