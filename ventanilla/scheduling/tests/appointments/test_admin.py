"""Back office pages of doctors, referrals and channel blocks (audited reads)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ventanilla.core.models import AuditEntry
from ventanilla.scheduling.models import ChannelBlock

from ..conftest import NOW
from .conftest import referral_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(administrator):
    from django.contrib.auth.models import Permission

    administrator.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="scheduling", codename__regex=r"^(add|change|view)_"))
    return type(administrator).objects.get(pk=administrator.pk)


@pytest.mark.parametrize("model", ["doctor", "referral", "channelblock"])
def test_admin_pages_render(client, boss, doctor_ec, eyes_ec, ana, model):
    referral = referral_for(ana, eyes_ec, issued_on=date(2030, 4, 1))
    block = ChannelBlock.objects.create(kind="phone", key="593991234567", person=ana,
                                        channel="phone", reason="quota",
                                        until=NOW + timedelta(days=30))
    obj = {"doctor": doctor_ec, "referral": referral, "channelblock": block}[model]
    client.force_login(boss)
    assert client.get(f"/admin/scheduling/{model}/").status_code == 200
    assert client.get(f"/admin/scheduling/{model}/{obj.pk}/change/").status_code == 200
    if model == "referral":  # a change form with date inputs (admin date widgets)
        assert client.get("/admin/scheduling/scheduleexception/add/").status_code == 200
    if model == "channelblock":
        assert AuditEntry.objects.filter(action="admin.view",
                                         subject_ref=ana.subject_ref).exists()


def test_staff_lift_a_channel_block(client, boss, ana):
    block = ChannelBlock.objects.create(kind="phone", key="593991234567", person=ana,
                                        channel="phone", reason="quota", until=None)
    client.force_login(boss)
    r = client.post("/admin/scheduling/channelblock/",
                    {"action": "lift_blocks", "_selected_action": [block.pk]})
    assert r.status_code == 302
    block.refresh_from_db()
    assert block.lifted_at is not None and block.lifted_by == boss
    assert AuditEntry.objects.filter(action="channel.unblock").count() == 1
