"""Referrals to second-level specialties (R-APT-08, R-APT-12)."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ventanilla.core.models import BaseModel

from .places import Centre, Doctor, Service


class Referral(BaseModel):
    """A referral to a second-level specialty (R-APT-08, R-APT-12).

    Booking consumes it (``used``, linked to the booking); cancelling that booking in time
    gives it back; a missed appointment voids it, and the person needs a new one.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        USED = "used", _("Used")
        VOID = "void", _("Void")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT,
                               related_name="referrals", verbose_name=_("patient"))
    specialty = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals",
                                  limit_choices_to={"kind": Service.Kind.MEDICAL},
                                  verbose_name=_("specialty"))
    issued_by = models.CharField(_("issued by"), max_length=200,
                                 help_text=_("The doctor or health centre that refers."))
    doctor = models.ForeignKey(Doctor, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="referrals_issued", verbose_name=_("doctor"))
    centre = models.ForeignKey(Centre, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="referrals_issued", verbose_name=_("centre"))
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.ACTIVE)
    used_by = models.OneToOneField("Booking", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="referral", verbose_name=_("used by"))

    class Meta:
        ordering = ["-issued_on", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(expires_on__gte=F("issued_on")),
                                   name="referral_expires_after_issue"),
            models.CheckConstraint(condition=~Q(status="used") | Q(used_by__isnull=False),
                                   name="referral_used_has_booking"),
        ]
        indexes = [models.Index(fields=["person", "specialty", "status"],
                                name="referral_person_specialty")]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.specialty.label} · {self.issued_on}–{self.expires_on} · {self.status}"

    def usable_on(self, day: date) -> bool:
        """Whether a booking on ``day`` may consume it (R-APT-08): active and in force that
        day (``referrals.referral_take`` asks the same of the database)."""
        return self.status == self.Status.ACTIVE and self.issued_on <= day <= self.expires_on

    @property
    def subject_ref(self) -> str:
        return self.person.subject_ref
