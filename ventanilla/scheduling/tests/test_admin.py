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
