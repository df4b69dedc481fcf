"""Background jobs of the WhatsApp channel (django.tasks, run by `ventanilla worker`)."""

from __future__ import annotations

from django.tasks import task
from django.utils.dateparse import parse_datetime

from .models import WhatsAppMessage


@task()
def send_whatsapp_message(*, message_id: str) -> str:
    """Send one queued reply; a message already sent (or failed) is left alone."""
    from .sender import NotConfigured, SendFailed, message_send

    message = WhatsAppMessage.objects.filter(
        public_id=message_id, direction=WhatsAppMessage.Direction.OUT,
        status=WhatsAppMessage.Status.QUEUED).first()
    if message is None:
        return "skipped"
    try:
        provider_id = message_send(to=message.phone, body=message.body)
    except NotConfigured:
        message.status = WhatsAppMessage.Status.NOT_SENT
    except SendFailed as exc:
        message.status = WhatsAppMessage.Status.FAILED
        message.error = str(exc)[:300]
    else:
        message.status = WhatsAppMessage.Status.SENT
        if provider_id and not WhatsAppMessage.objects.filter(wa_id=provider_id).exists():
            message.wa_id = provider_id
    message.save(update_fields=["status", "error", "wa_id", "updated_at"])
    return str(message.status)


@task()
def send_appointment_reminders(*, now: str | None = None) -> int:
    """R-APT-09: the WhatsApp reminder the day before each medical appointment (daily).
    ``now`` (ISO 8601) is for tests and catch-up runs."""
    from .services import reminders_send

    return reminders_send(now=parse_datetime(now) if now else None)
