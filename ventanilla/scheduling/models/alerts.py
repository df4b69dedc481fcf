"""Free-time alerts ("Avisarme")."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ventanilla.core.models import BaseModel

from .places import Service


class SlotAlert(BaseModel):
    """"Avisarme" (UX, "No slots"): a person asked to be told by e-mail when a free time of
    a specialty opens in a place, for themself or a dependant. Open until it is sent
    (``notified_at``) or the person stops it (``cancelled_at``); it is watched until
    ``expires_at`` only (an expired one is closed when the person asks again).
    ``alerts.slot_alerts_send`` sends each one once. A person has at most one open alert per
    patient, service and place."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="slot_alerts", verbose_name=_("asked by"))
    booked_for = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                                   related_name="+", verbose_name=_("patient"))
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="alerts",
                                verbose_name=_("service"))
    place_code = models.CharField(
        _("place code"), max_length=12,
        help_text=_("Geography code of the country pack (a city) the free time must be in."))
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    expires_at = models.DateTimeField(
        _("watched until"),
        help_text=_("After this moment nobody is told any more (SLOT_ALERT_DAYS after it was "
                    "asked for); the person can ask again."))

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "booked_for", "service", "place_code"],
                condition=Q(notified_at__isnull=True, cancelled_at__isnull=True),
                name="slot_alert_one_open"),
        ]
        # the sender reads the open alerts of a service and place
        indexes = [models.Index(fields=["service", "place_code"],
                                condition=Q(notified_at__isnull=True,
                                            cancelled_at__isnull=True),
                                name="slot_alert_open")]
        verbose_name = _("free-time alert")
        verbose_name_plural = _("free-time alerts")

    def __str__(self) -> str:
        return f"{self.service.label} · {self.place_code}"

    @property
    def is_open(self) -> bool:
        return self.notified_at is None and self.cancelled_at is None

    @property
    def subject_ref(self) -> str:
        return self.booked_for.subject_ref
