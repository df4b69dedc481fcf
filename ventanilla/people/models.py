"""Persons known to a health system (R-ID-01, R-ID-02, R-ID-03)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ventanilla.core.models import BaseModel


class Person(BaseModel):
    country = models.CharField(_("country"), max_length=2)
    id_type = models.CharField(_("identity document"), max_length=16)
    id_number = models.CharField(_("identity document number"), max_length=20)
    given_names = models.CharField(_("given names"), max_length=120)
    family_names = models.CharField(_("family names"), max_length=120)
    date_of_birth = models.DateField(_("date of birth"))
    nationality = models.CharField(_("nationality"), max_length=2)
    email = models.EmailField(_("e-mail"), blank=True)
    mobile_phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    subdivision_code = models.CharField(_("place code"), max_length=12, blank=True)
    street = models.CharField(_("street address"), max_length=200, blank=True)
    residency_document = models.CharField(
        _("visa or residency document"), max_length=60, blank=True,
        help_text=_("Foreign residents: the reference of their visa or residency card."))
    language = models.CharField(_("language"), max_length=8, default="es")
    registration_number = models.CharField(
        _("registration number"), max_length=32, unique=True, null=True, blank=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    # Random, unguessable: the registration card's QR code links to it.
    verification_code = models.CharField(max_length=32, unique=True, null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="person")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["country", "id_type", "id_number"],
                                    name="person_unique_identity"),
        ]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        permissions = [("issue_clave", "Can issue a clave after checking the identity "
                                        "document at a counter")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_names}".strip()

    @property
    def subject_ref(self) -> str:
        return f"{self.country}:{self.id_type}:{self.id_number}"
