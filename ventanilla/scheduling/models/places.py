"""Centres, the services they offer and their doctors (R-REG-07, R-APT-02)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ventanilla.core.models import BaseModel

from .. import catalogue


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


def service_label(code: str, name: str) -> str:
    """A service's name: the custom name, else the catalogue's translated name, else the
    code (also for rows read without a model instance)."""
    if name:
        return name
    known = catalogue.known_service(code)
    return str(known.label) if known else code


class Service(BaseModel):
    """Something a person books: an office procedure or a medical specialty."""

    class Kind(models.TextChoices):
        OFFICE = catalogue.OFFICE, _("Office visit")
        MEDICAL = catalogue.MEDICAL, _("Medical appointment")

    class Level(models.IntegerChoices):
        """R-APT-12: first level is booked directly; second level needs a referral."""

        FIRST = 1, _("First level (booked directly)")
        SECOND = 2, _("Second level (needs a referral)")

    country = models.CharField(_("country"), max_length=2)
    code = models.SlugField(_("code"), max_length=48)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(
        _("custom name"), max_length=120, blank=True,
        help_text=_("Leave empty to use the translated name of a known service."))
    level = models.PositiveSmallIntegerField(
        _("level of care"), choices=Level.choices, default=Level.FIRST,
        help_text=_("Second-level specialties are booked only with a referral."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["country", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="service_unique_code"),
        ]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return f"{self.country} {self.label}"

    @property
    def label(self) -> str:
        return service_label(self.code, self.name)

    @property
    def is_medical(self) -> bool:
        return self.kind == self.Kind.MEDICAL

    @property
    def needs_referral(self) -> bool:
        """R-APT-08, R-APT-12: a second-level medical specialty is booked with a referral."""
        return self.kind == self.Kind.MEDICAL and self.level >= self.Level.SECOND

    @property
    def counts_for_quota(self) -> bool:
        """R-APT-11: the booking quotas apply to first-level specialties."""
        return self.kind == self.Kind.MEDICAL and self.level == self.Level.FIRST


# The abbreviation written before a doctor's name (Doctor.title_name).
DOCTOR_TITLES = {
    "dra": pgettext_lazy("title before a woman doctor's name", "Dr"),
    "dr": pgettext_lazy("title before a man doctor's name", "Dr"),
}


class Doctor(BaseModel):
    """A doctor who sees patients of some specialties at some medical centres."""

    class Title(models.TextChoices):
        # Spanish writes "Dra." for a woman and "Dr." for a man; English "Dr" for both.
        WOMAN = "dra", _("Dra. (a woman doctor)")
        MAN = "dr", _("Dr. (a man doctor)")

    country = models.CharField(_("country"), max_length=2, db_index=True)
    given_names = models.CharField(_("given names"), max_length=120)
    family_names = models.CharField(_("family names"), max_length=120)
    title = models.CharField(
        _("title"), max_length=3, choices=Title.choices, blank=True, default="",
        help_text=_("How patients are told the doctor's name: Dra. for a woman, Dr. for a "
                    "man. Empty: the name alone."))
    registration_code = models.CharField(
        _("registration code"), max_length=32,
        help_text=_("Professional registration (Ecuador: MSP / SENESCYT; Peru: CMP)."))
    is_active = models.BooleanField(_("active"), default=True)
    centres = models.ManyToManyField(Centre, related_name="doctors", blank=True,
                                     limit_choices_to={"kind": Centre.Kind.MEDICAL},
                                     verbose_name=_("centres"))
    specialties = models.ManyToManyField(Service, related_name="doctors", blank=True,
                                         limit_choices_to={"kind": Service.Kind.MEDICAL},
                                         verbose_name=_("specialties"))

    class Meta:
        ordering = ["country", "family_names", "given_names"]
        constraints = [
            models.UniqueConstraint(fields=["country", "registration_code"],
                                    name="doctor_unique_registration"),
        ]
        verbose_name = _("doctor")
        verbose_name_plural = _("doctors")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_names}".strip()

    @property
    def title_name(self) -> str:
        """The name with the title, in the active language: "Dra. María José Andrade
        Salazar" / "Dr María José Andrade Salazar"; the name alone without a title."""
        abbreviation = DOCTOR_TITLES.get(self.title)
        return f"{abbreviation} {self.full_name}" if abbreviation is not None \
            else self.full_name
