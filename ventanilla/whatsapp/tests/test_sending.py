"""Replies, reminders and copies leave through the outbox (notifications): after the
commit, retried while the Cloud API fails, once each (fixture ``graph_api``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ventanilla.notifications.models import OutboundMessage
from ventanilla.notifications.outbox import deliveries_send_due
from ventanilla.whatsapp.models import WhatsAppMessage

from .conftest import ANA_PHONE

pytestmark = pytest.mark.django_db


def test_replies_of_the_webhook_are_sent_after_the_commit(graph_api, webhook):
    webhook(ANA_PHONE, "Hola", message_id="wamid.in1")
    bodies = [r["json"]["text"]["body"] for r in graph_api.requests]
    sent = list(WhatsAppMessage.objects.filter(direction="out").order_by("pk"))
    assert bodies == [m.body for m in sent] and len(sent) == 2
    assert [(m.status, m.wa_id) for m in sent] == [("sent", "wamid.out1"),
                                                    ("sent", "wamid.out2")]
    assert {r["json"]["to"] for r in graph_api.requests} == {ANA_PHONE}


def test_a_failed_send_is_retried_until_the_api_answers_and_sent_once(graph_api, webhook):
    graph_api.status = 500
    webhook(ANA_PHONE, "Hola", message_id="wamid.in2")
    assert len(graph_api.requests) == 2  # both replies tried once
    assert set(WhatsAppMessage.objects.filter(direction="out")
               .values_list("status", flat=True)) == {"queued"}
    outbox = list(OutboundMessage.objects.filter(channel="whatsapp"))
    assert [(m.status, m.attempts) for m in outbox] == [("pending", 1), ("pending", 1)]
    assert all(m.last_error.startswith("HTTP 500") for m in outbox)

    graph_api.status = 200
    assert deliveries_send_due() == 0  # not due before the backoff
    later = timezone.now() + timedelta(minutes=5)
    assert deliveries_send_due(now=later) == 2
    assert deliveries_send_due(now=later + timedelta(hours=1)) == 0
    assert len(graph_api.requests) == 4  # 2 failed + 2 delivered, none twice
    assert set(WhatsAppMessage.objects.filter(direction="out")
               .values_list("status", flat=True)) == {"sent"}


def test_a_message_the_api_never_takes_is_failed_after_the_retry_period(graph_api, webhook,
                                                                       settings):
    settings.NOTIFICATION_RETRY_HOURS = 1
    graph_api.status = 500
    webhook(ANA_PHONE, "Hola", message_id="wamid.in3")
    now = timezone.now()
    for minutes in range(1, 200, 7):
        deliveries_send_due(now=now + timedelta(minutes=minutes))
    messages = list(OutboundMessage.objects.filter(channel="whatsapp"))
    assert {m.status for m in messages} == {"undeliverable"}
    assert set(WhatsAppMessage.objects.filter(direction="out")
               .values_list("status", flat=True)) == {"failed"}


def test_a_message_is_sent_once_however_often_the_outbox_runs(graph_api, webhook):
    webhook(ANA_PHONE, "Hola", message_id="wamid.in4")
    later = timezone.now() + timedelta(hours=2)
    assert deliveries_send_due(now=later) == 0
    assert len(graph_api.requests) == 2
