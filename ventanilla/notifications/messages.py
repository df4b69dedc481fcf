"""Message kinds: each app declares the messages it sends, in its own ``tasks.py``.

    @email_message("registration.email_code")
    def email_code(*, code: str, reference: str) -> Email:
        return email_render("registration/email/email_code.txt", code=code, reference=reference)

    email_code.queue(to=application.email, language=application.language,
                     code=code, reference=reference)

``queue`` writes the message into the outbox inside the caller's transaction; the builder
runs when the message is sent, in the recipient's language, and may return ``None`` when
there is nothing to send any more (a booking cancelled since). This module imports no
domain app: apps import it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.template import Context
from django.template.loader import get_template

from .models import OutboundMessage

Attachment = tuple[str, bytes, str]  # file name, content, MIME type


@dataclass(frozen=True)
class Email:
    subject: str
    body: str
    attachments: list[Attachment] = field(default_factory=list)


def email_render(template: str, /, attachments: list[Attachment] | None = None,
                 **context: Any) -> Email:
    """An e-mail from a text template whose first line is the subject (rendered in the active
    language; ``site_url`` is in the context, for absolute links). Plain text, so nothing
    is HTML-escaped: "the doctor's stamp" is not "the doctor&#x27;s stamp"."""
    text = get_template(template).template.render(  # type: ignore[attr-defined]
        Context({**context, "site_url": settings.SITE_URL}, autoescape=False))
    subject, _, body = text.strip().partition("\n")
    return Email(subject=" ".join(subject.split()), body=body.strip() + "\n",
                 attachments=list(attachments or []))


@dataclass(frozen=True)
class MessageKind:
    """A kind of message: its channel, its builder and what to do once it is settled."""

    name: str
    channel: str
    build: Callable[..., Any]
    # Told the outcome, in the transaction that records it: sent (params, provider id), or
    # settled unsent (params, status "undeliverable" or "skipped", error).
    on_sent: Callable[[dict, str], None] | None = None
    on_given_up: Callable[[dict, str, str], None] | None = None
    # How long it is worth trying (a one-time code is useless once it has expired);
    # None: NOTIFICATION_RETRY_HOURS.
    retry_for: Callable[[], timedelta] | None = None

    def queue(self, *, to: str, language: str = "es", key: str | None = None,
              **params: Any) -> OutboundMessage | None:
        """Write the message into the outbox, in the current transaction. With a ``key``,
        a second message of the same key is not written (returns None)."""
        from .outbox import message_queue

        return message_queue(kind=self, to=to, language=language, key=key, params=params)


_KINDS: dict[str, MessageKind] = {}


def _register(channel: str, name: str, **options):
    def decorate(build: Callable[..., Any]) -> MessageKind:
        if name in _KINDS and _KINDS[name].build.__qualname__ != build.__qualname__:
            raise ValueError(f"message kind {name!r} is declared twice")
        kind = MessageKind(name=name, channel=channel, build=build, **options)
        _KINDS[name] = kind
        return kind

    return decorate


def email_message(name: str, **options) -> Callable[[Callable[..., Email | None]], MessageKind]:
    """Declare an e-mail kind; options: ``on_sent``, ``on_given_up``, ``retry_for``."""
    return _register(OutboundMessage.Channel.EMAIL, name, **options)


def whatsapp_message(name: str, **options) -> Callable[[Callable[..., str | None]], MessageKind]:
    """Declare a WhatsApp kind (the builder returns the text); options as for e-mail."""
    return _register(OutboundMessage.Channel.WHATSAPP, name, **options)


def kind_get(name: str) -> MessageKind | None:
    return _KINDS.get(name)


def kinds() -> dict[str, MessageKind]:
    return dict(_KINDS)
