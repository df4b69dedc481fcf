"""The booking quotas' refused attempts and channel blocks (R-APT-11)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ventanilla.core.channels import Channel
from ventanilla.core.models import BaseModel


class QuotaAttempt(BaseModel):
    """A booking refused because it would exceed a quota (R-APT-11). The refusal warns;
    the channel is blocked only at the country's ``quota_block_after_attempts`` refused
    attempts within ``quota_attempts_window_hours`` (people the interface misled are not
    punished; bots and resellers that keep trying are)."""

    kind = models.CharField(_("kind"), max_length=8, choices=(
        ("phone", _("Phone number")), ("device", _("Device")), ("web", _("Web account"))))
    key = models.CharField(_("key"), max_length=128)
    person = models.ForeignKey("people.Person", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("person booked for"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    attempted_at = models.DateTimeField(_("attempted at"))
    quota_days = models.PositiveSmallIntegerField(_("quota window (days)"))
    quota_limit = models.PositiveSmallIntegerField(_("quota limit"))

    class Meta:
        ordering = ["-attempted_at"]
        indexes = [models.Index(fields=["kind", "key", "attempted_at"],
                                name="quota_attempt_key")]
        verbose_name = _("refused attempt over a quota")
        verbose_name_plural = _("refused attempts over a quota")

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.attempted_at:%Y-%m-%d %H:%M}"


class ChannelBlock(BaseModel):
    """A phone number, device or web account that exceeded the booking quotas (R-APT-11):
    blocked for 30 days, permanently (``until`` empty) on a second offence."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone number")
        DEVICE = "device", _("Device")
        WEB = "web", _("Web account")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    key = models.CharField(_("key"), max_length=128,
                           help_text=_("The phone number, device id or account."))
    person = models.ForeignKey("people.Person", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("person booked for"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    reason = models.CharField(_("reason"), max_length=300)
    until = models.DateTimeField(_("blocked until"), null=True, blank=True,
                                 help_text=_("Empty: blocked permanently."))
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "key"], name="channel_block_key")]
        verbose_name = _("channel block")
        verbose_name_plural = _("channel blocks")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}"

    @property
    def permanent(self) -> bool:
        return self.until is None
