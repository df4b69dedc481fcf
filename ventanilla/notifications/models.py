"""The outbox: every message the service sends (e-mail, WhatsApp), until it is delivered.

A message is written in the same transaction as the change it tells of, so a message is
never lost once that change is committed, and never sent for a change that rolled back. The
worker (``ventanilla worker``) sends what is due and retries with backoff; a message still
undelivered after ``NOTIFICATION_RETRY_HOURS`` is marked undeliverable, where staff see it
and can send it again (admin). This app knows channels and transports only: what a message
says is built by the app that owns it (``notifications.messages``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ventanilla.core.models import BaseModel


class OutboundMessage(BaseModel):
    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        WHATSAPP = "whatsapp", _("WhatsApp")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        UNDELIVERABLE = "undeliverable", _("Undeliverable")
        SKIPPED = "skipped", _("Not sent (nothing to send, or channel not configured)")

    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    # "<app>.<message>", the key of the builder that writes it (notifications.messages)
    kind = models.CharField(_("kind"), max_length=64)
    to = models.CharField(_("recipient"), max_length=254)
    language = models.CharField(_("language"), max_length=8, default="es")
    # What the builder needs. Cleared once sent: it may hold one-time codes and links.
    params = models.JSONField(default=dict, blank=True)
    # At most one message per key (a reminder per booking and channel, say); NULLs never clash.
    key = models.CharField(max_length=128, unique=True, null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # When it may be tried next. Claiming a message moves this past the claim's lease, so
    # a worker that dies while sending leaves it due again, not stuck.
    next_attempt_at = models.DateTimeField(_("next attempt"))
    give_up_at = models.DateTimeField(_("retried until"))
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The e-mail's Message-ID or the id the WhatsApp API gave the message.
    provider_id = models.CharField(_("provider id"), max_length=255, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="outbox_due",
                         condition=Q(status="pending")),
            models.Index(fields=["status", "-created_at"], name="outbox_status"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.channel} {self.status}"
