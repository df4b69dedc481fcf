"""Writes of the outbox: queue a message, send what is due, retry, give up, send again.

At least once, and once in practice: a message is claimed (its next attempt moved past a
lease) in a short transaction, sent, then recorded as sent. Two workers never claim the same
message (``SKIP LOCKED``; SQLite serialises writers); a worker that dies while sending
leaves the message due again when the lease runs out. The one window for a second copy is
a worker killed after the server accepted a message and before the outbox recorded it; the
same Message-ID then marks it as the same e-mail. If only the database is gone at that
moment, the worker keeps the fact in memory and records it once the database is back
(``unrecorded_flush``) instead of sending again.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation

from ventanilla.core.audit import audit_record

from . import rules
from .messages import Email, MessageKind, kind_get
from .models import OutboundMessage
from .transports import NotConfigured, PermanentFailure, TransientFailure
from .transports import email as email_transport
from .transports import whatsapp as whatsapp_transport

logger = logging.getLogger(__name__)

Status = OutboundMessage.Status


def _retry_for() -> timedelta:
    return timedelta(hours=settings.NOTIFICATION_RETRY_HOURS)


def message_queue(*, kind: MessageKind, to: str, language: str = "es", key: str | None = None,
                  params: dict | None = None) -> OutboundMessage | None:
    """Write a message of ``kind`` into the outbox in the current transaction (so it exists
    exactly when the change it tells of is committed). With ``key``, only the first message
    of that key is written; a repeat returns None."""
    params = params or {}
    json.dumps(params)  # a builder's arguments must survive the database: fail here, loudly
    to = (to or "").strip()
    if not to:
        raise ValueError(f"{kind.name}: a message needs a recipient")
    now = timezone.now()
    retry_for = kind.retry_for() if kind.retry_for else _retry_for()
    fields = dict(channel=kind.channel, kind=kind.name, to=to[:254], language=language or "es",
                  params=params, key=key, next_attempt_at=now, give_up_at=now + retry_for)
    if key is None:
        message = OutboundMessage.objects.create(**fields)
    else:
        try:
            with transaction.atomic():
                message = OutboundMessage.objects.create(**fields)
        except IntegrityError:
            return None
    if settings.NOTIFICATION_DELIVER_INLINE:
        transaction.on_commit(partial(_deliver_inline, message.pk))
    return message


def _deliver_inline(pk: int) -> None:
    """Tests (and a demo without a worker): send right after the commit."""
    deliveries_send_due(only=pk)


def deliveries_send_due(*, now: datetime | None = None, limit: int = 50,
                        only: int | None = None) -> int:
    """Send the messages that are due (oldest first, at most ``limit``). Returns how many
    were tried. Database errors propagate: the worker waits and comes back."""
    now = now or timezone.now()
    unrecorded_flush()
    batch = _claim(now=now, limit=limit, only=only)
    mail = email_transport.Connection()
    try:
        for message in batch:
            _deliver(message, mail=mail)
    finally:
        mail.close()
    return len(batch)


def _claim(*, now: datetime, limit: int, only: int | None) -> list[OutboundMessage]:
    lease_end = now + timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)
    with transaction.atomic():
        due = OutboundMessage.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
        if only is not None:
            due = due.filter(pk=only)
        batch = list(due.select_for_update(skip_locked=True).order_by("next_attempt_at", "pk")
                     [:limit])
        if batch:
            OutboundMessage.objects.filter(pk__in=[m.pk for m in batch]).update(
                next_attempt_at=lease_end, attempts=F("attempts") + 1, updated_at=now)
    for message in batch:
        message.attempts += 1
    return batch


def _deliver(message: OutboundMessage, *, mail: email_transport.Connection) -> None:
    kind = kind_get(message.kind)
    if kind is None:  # code of another version: keep trying until this one knows it
        _failed(message, TransientFailure(f"unknown message kind {message.kind!r}"))
        return
    try:
        with translation.override(message.language):
            content = kind.build(**message.params)
    except DatabaseError:
        raise
    except Exception as exc:  # a bug in a builder: retried, then undeliverable for staff
        logger.exception("outbox %s: %s could not be written", message.public_id, kind.name)
        _failed(message, TransientFailure(f"{type(exc).__name__}: {exc}"))
        return
    if content is None:
        _settle(message, kind, status=Status.SKIPPED, error="nothing to send any more")
        return
    subject = ""
    try:
        if kind.channel == OutboundMessage.Channel.EMAIL:
            assert isinstance(content, Email)
            subject = content.subject
            provider_id = mail.send(public_id=str(message.public_id), to=message.to,
                                    subject=content.subject, body=content.body,
                                    attachments=content.attachments)
        else:
            provider_id = whatsapp_transport.message_send(to=message.to, body=str(content))
    except NotConfigured as exc:
        _settle(message, kind, status=Status.SKIPPED, error=str(exc))
    except PermanentFailure as exc:
        logger.warning("outbox %s: undeliverable: %s", message.public_id, exc)
        _settle(message, kind, status=Status.UNDELIVERABLE, error=str(exc))
    except TransientFailure as exc:
        _failed(message, exc)
    else:
        _sent(message, kind, provider_id=provider_id, subject=subject)


def _failed(message: OutboundMessage, exc: Exception) -> None:
    now = timezone.now()
    delay = rules.retry_delay(
        message.attempts, first=timedelta(seconds=settings.NOTIFICATION_RETRY_FIRST_SECONDS),
        most=timedelta(seconds=settings.NOTIFICATION_RETRY_MAX_SECONDS))
    if now + delay > message.give_up_at:
        logger.warning("outbox %s: given up after %s attempts: %s", message.public_id,
                       message.attempts, exc)
        kind = kind_get(message.kind)
        _settle(message, kind, status=Status.UNDELIVERABLE, error=str(exc))
        return
    logger.info("outbox %s: attempt %s failed, next in %s: %s", message.public_id,
                message.attempts, delay, exc)
    OutboundMessage.objects.filter(pk=message.pk, status=Status.PENDING).update(
        next_attempt_at=now + delay, last_error=str(exc)[:500], updated_at=now)


def _settle(message: OutboundMessage, kind: MessageKind | None, *, status: str,
            error: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        OutboundMessage.objects.filter(pk=message.pk, status=Status.PENDING).update(
            status=status, last_error=error[:500], updated_at=now)
        if kind is not None and kind.on_given_up is not None:
            kind.on_given_up(message.params, status, error)


@dataclass(frozen=True)
class _Unrecorded:
    pk: int
    provider_id: str
    subject: str
    sent_at: datetime


# Messages this process sent but could not record (the database went away in between).
_unrecorded: list[_Unrecorded] = []


def _sent(message: OutboundMessage, kind: MessageKind, *, provider_id: str,
          subject: str) -> None:
    fact = _Unrecorded(pk=message.pk, provider_id=provider_id, subject=subject,
                       sent_at=timezone.now())
    try:
        _record(fact, kind=kind, params=message.params)
    except DatabaseError:
        _unrecorded.append(fact)
        raise


def _record(fact: _Unrecorded, *, kind: MessageKind | None, params: dict) -> None:
    with transaction.atomic():
        OutboundMessage.objects.filter(pk=fact.pk).update(
            status=Status.SENT, sent_at=fact.sent_at, provider_id=fact.provider_id[:255],
            subject=fact.subject[:255], params={}, last_error="", updated_at=fact.sent_at)
        if kind is not None and kind.on_sent is not None:
            kind.on_sent(params, fact.provider_id)


def unrecorded_flush() -> None:
    """Record what was sent while the database was away (before anything is claimed, so a
    message is not sent again once its lease runs out)."""
    while _unrecorded:
        fact = _unrecorded[0]
        message = OutboundMessage.objects.filter(pk=fact.pk).first()
        if message is not None and message.status == Status.PENDING:
            _record(fact, kind=kind_get(message.kind), params=message.params)
        _unrecorded.pop(0)


def message_resend(*, message: OutboundMessage, actor) -> OutboundMessage:
    """Staff: try an undeliverable (or not sent) message again, for another retry period.
    Audited."""
    if message.status not in (Status.UNDELIVERABLE, Status.SKIPPED):
        return message
    now = timezone.now()
    kind = kind_get(message.kind)
    retry_for = kind.retry_for() if kind is not None and kind.retry_for else _retry_for()
    with transaction.atomic():
        OutboundMessage.objects.filter(pk=message.pk, status=message.status).update(
            status=Status.PENDING, next_attempt_at=now, give_up_at=now + retry_for,
            updated_at=now)
        audit_record(actor=actor, action="notification.resend", obj=message,
                     channel="back_office", details={"kind": message.kind})
        if settings.NOTIFICATION_DELIVER_INLINE:
            transaction.on_commit(partial(_deliver_inline, message.pk))
    message.refresh_from_db()
    return message
