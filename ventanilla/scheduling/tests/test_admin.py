"""The back office pages of the slot engine render; slots and bookings are read-only."""

from __future__ import annotations

import pytest

from ventanilla.core.models import AuditEntry

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(administrator):
    """The administrator with the scheduling permissions the role table is to grant."""
    from django.contrib.auth.models import Permission

    administrator.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="scheduling", codename__regex=r"^(add|change|view)_"))
    return type(administrator).objects.get(pk=administrator.pk)


@pytest.mark.parametrize("model", ["service", "schedule", "scheduleexception", "slot",
                                   "booking", "centre"])
def test_admin_lists_render(client, boss, slot, ana, model):
    from ventanilla.scheduling import services

    services.booking_create(slot=slot, person=ana, channel="web", now=NOW)
    client.force_login(boss)
    r = client.get(f"/admin/scheduling/{model}/")
    assert r.status_code == 200


def test_bookings_are_read_only_and_their_reads_audited(client, boss, slot, ana):
    from ventanilla.scheduling import services

    booking = services.booking_create(slot=slot, person=ana, channel="web", now=NOW)
    client.force_login(boss)
    assert client.get("/admin/scheduling/booking/add/").status_code == 403
    r = client.get(f"/admin/scheduling/booking/{booking.pk}/change/")
    assert r.status_code == 200
    assert b'name="_save"' not in r.content
    entry = AuditEntry.objects.get(action="admin.view")
    assert entry.subject_ref == ana.subject_ref
    assert client.get("/admin/scheduling/slot/add/").status_code == 403


def test_the_permissions_the_role_table_grants_exist(db):
    from django.contrib.auth.models import Permission

    wanted = {"view_booking", "add_booking", "change_booking", "add_schedule",
              "change_schedule", "view_schedule", "add_scheduleexception",
              "change_scheduleexception", "view_scheduleexception", "add_service",
              "change_service", "view_service"}
    have = set(Permission.objects.filter(content_type__app_label="scheduling")
               .values_list("codename", flat=True))
    assert wanted <= have



def test_r_apt_10_admin_generates_as_many_days_ahead_as_the_daily_job(client, boss, centre_ec,
                                                                      office_ec, settings):
    """The admin action "Generate slots" covers ``SLOTS_AHEAD_DAYS`` (the daily job's
    reach), and says so in its label."""
    from datetime import time, timedelta

    from django.utils import timezone

    from ventanilla.countries.registry import get_pack
    from ventanilla.scheduling.models import Schedule, Slot

    settings.SLOTS_AHEAD_DAYS = 9
    tz = get_pack("EC").tz
    today = timezone.now().astimezone(tz).date()
    schedules = [Schedule.objects.create(centre=centre_ec, service=office_ec, weekday=day,
                                         start_time=time(8, 0), end_time=time(9, 0),
                                         slot_minutes=30, capacity=1, valid_from=today)
                 for day in range(7)]
    client.force_login(boss)
    page = client.get("/admin/scheduling/schedule/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Generate slots for the next 9 days" in page.content.decode()
    spanish = client.get("/admin/scheduling/schedule/", HTTP_ACCEPT_LANGUAGE="es")
    assert "Generar horarios para los próximos 9 días" in spanish.content.decode()
    r = client.post("/admin/scheduling/schedule/", {
        "action": "generate_slots", "_selected_action": [s.pk for s in schedules]})
    assert r.status_code == 302
    days = {timezone.localtime(s.starts_at, tz).date() for s in Slot.objects.all()}
    last = today + timedelta(days=9)
    assert max(days) <= last
    assert last in days or last in get_pack("EC").holidays(last.year)   # R-APT-10
    assert min(days) >= today
