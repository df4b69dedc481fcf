"""A conversation per sender number, every message in and out, the reminders sent.

``WhatsAppMessage.wa_id`` is the Cloud API's message id, unique: the same delivery received
twice is processed once (the webhook may be retried by Meta). Phone numbers are stored as
the Cloud API writes them: digits with the country code, no "+".
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ventanilla.core.models import BaseModel


class WhatsAppConversation(BaseModel):
    """Where the conversation with one WhatsApp number stands. It expires after a while
    without messages (``expires_at``); the state and who was identified are then forgotten,
    the opt-in to reminders is kept."""

    class State(models.TextChoices):
        START = "start", _("Start")
        ASK_NAME = "ask_name", _("Asked for the full name")
        ASK_ID = "ask_id", _("Asked for the ID number")
        ASK_SPECIALTY = "ask_specialty", _("Asked for the specialty")
        ASK_CITY = "ask_city", _("Asked for the city")
        ASK_SLOT = "ask_slot", _("Offered times")
        CONFIRM = "confirm", _("Asked to confirm")
        DONE = "done", _("Booked")

    phone = models.CharField(_("WhatsApp number"), max_length=20, unique=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices,
                             default=State.START)
    language = models.CharField(_("language"), max_length=8, default="es")
    # the person identified by name + ID (the number is theirs or their holder's)
    person = models.ForeignKey("people.Person", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("identified person"))
    data = models.JSONField(default=dict, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    whatsapp_opt_in = models.BooleanField(
        _("reminders by WhatsApp"), default=False,
        help_text=_("Set when the person books by WhatsApp: reminders go to this number."))

    class Meta:
        verbose_name = _("WhatsApp conversation")
        verbose_name_plural = _("WhatsApp conversations")

    def __str__(self) -> str:
        return f"+{self.phone} {self.state}"


class WhatsAppMessage(BaseModel):
    class Direction(models.TextChoices):
        IN = "in", _("Received")
        OUT = "out", _("Sent")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        NOT_SENT = "not_sent", _("Not sent (no access token: demo)")
        FAILED = "failed", _("Failed")

    direction = models.CharField(max_length=3, choices=Direction.choices)
    # Cloud API id of a received message (unique: one processing per delivery), or the id
    # the API gave a sent message. NULL until known; NULLs never collide.
    wa_id = models.CharField(max_length=128, unique=True, null=True, blank=True)
    phone = models.CharField(max_length=20, db_index=True)
    body = models.TextField()
    status = models.CharField(max_length=8, choices=Status.choices)
    error = models.CharField(max_length=300, blank=True)
    conversation = models.ForeignKey(WhatsAppConversation, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="messages")

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("WhatsApp message")
        verbose_name_plural = _("WhatsApp messages")

    def __str__(self) -> str:
        return f"{self.direction} +{self.phone} {self.status}"


class WhatsAppReminder(BaseModel):
    """R-APT-09: the day-before reminder of one booking, sent once."""

    booking = models.OneToOneField("scheduling.Booking", on_delete=models.CASCADE,
                                   related_name="+")
    phone = models.CharField(max_length=20)
    message = models.ForeignKey(WhatsAppMessage, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(phone=""), name="whatsapp_reminder_has_phone"),
        ]
        verbose_name = _("WhatsApp reminder")
        verbose_name_plural = _("WhatsApp reminders")

    def __str__(self) -> str:
        return f"{self.booking_id} +{self.phone}"
