from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client

from ventanilla.cases.models import CaseStatus
from ventanilla.registration.models import Application


@pytest.mark.django_db
def test_demo_data_loads_once_with_every_state():
    call_command("loaddemo")
    call_command("loaddemo")  # a second run changes nothing
    statuses = sorted(Application.objects.values_list("status", flat=True))
    assert statuses == sorted([CaseStatus.SUBMITTED, CaseStatus.SUBMITTED, CaseStatus.APPROVED,
                               CaseStatus.ACTION_REQUIRED, CaseStatus.SUBMITTED])
    client = Client()
    r = client.post("/staff/entrar/", {"username": "revisor.ec",
                                       "password": "Ventanilla-demo-2026"})
    assert r.status_code == 302
    r = client.get("/staff/cola/?country=EC")
    assert r.status_code == 200 and r.content.decode().count("govuk-tag--red") == 1


@pytest.mark.django_db
def test_demo_mailbox_is_off_in_production(settings):
    settings.DEMO_MAILBOX = False
    assert Client().get("/demo/correo/").status_code == 404


@pytest.mark.django_db
def test_demo_affiliates_of_every_type_sign_in_with_their_histories_and_dependants():
    from django.utils import timezone

    from ventanilla.affiliation.models import Affiliation
    from ventanilla.affiliation.selectors import (
        coverage_for,
        foreign_residents_without_coverage,
    )
    from ventanilla.countries.registry import get_pack
    from ventanilla.demo.affiliates import cedula
    from ventanilla.people.models import Person

    call_command("loaddemo")
    for code in ("EC", "PE"):
        types = {t.code for t in get_pack(code).affiliation_types}
        present = set(Affiliation.objects.filter(country=code)
                      .values_list("affiliation_type", flat=True))
        assert types <= present, (code, types - present)
    today = timezone.localdate()
    mateo = Person.objects.get(id_number=cedula("170555126"))
    assert coverage_for(mateo, on=today).covered
    assert coverage_for(mateo, on=today.replace(year=today.year + 1)).reason == \
        "child_turned_18"
    lapsed = foreign_residents_without_coverage(country="EC", on=today)
    assert [p.id_number for p, _a, _c in lapsed] == ["AB123456"]
    client = Client()
    r = client.post("/portal/entrar/", {"document": "EC:cedula",
                                        "id_number": cedula("170555123"),
                                        "password": "Ventanilla-demo-2026"})
    assert r.status_code == 302
    page = client.get("/portal/aportes/?ano=2013").content.decode()
    assert page.count("govuk-table__row") == 13 and "govuk-tag--red" not in page  # all paid


@pytest.mark.django_db
def test_r_reg_05_every_demo_application_is_due_3_working_days_after_it_was_sent():
    """Never "sent 07/12, due 30/11": the due date follows the rule from the day it was
    sent, and the overdue one is overdue because it was sent long ago."""
    from django.utils import timezone

    from ventanilla.countries.registry import get_pack
    from ventanilla.registration.selectors import is_overdue

    call_command("loaddemo")
    apps = list(Application.objects.exclude(submitted_at=None).select_related("case"))
    assert len(apps) == 5
    for app in apps:
        pack = get_pack(app.country)
        sent = timezone.localtime(app.submitted_at, pack.tz).date()
        assert app.due_on == pack.add_working_days(sent, pack.registration_due_working_days)
        assert app.due_on > sent and app.case.due_on == app.due_on
        assert app.case.events.filter(at__gt=timezone.now()).count() == 0
        assert app.created_at <= app.submitted_at
    overdue = [a for a in apps if is_overdue(a)]
    assert [a.family_names for a in overdue] == ["Miller"]
    assert (timezone.now() - overdue[0].submitted_at).days >= 12


@pytest.mark.django_db
def test_demo_five_people_for_the_booking_walk_r_apt_14():
    """The five people of tests/e2e/test_never_trapped.py: each signs in with the demo
    clave and has a registered mobile; Marcela's next phone day is full (2 first-level
    appointments, other times left that day); Washington has a Dentistry appointment on a
    day with other Dentistry times; Segundo Manuel is refused for peasant insurance;
    nothing in Cuenca, times elsewhere."""
    from django.utils import timezone

    from ventanilla.countries.registry import get_pack
    from ventanilla.demo import appointments
    from ventanilla.demo.affiliates import cedula
    from ventanilla.people.models import Person
    from ventanilla.scheduling.allowance import booking_start_refusal
    from ventanilla.scheduling.models import Booking, Slot

    call_command("loaddemo")
    tz = get_pack("EC").tz
    today = timezone.now().astimezone(tz).date()
    ids = {"normal": cedula("170888111"), "full": appointments.DAILY_LIMIT_ID,
           "same": appointments.SAME_DAY_ID, "peasant": cedula("060123456"),
           "cuenca": cedula("010987654")}
    assert ids["full"] == "1708882228" and ids["same"] == "0908884448"
    people = {k: Person.objects.get(country="EC", id_number=v) for k, v in ids.items()}
    for key, person in people.items():
        assert person.mobile_phone, key
        r = Client().post("/portal/entrar/", {"document": "EC:cedula",
                                              "id_number": person.id_number,
                                              "password": "Ventanilla-demo-2026"})
        assert r.status_code == 302, key

    def local_day(slot):
        return slot.starts_at.astimezone(tz).date()

    full = list(Booking.objects.filter(person=people["full"], status="booked")
                .select_related("slot__service"))
    day = appointments.full_day(today)
    assert today < day <= today + timedelta(days=3) and day.weekday() in (1, 3, 5)
    assert sorted(b.slot.service.code for b in full) == ["family_medicine", "general_medicine"]
    assert {local_day(b.slot) for b in full} == {day}
    free_that_day = [s for s in Slot.objects.filter(service__code="dentistry",
                                                    centre__country="EC", booked_count=0)
                     if local_day(s) == day]
    assert free_that_day          # the day has times, just not for her

    same = Booking.objects.get(person=people["same"], status="booked")
    assert same.slot.service.code == "dentistry" and local_day(same.slot) > today
    assert [s for s in Slot.objects.filter(service__code="dentistry", centre__country="EC",
                                           booked_count=0)
            if local_day(s) == local_day(same.slot)]
    assert not Booking.objects.filter(person__in=[people["normal"], people["peasant"],
                                                  people["cuenca"]]).exists()

    refusal = booking_start_refusal(person=people["peasant"], channel="web")
    assert refusal is not None and refusal.reason == "peasant_insurance"
    assert people["cuenca"].subdivision_code.startswith("0101")
    assert not Slot.objects.filter(centre__subdivision_code__startswith="0101",
                                   service__kind="medical").exists()
    assert Slot.objects.filter(centre__country="EC", centre__kind="medical").exclude(
        centre__subdivision_code__startswith="01").exists()

