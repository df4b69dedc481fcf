"""Background jobs of the WhatsApp channel (django.tasks, run by `ventanilla worker`) and its
outgoing message, sent through the outbox of ``notifications`` like every other message."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ventanilla.notifications.messages import whatsapp_message

from .models import WhatsAppMessage


def _sent(params: dict, provider_id: str) -> None:
    """The outbox delivered it: the conversation's record says so, with the API's id."""
    updates: dict = {"status": WhatsAppMessage.Status.SENT, "error": "",
                     "updated_at": timezone.now()}
    if provider_id and not WhatsAppMessage.objects.filter(wa_id=provider_id).exists():
        updates["wa_id"] = provider_id
    WhatsAppMessage.objects.filter(public_id=params["message_id"]).update(**updates)


def _given_up(params: dict, status: str, error: str) -> None:
    """Not delivered (the outbox gave up), or not sent (no access token: the demo)."""
    from ventanilla.notifications.models import OutboundMessage

    WhatsAppMessage.objects.filter(public_id=params["message_id"]).update(
        status=(WhatsAppMessage.Status.NOT_SENT if status == OutboundMessage.Status.SKIPPED
                else WhatsAppMessage.Status.FAILED),
        error=error[:300], updated_at=timezone.now())


@whatsapp_message("whatsapp.text", on_sent=_sent, on_given_up=_given_up)
def text(*, message_id: str) -> str | None:
    """The text of one reply, reminder or copy (``services._queue`` stored it)."""
    message = WhatsAppMessage.objects.filter(public_id=message_id,
                                             direction=WhatsAppMessage.Direction.OUT).first()
    return message.body if message is not None else None


@task()
def send_appointment_reminders(*, now: str | None = None) -> int:
    """R-APT-09: the WhatsApp reminder the day before each medical appointment (daily).
    ``now`` (ISO 8601) is for tests and catch-up runs."""
    from .services import reminders_send

    return reminders_send(now=parse_datetime(now) if now else None)
