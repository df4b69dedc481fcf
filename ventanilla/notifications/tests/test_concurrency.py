"""Several workers sending the outbox at the same moment send each message once
(PostgreSQL: SKIP LOCKED; skipped on SQLite, which serialises writers)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from ventanilla.notifications.models import OutboundMessage
from ventanilla.notifications.outbox import deliveries_send_due

from .test_outbox import hello

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests run on PostgreSQL (set DATABASE_URL)")


def test_four_workers_at_once_send_each_of_sixty_messages_once(smtp, settings):
    settings.NOTIFICATION_DELIVER_INLINE = False
    for i in range(60):
        hello.queue(to=f"p{i}@example.com", name=f"P{i}")
    barrier = threading.Barrier(4)
    tried: list[int] = []

    def worker():
        barrier.wait()
        try:
            while n := deliveries_send_due(limit=5):
                tried.append(n)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    received = smtp.inbox.wait_for(60)
    assert sum(tried) == 60
    assert sorted(m["To"] for m in received) == sorted(f"p{i}@example.com" for i in range(60))
    assert set(OutboundMessage.objects.values_list("status", "attempts")) == {("sent", 1)}
