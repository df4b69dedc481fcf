"""Centres. Slots, schedules and bookings join them in later issues (R-REG-07, R-APT-*)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ventanilla.core.models import BaseModel


class Centre(BaseModel):
    class Kind(models.TextChoices):
        SERVICE = "service", _("Service centre")
        MEDICAL = "medical", _("Medical centre")

    country = models.CharField(_("country"), max_length=2, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.SERVICE)
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    subdivision_code = models.CharField(
        _("place code"), max_length=12, help_text=_("Geography code of the country pack.")
    )
    address = models.CharField(_("address"), max_length=300)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    requires_appointment = models.BooleanField(_("requires an appointment"), default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("centre")
        verbose_name_plural = _("centres")

    def __str__(self) -> str:
        return self.name
