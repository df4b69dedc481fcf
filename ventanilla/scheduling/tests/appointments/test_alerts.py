"""Free-time alerts, "Avisarme" (UX "No slots"): asked for once per patient, specialty and
place, only for someone the person may book for; one real e-mail each when a time opens,
never twice; sent after slot generation and when a freed place satisfies them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ..conftest import NOW
from .conftest import MONDAY_0800_QUITO

pytestmark = pytest.mark.django_db

QUITO = "1701"


def test_slot_alert_create_is_idempotent_per_patient_specialty_and_place(ana, child,
                                                                         general_ec):
    from ventanilla.scheduling.alerts import slot_alert_create
    from ventanilla.scheduling.models import SlotAlert

    first = slot_alert_create(person=ana, booked_for=ana, service=general_ec, place=QUITO)
    again = slot_alert_create(person=ana, booked_for=ana, service=general_ec, place=QUITO)
    for_child = slot_alert_create(person=ana, booked_for=child, service=general_ec,
                                  place=QUITO)
    assert again.pk == first.pk
    assert for_child.pk != first.pk
    assert SlotAlert.objects.count() == 2
    assert first.is_open and first.place_code == QUITO and first.person == ana


def test_slot_alert_for_someone_not_bookable_is_refused_and_nothing_saved(ana, stranger,
                                                                         general_ec):
    from ventanilla.scheduling.alerts import slot_alert_create
    from ventanilla.scheduling.errors import BookedForRefused
    from ventanilla.scheduling.models import SlotAlert

    with pytest.raises(BookedForRefused) as caught:
        slot_alert_create(person=ana, booked_for=stranger, service=general_ec, place=QUITO)
    assert caught.value.status == 422 and "booked_for" in caught.value.fields
    assert not SlotAlert.objects.exists()


@pytest.mark.parametrize(("change", "code"), [
    pytest.param({"place": "9999"}, "ALERT_PLACE_UNKNOWN", id="unknown-place"),
    pytest.param({"inactive": True}, "ALERT_SERVICE_UNAVAILABLE", id="inactive-service"),
    pytest.param({"no_email": True}, "ALERT_NO_EMAIL", id="nobody-to-tell"),
])
def test_slot_alert_refused_with_a_reason(ana, general_ec, change, code):
    from ventanilla.core.errors import DomainError
    from ventanilla.scheduling.alerts import slot_alert_create
    from ventanilla.scheduling.models import SlotAlert

    if change.get("inactive"):
        general_ec.is_active = False
        general_ec.save()
    if change.get("no_email"):
        ana.email = ""
        ana.save()
    with pytest.raises(DomainError) as caught:
        slot_alert_create(person=ana, booked_for=ana, service=general_ec,
                          place=change.get("place", QUITO))
    assert caught.value.code == code and caught.value.status == 422
    assert not SlotAlert.objects.exists()


def test_r_apt_01_no_alert_for_a_patient_not_covered_for_appointments(peasant, general_ec):
    """Peasant insurance does not cover the appointment service: asking to be told of free
    times is refused with the coverage function's reason, as booking would be."""
    from ventanilla.scheduling.alerts import slot_alert_create
    from ventanilla.scheduling.errors import NotCovered
    from ventanilla.scheduling.models import SlotAlert

    with pytest.raises(NotCovered) as caught:
        slot_alert_create(person=peasant, booked_for=peasant, service=general_ec, place=QUITO)
    assert caught.value.status == 422 and "booked_for" in caught.value.fields
    assert not SlotAlert.objects.exists()


def test_slot_alert_cancel_only_by_whoever_asked(ana, stranger, general_ec):
    from ventanilla.scheduling.alerts import (
        AlertNotFound,
        slot_alert_cancel,
        slot_alert_create,
        slot_alerts_open_of,
    )

    alert = slot_alert_create(person=ana, booked_for=ana, service=general_ec, place=QUITO)
    with pytest.raises(AlertNotFound):
        slot_alert_cancel(alert=alert, person=stranger)
    assert slot_alert_cancel(alert=alert, person=ana, now=NOW).cancelled_at == NOW
    assert list(slot_alerts_open_of(ana)) == []
    # asking again after stopping opens a new alert
    assert slot_alert_create(person=ana, booked_for=ana, service=general_ec,
                             place=QUITO).pk != alert.pk


def test_slot_alerts_send_one_real_email_per_alert_once(ana, child, stranger, general_ec,
                                                        clinic_ec, clinic_gye, make_med_slot,
                                                        smtp_server,
                                                        django_capture_on_commit_callbacks):
    from ventanilla.scheduling.alerts import slot_alert_create, slot_alerts_send
    from ventanilla.scheduling.models import SlotAlert

    stranger.language = "en"
    stranger.save()
    mine = slot_alert_create(person=ana, booked_for=ana, service=general_ec, place=QUITO,
                             now=NOW)
    childs = slot_alert_create(person=ana, booked_for=child, service=general_ec, place=QUITO,
                               now=NOW)
    province = slot_alert_create(person=stranger, booked_for=stranger, service=general_ec,
                                 place="17", now=NOW)
    guayaquil = slot_alert_create(person=ana, booked_for=ana, service=general_ec,
                                  place="0901", now=NOW)
    assert slot_alerts_send(now=NOW) == 0  # no free time yet
    make_med_slot(clinic_ec, general_ec, MONDAY_0800_QUITO)
    with django_capture_on_commit_callbacks(execute=True):
        assert slot_alerts_send(now=NOW) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert slot_alerts_send(now=NOW) == 0  # never twice
    messages = smtp_server.wait_for(3)
    assert len(messages) == 3
    assert sorted(m["To"] for m in messages) == ["ana@example.com", "ana@example.com",
                                                 "luis@example.com"]
    english = next(m for m in messages if m["To"] == "luis@example.com")
    assert english["Subject"] == "A General Medicine time is free in Pichincha"
    body = english.get_body(preferencelist=("plain",)).get_content()
    assert "Monday 6 May 2030 at 08:00, Hospital del Día Central." in body
    assert "/portal/citas/nueva/fecha/?" in body and "specialty=general_medicine" in body
    for alert in (mine, childs, province):
        alert.refresh_from_db()
        assert alert.notified_at == NOW and not alert.is_open
    assert SlotAlert.objects.get(pk=guayaquil.pk).is_open
    # Guayaquil opens later: that one goes, alone
    make_med_slot(clinic_gye, general_ec, MONDAY_0800_QUITO)
    with django_capture_on_commit_callbacks(execute=True):
        assert slot_alerts_send(now=NOW) == 1
    assert len(smtp_server.wait_for(4)) == 4


def test_slot_alerts_send_skips_stopped_alerts_and_full_or_past_slots(ana, general_ec,
                                                                      clinic_ec, make_med_slot,
                                                                      smtp_server):
    from ventanilla.scheduling.alerts import (
        slot_alert_cancel,
        slot_alert_create,
        slot_alerts_send,
    )

    full = make_med_slot(clinic_ec, general_ec, MONDAY_0800_QUITO)
    full.booked_count = 1
    full.save()
    make_med_slot(clinic_ec, general_ec, NOW - timedelta(hours=1))
    alert = slot_alert_create(person=ana, booked_for=ana, service=general_ec, place=QUITO,
                              now=NOW)
    assert slot_alerts_send(now=NOW) == 0
    slot_alert_cancel(alert=alert, person=ana)
    make_med_slot(clinic_ec, general_ec, MONDAY_0800_QUITO + timedelta(hours=1))
    assert slot_alerts_send(now=NOW) == 0
    assert smtp_server.wait_for(1, timeout=0.3) == []


def test_slot_alert_email_waits_out_a_mail_server_outage_and_arrives_once(
        ana, general_ec, clinic_ec, make_med_slot, smtp_server, settings,
        django_capture_on_commit_callbacks):
    from django.utils import timezone

    from ventanilla.notifications.models import OutboundMessage
    from ventanilla.notifications.outbox import deliveries_send_due
    from ventanilla.scheduling.alerts import slot_alert_create, slot_alerts_send

    working = settings.MAILERS
    settings.MAILERS = {"default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": 9, "use_tls": False, "timeout": 1}}}
    alert = slot_alert_create(person=ana, booked_for=ana, service=general_ec, place=QUITO,
                              now=NOW)
    make_med_slot(clinic_ec, general_ec, MONDAY_0800_QUITO)
    with django_capture_on_commit_callbacks(execute=True):
        assert slot_alerts_send(now=NOW) == 1
    alert.refresh_from_db()
    assert not alert.is_open  # told once: the outbox keeps the e-mail until it goes
    [message] = OutboundMessage.objects.filter(kind="scheduling.slot_alert")
    assert (message.status, message.attempts) == ("pending", 1)
    assert smtp_server.wait_for(1, timeout=0.3) == []
    settings.MAILERS = working  # the server is back
    later = timezone.now() + timedelta(minutes=2)
    assert deliveries_send_due(now=later) == 1
    assert deliveries_send_due(now=later + timedelta(hours=1)) == 0
    assert len(smtp_server.wait_for(2, timeout=0.5)) == 1
    message.refresh_from_db()
    assert message.status == "sent" and message.params == {}


@pytest.mark.parametrize("by", ["task", "daily command"])
def test_slot_alerts_go_after_slot_generation(by, ana, general_ec, clinic_ec, smtp_server,
                                              django_capture_on_commit_callbacks, settings):
    from datetime import date, time

    from ventanilla.scheduling.alerts import slot_alert_create
    from ventanilla.scheduling.models import Schedule
    from ventanilla.scheduling.tasks import slots_generate_ahead

    settings.SLOTS_AHEAD_DAYS = 7
    slot_alert_create(person=ana, booked_for=ana, service=general_ec, place=QUITO)
    for weekday in range(5):
        Schedule.objects.create(centre=clinic_ec, service=general_ec, weekday=weekday,
                                start_time=time(8), end_time=time(9), slot_minutes=20,
                                valid_from=date(2020, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        if by == "task":
            result = slots_generate_ahead.enqueue(country="EC")
            assert result.return_value["created"] > 0
        else:
            from django.core.management import call_command

            call_command("slots_generate", "--days", "7", "--country", "EC")
    messages = smtp_server.wait_for(1)
    assert len(messages) == 1 and messages[0]["To"] == "ana@example.com"


def test_slot_alerts_go_when_a_freed_place_satisfies_them(ana, stranger, general_ec,
                                                          eyes_ec, clinic_ec, make_med_slot,
                                                          smtp_server,
                                                          django_capture_on_commit_callbacks):
    from ventanilla.scheduling import services
    from ventanilla.scheduling.alerts import slot_alert_create, slot_alerts_on_commit
    from ventanilla.scheduling.models import Slot

    slot = make_med_slot(clinic_ec, general_ec, datetime(2031, 5, 6, 13, tzinfo=UTC))
    booking = services.booking_create(slot=slot, person=stranger, channel="web")
    slot_alert_create(person=ana, booked_for=ana, service=general_ec, place=QUITO)
    slot_alert_create(person=stranger, booked_for=stranger, service=eyes_ec, place=QUITO)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=booking, channel="web", by_person=stranger)
    messages = smtp_server.wait_for(1)
    assert [m["To"] for m in messages] == ["ana@example.com"]  # not the eyes alert
    slot = Slot.objects.select_related("centre", "service").get(pk=slot.pk)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        slot_alerts_on_commit(slot=slot)
    assert len(callbacks) == 1  # and it finds nobody waiting now: no task, no e-mail
    assert len(smtp_server.wait_for(2, timeout=0.3)) == 1


def test_slot_alert_is_read_only_in_the_admin(administrator, client, ana, general_ec):
    from django.contrib.auth.models import Permission

    from ventanilla.scheduling.alerts import slot_alert_create

    alert = slot_alert_create(person=ana, booked_for=ana, service=general_ec, place=QUITO)
    administrator.user_permissions.add(Permission.objects.get(
        content_type__app_label="scheduling", codename="view_slotalert"))
    client.force_login(administrator)
    assert client.get("/admin/scheduling/slotalert/").status_code == 200
    page = client.get(f"/admin/scheduling/slotalert/{alert.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content


def test_slot_alert_is_watched_slot_alert_days_then_can_be_asked_again(
        ana, general_ec, clinic_ec, make_med_slot, smtp_server, settings,
        django_capture_on_commit_callbacks):
    """An alert is watched ``SLOT_ALERT_DAYS`` days: after that no e-mail goes, the person no
    longer sees it, and asking again starts a new one (the old one is closed when it ran
    out)."""
    from ventanilla.scheduling.alerts import (
        slot_alert_create,
        slot_alert_open_get,
        slot_alerts_open_of,
        slot_alerts_send,
    )
    from ventanilla.scheduling.models import SlotAlert

    settings.SLOT_ALERT_DAYS = 30
    asked = NOW - timedelta(days=31)
    old = slot_alert_create(person=ana, booked_for=ana, service=general_ec, place=QUITO,
                            now=asked)
    assert old.expires_at == asked + timedelta(days=30)
    assert list(slot_alerts_open_of(ana, now=asked + timedelta(days=29))) == [old]
    make_med_slot(clinic_ec, general_ec, MONDAY_0800_QUITO)
    assert slot_alerts_send(now=NOW) == 0            # ran out a day ago
    assert smtp_server.wait_for(1, timeout=0.3) == []
    assert not slot_alerts_open_of(ana, now=NOW).exists()
    assert slot_alert_open_get(person=ana, booked_for=ana, service=general_ec, place=QUITO,
                               now=NOW) is None
    new = slot_alert_create(person=ana, booked_for=ana, service=general_ec, place=QUITO,
                            now=NOW)
    assert new.pk != old.pk and new.expires_at == NOW + timedelta(days=30)
    old.refresh_from_db()
    assert old.cancelled_at == old.expires_at and old.notified_at is None
    assert SlotAlert.objects.filter(cancelled_at__isnull=True).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert slot_alerts_send(now=NOW) == 1
    assert len(smtp_server.wait_for(1)) == 1
