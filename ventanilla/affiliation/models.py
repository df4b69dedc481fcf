"""Affiliations: who is covered by a health system, as what, from when until when
(R-AFF-01, R-DEP-01)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ventanilla.core.models import BaseModel


class Affiliation(BaseModel):
    class Relationship(models.TextChoices):
        SPOUSE = "spouse", _("Spouse or partner")
        CHILD = "child", _("Child")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT,
                               related_name="affiliations")
    country = models.CharField(_("country"), max_length=2)
    number = models.CharField(_("affiliation number"), max_length=32)
    affiliation_type = models.CharField(_("affiliation type"), max_length=32)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    end_reason = models.CharField(_("reason it ended"), max_length=200, blank=True)
    # Dependants: the affiliation they hang from, and how they are related.
    holder = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="dependants", verbose_name=_("holder"))
    relationship = models.CharField(_("relationship"), max_length=10,
                                    choices=Relationship.choices, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            # one open affiliation per person and country; history stays as ended rows
            models.UniqueConstraint(fields=["person", "country"], condition=Q(ends_on=None),
                                    name="affiliation_one_open_per_person"),
            models.CheckConstraint(condition=Q(ends_on=None) | Q(ends_on__gte=models.F(
                "starts_on")), name="affiliation_ends_after_it_starts"),
            models.CheckConstraint(
                condition=(Q(holder=None, relationship="")
                           | (Q(holder__isnull=False) & ~Q(relationship=""))),
                name="affiliation_dependant_has_holder_and_relationship"),
        ]
        indexes = [models.Index(fields=["country", "number"])]
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")

    def __str__(self) -> str:
        return f"{self.country} {self.number} {self.affiliation_type}"
