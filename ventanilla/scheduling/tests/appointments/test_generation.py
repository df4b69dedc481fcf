"""Medical slots from doctors' weekly hours: never on a holiday (R-APT-10), none during a
doctor's leave, the doctor on every slot; the rules of the quotas (R-APT-11); the demo."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from ventanilla.scheduling import rules, services
from ventanilla.scheduling.models import Schedule, ScheduleException, Slot

from ..conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds(clinic_ec, general_ec, doctor_ec, specialties_ec):
    """Dr Núñez: General Medicine Monday to Saturday 08:00–09:00 (20 minutes); a second
    doctor in the same hours on the same specialty."""
    from ventanilla.scheduling.models import Doctor

    other = Doctor.objects.create(country="EC", given_names="Jorge", family_names="Cevallos",
                                  registration_code="MSP-2")
    other.centres.add(clinic_ec)
    other.specialties.add(general_ec)
    return [Schedule.objects.create(centre=clinic_ec, service=general_ec, doctor=d, weekday=w,
                                    start_time=time(8), end_time=time(9),
                                    valid_from=date(2030, 1, 1))
            for d in (doctor_ec, other) for w in range(6)], other


def generate(centre):
    return services.slots_generate(centre=centre, date_from=date(2030, 5, 20),
                                   date_to=date(2030, 5, 26), now=NOW)


def test_r_apt_10_no_medical_slot_on_a_holiday(clinic_ec, rounds, doctor_ec):
    _schedules, other = rounds
    result = generate(clinic_ec)
    # Monday 20 to Saturday 25 May 2030 minus Friday 24 (Batalla de Pichincha): 5 days,
    # 3 slots a day for each of the two doctors; same times, distinct slots.
    assert result.created == 30
    assert not Slot.objects.filter(starts_at__date=date(2030, 5, 24)).exists()
    assert set(Slot.objects.values_list("doctor_id", flat=True)) == {doctor_ec.pk, other.pk}
    assert Slot.objects.filter(starts_at=datetime(2030, 5, 20, 13, tzinfo=UTC)).count() == 2
    assert generate(clinic_ec).created == 0


def test_a_doctor_s_leave_closes_only_their_slots(clinic_ec, rounds, doctor_ec, ana):
    _schedules, other = rounds
    generate(clinic_ec)
    held = Slot.objects.filter(doctor=doctor_ec, starts_at__date=date(2030, 5, 21)).first()
    services.booking_create(slot=held, person=ana, channel="web", now=NOW)
    ScheduleException.objects.create(centre=clinic_ec, doctor=doctor_ec,
                                     starts_on=date(2030, 5, 21), ends_on=date(2030, 5, 22),
                                     reason="Vacaciones")
    result = generate(clinic_ec)
    assert (result.created, result.closed) == (0, 6)
    closed = Slot.objects.filter(is_open=False)
    assert set(closed.values_list("doctor_id", flat=True)) == {doctor_ec.pk}
    assert Slot.objects.filter(doctor=other, starts_at__date=date(2030, 5, 21),
                               is_open=True).count() == 3
    held.refresh_from_db()
    assert held.booked_count == 1 and not held.is_open


def test_an_inactive_doctor_gets_no_new_slots(clinic_ec, rounds, doctor_ec):
    doctor_ec.is_active = False
    doctor_ec.save()
    assert generate(clinic_ec).created == 15


def test_the_database_keeps_one_slot_per_doctor_and_time(clinic_ec, general_ec, doctor_ec,
                                                         make_med_slot):
    from django.db import IntegrityError, transaction

    when = datetime(2030, 5, 6, 13, tzinfo=UTC)
    make_med_slot(clinic_ec, general_ec, when, doctor=doctor_ec)
    make_med_slot(clinic_ec, general_ec, when)          # without a doctor: its own key
    with pytest.raises(IntegrityError), transaction.atomic():
        make_med_slot(clinic_ec, general_ec, when, doctor=doctor_ec)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_med_slot(clinic_ec, general_ec, when)


@pytest.mark.parametrize(("booked", "day", "expected"), [
    ([], date(2030, 5, 6), None),
    ([date(2030, 5, 6)], date(2030, 5, 6), None),
    ([date(2030, 5, 6)] * 2, date(2030, 5, 6), rules.QuotaBreach(1, 2)),
    ([date(2030, 5, 6), date(2030, 5, 7), date(2030, 5, 8), date(2030, 5, 9)],
     date(2030, 5, 12), rules.QuotaBreach(7, 4)),
    ([date(2030, 5, 6), date(2030, 5, 7), date(2030, 5, 8), date(2030, 5, 9)],
     date(2030, 5, 13), None),
    ([date(2030, 5, 13), date(2030, 5, 14), date(2030, 5, 15), date(2030, 5, 16)],
     date(2030, 5, 10), rules.QuotaBreach(7, 4)),
    ([date(2030, 5, d) for d in (1, 2, 10, 11, 19, 20, 27, 28, 29, 30)], date(2030, 5, 22),
     rules.QuotaBreach(30, 10)),
    ([date(2030, 5, d) for d in (1, 2, 10, 11, 19, 20, 27, 28, 29, 30)], date(2030, 6, 1),
     rules.QuotaBreach(7, 4)),
    ([date(2030, 4, d) for d in (1, 2, 10, 11, 19, 20, 27, 28)], date(2030, 5, 6), None),
], ids=["none", "second-that-day", "third-that-day", "fifth-that-week",
        "a-week-later", "a-window-after-the-day", "eleventh-in-30-days",
        "week-before-month", "spread-out"])
def test_r_apt_11_quota_rule(booked, day, expected):
    assert rules.quota_breach(booked_days=booked, day=day,
                              quotas={1: 2, 7: 4, 30: 10}) == expected


def test_demo_medical_creates_centres_doctors_slots_and_the_referral(make_affiliate):
    from ventanilla.scheduling.demo import demo_medical
    from ventanilla.scheduling.models import Centre, Doctor, Referral, Service

    person = make_affiliate(id_number="1705551230")
    created = demo_medical(days=7)
    assert created > 0
    assert Centre.objects.filter(kind="medical").count() == 4
    assert Doctor.objects.count() == 12
    assert Service.objects.filter(kind="medical").count() == 16
    assert Slot.objects.exclude(doctor=None).count() == created
    referral = Referral.objects.get()
    assert (referral.person, referral.specialty.code, referral.status) == (
        person, "ophthalmology", "active")
    assert demo_medical(days=7) == 0
    assert Referral.objects.count() == 1


def test_r_apt_02_each_country_gets_the_default_specialties_once(db):
    from ventanilla.scheduling.defaults import medical_services_ensure
    from ventanilla.scheduling.models import Service

    expected = {"pediatrics", "gynecology", "dentistry", "ophthalmology", "traumatology",
                "psychology", "family_medicine", "general_medicine"}
    for country in ("EC", "PE"):
        services = medical_services_ensure(country)
        assert {s.code for s in services} == expected
        assert all(s.kind == Service.Kind.MEDICAL for s in services)
        # R-APT-12: Ophthalmology and Traumatology are second level (referral needed)
        assert {s.code for s in services if s.needs_referral} == {"ophthalmology",
                                                                   "traumatology"}
    medical_services_ensure("EC")  # a second run adds nothing
    assert Service.objects.filter(country="EC", kind=Service.Kind.MEDICAL).count() == 8
