"""The outbox: a message exists exactly when its change is committed, is retried with
backoff while the mail server is down, arrives once, and is marked undeliverable (for
staff to send again) when the retry period runs out. Real SMTP server (aiosmtpd)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from ventanilla.notifications import outbox
from ventanilla.notifications.messages import Email, email_message
from ventanilla.notifications.models import OutboundMessage
from ventanilla.notifications.outbox import deliveries_send_due

pytestmark = pytest.mark.django_db

calls: list[str] = []


@email_message("test.hello")
def hello(*, name: str) -> Email:
    calls.append(name)
    return Email(subject=f"Hello {name}", body=f"Dear {name},\n")


@email_message("test.gone")
def gone(*, name: str) -> Email | None:
    return None  # what it told of no longer holds (a booking cancelled since)


@email_message("test.broken")
def broken(*, name: str) -> Email:
    raise KeyError("a bug in the builder")


@pytest.fixture(autouse=True)
def _no_calls():
    calls.clear()


def _later(minutes: float) -> timezone.datetime:
    return timezone.now() + timedelta(minutes=minutes)


def test_a_message_exists_only_if_its_transaction_commits(smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                hello.queue(to="ana@example.com", name="Ana")
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert not OutboundMessage.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        hello.queue(to="ana@example.com", name="Ana")
    [received] = smtp.inbox.wait_for(1)
    assert received["Subject"] == "Hello Ana" and received["To"] == "ana@example.com"
    message = OutboundMessage.objects.get()
    assert (message.status, message.attempts, message.params) == ("sent", 1, {})
    assert received["Message-ID"] == f"<{message.public_id}@ventanilla.example>"
    assert message.provider_id == received["Message-ID"] and message.subject == "Hello Ana"


def test_every_message_waits_out_a_mail_server_outage_and_arrives_once(
        smtp, make_application, reviewer, django_capture_on_commit_callbacks):
    """Codes, decisions, anything: queued while the server is down, each arrives once
    after it comes back, however often the outbox runs."""
    from ventanilla.registration import services

    smtp.stop()
    with django_capture_on_commit_callbacks(execute=True):
        app = make_application("EC", state="submitted")   # code + "submitted"
        services.application_open_for_review(application=app, actor=reviewer)
        services.application_reject(application=app, reason="Documento ilegible",
                                    actor=reviewer)        # decision
        for name in ("Ana", "Luis"):
            hello.queue(to=f"{name.lower()}@example.com", name=name)
    kinds = sorted(OutboundMessage.objects.values_list("kind", flat=True))
    assert kinds == ["registration.application_event", "registration.application_event",
                     "registration.email_code", "test.hello", "test.hello"]
    assert set(OutboundMessage.objects.values_list("status", "attempts")) == {("pending", 1)}
    assert all("Connection refused" in e or "Errno" in e
               for e in OutboundMessage.objects.values_list("last_error", flat=True))
    assert smtp.inbox.messages == []

    assert deliveries_send_due(now=_later(0.2)) == 0        # the backoff: not due yet
    assert deliveries_send_due(now=_later(1)) == 5          # still down: tried again
    assert set(OutboundMessage.objects.values_list("attempts", flat=True)) == {2}
    smtp.start()
    assert deliveries_send_due(now=_later(3)) == 5
    for minutes in (10, 60, 600):                           # later runs send nothing again
        assert deliveries_send_due(now=_later(minutes)) == 0
    received = smtp.inbox.wait_for(5)
    assert len(received) == 5 and len({m["Message-ID"] for m in received}) == 5
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_a_message_still_undelivered_after_the_retry_period_is_undeliverable_and_can_be_resent(
        smtp, settings, administrator, django_capture_on_commit_callbacks):
    from ventanilla.core.models import AuditEntry

    settings.NOTIFICATION_RETRY_HOURS = 1
    smtp.stop()
    with django_capture_on_commit_callbacks(execute=True):
        hello.queue(to="ana@example.com", name="Ana")
    for minutes in range(1, 120, 5):
        deliveries_send_due(now=_later(minutes))
    message = OutboundMessage.objects.get()
    assert message.status == "undeliverable" and message.attempts >= 5
    assert message.params == {"name": "Ana"}  # kept, to be sent again
    smtp.start()
    with django_capture_on_commit_callbacks(execute=True):
        outbox.message_resend(message=message, actor=administrator)
    assert [m["Subject"] for m in smtp.inbox.wait_for(1)] == ["Hello Ana"]
    message.refresh_from_db()
    assert message.status == "sent"
    assert AuditEntry.objects.filter(action="notification.resend", actor=administrator,
                                     object_id=str(message.public_id)).count() == 1


def test_the_admin_lists_undeliverable_messages_with_a_resend_action(
        smtp, client, roles, django_capture_on_commit_callbacks):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create

    boss = staff_create(username="jefa", password="Staff-password-123",
                        role=Role.ADMINISTRATOR, country="")
    now = timezone.now()
    message = OutboundMessage.objects.create(
        channel="email", kind="test.hello", to="ana@example.com", params={"name": "Ana"},
        status="undeliverable", attempts=30, next_attempt_at=now, give_up_at=now,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused")
    client.force_login(boss)
    page = client.get("/admin/notifications/outboundmessage/?status__exact=undeliverable")
    assert page.status_code == 200
    assert b"ana@example.com" in page.content and b"Connection refused" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/admin/notifications/outboundmessage/",
                             {"action": "resend", "_selected_action": [message.pk]})
    assert answer.status_code == 302
    message.refresh_from_db()
    assert message.status == "sent"
    assert [m["To"] for m in smtp.inbox.wait_for(1)] == ["ana@example.com"]


def test_a_recipient_the_server_refuses_for_good_is_undeliverable_at_once(
        smtp, django_capture_on_commit_callbacks):
    async def refuse(server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such user"

    smtp.inbox.handle_RCPT = refuse
    smtp.stop()
    smtp.start()
    with django_capture_on_commit_callbacks(execute=True):
        hello.queue(to="nobody@example.com", name="Nadie")
    message = OutboundMessage.objects.get()
    assert message.status == "undeliverable" and message.attempts == 1
    assert "550" in message.last_error


def test_a_key_queues_one_message_however_often_it_is_asked(smtp,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert hello.queue(to="ana@example.com", key="k1", name="Ana") is not None
        assert hello.queue(to="ana@example.com", key="k1", name="Ana") is None
    assert len(smtp.inbox.wait_for(2, timeout=0.5)) == 1


def test_nothing_left_to_say_is_skipped_and_a_broken_builder_is_retried(
        smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        gone.queue(to="ana@example.com", name="Ana")
        broken.queue(to="ana@example.com", name="Ana")
    statuses = dict(OutboundMessage.objects.values_list("kind", "status"))
    assert statuses == {"test.gone": "skipped", "test.broken": "pending"}
    assert "KeyError" in OutboundMessage.objects.get(kind="test.broken").last_error
    assert smtp.inbox.messages == []


def test_a_one_time_code_is_not_retried_past_its_lifetime(settings):
    from ventanilla.registration.tasks import email_code

    settings.EMAIL_CODE_TTL_MINUTES = 15
    message = email_code.queue(to="ana@example.com", code="123456", reference="EC-1")
    assert message.give_up_at - message.next_attempt_at == timedelta(minutes=15)


def test_a_message_sent_while_the_database_was_away_is_recorded_not_sent_again(
        smtp, monkeypatch):
    hello.queue(to="ana@example.com", name="Ana")  # no on_commit here: sent below
    real_record = outbox._record

    def database_gone(*args, **kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr(outbox, "_record", database_gone)
    with pytest.raises(DatabaseError):
        deliveries_send_due()
    assert len(smtp.inbox.wait_for(1)) == 1
    assert OutboundMessage.objects.get().status == "pending"
    monkeypatch.setattr(outbox, "_record", real_record)
    # the database is back; the lease ran out: the worker records, it does not resend
    assert deliveries_send_due(now=_later(10)) == 0
    assert OutboundMessage.objects.get().status == "sent"
    assert len(smtp.inbox.wait_for(2, timeout=0.5)) == 1
    assert calls == ["Ana"]


def test_a_claimed_message_whose_worker_died_is_due_again_after_the_lease(smtp, settings):
    settings.NOTIFICATION_LEASE_SECONDS = 120
    hello.queue(to="ana@example.com", name="Ana")
    claimed = outbox._claim(now=timezone.now(), limit=10, only=None)  # then the worker dies
    assert len(claimed) == 1
    assert deliveries_send_due(now=_later(1)) == 0        # still leased
    assert deliveries_send_due(now=_later(2.5)) == 1      # the lease ran out
    assert len(smtp.inbox.wait_for(1)) == 1
    assert OutboundMessage.objects.get().attempts == 2


def test_retry_delay_doubles_from_the_first_to_the_most():
    from ventanilla.notifications.rules import retry_delay

    first, most = timedelta(seconds=30), timedelta(hours=1)
    assert [retry_delay(n, first=first, most=most).total_seconds()
            for n in range(0, 10)] == [0, 30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
