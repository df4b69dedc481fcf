from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Staff accounts now; affiliates sign in with ID number + clave from issue 3 on."""

    country = models.CharField(
        _("country"), max_length=2, blank=True,
        help_text=_("The health system this staff member works for."),
    )
    centre = models.ForeignKey(
        "scheduling.Centre", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="staff", verbose_name=_("centre"),
    )
    language = models.CharField(_("language"), max_length=8, default="es")


class OneTimeSecret(models.Model):
    """A one-time code or link token (e-mail confirmation, return links, later the clave).

    Only a hash is stored. A secret is used once, expires, and allows few attempts.
    """

    class Purpose(models.TextChoices):
        EMAIL_CODE = "email_code", _("E-mail confirmation code")
        RESUME_LINK = "resume_link", _("Link to continue an application")
        CLAVE = "clave", _("Clave handed over at a counter")

    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    subject = models.CharField(max_length=64, db_index=True)  # e.g. an application's public id
    email = models.EmailField(blank=True)
    secret_hash = models.CharField(max_length=128, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.purpose} {self.subject}"
