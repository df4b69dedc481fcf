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
        CLAVE_LINK = "clave_link", _("Link to create a clave online")
        VISITOR_CODE = "visitor_code", _("Code to book an office visit without a clave")

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


class AccountBlock(models.Model):
    """A person's web account blocked (e.g. by repeated no-shows, R-APT-05) until staff
    unblock it with a recorded reason. History stays: an unblocked row keeps who and why."""

    class Cause(models.TextChoices):
        NO_SHOWS = "no_shows", _("Missed appointments")
        QUOTA = "quota", _("Booking limits exceeded")
        STAFF = "staff", _("Blocked by staff")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="account_blocks")
    cause = models.CharField(_("cause"), max_length=16, choices=Cause.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    blocked_at = models.DateTimeField(auto_now_add=True)
    blocked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    unblocked_at = models.DateTimeField(null=True, blank=True)
    unblocked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    unblock_reason = models.CharField(_("reason for unblocking"), max_length=300, blank=True)

    class Meta:
        ordering = ["-blocked_at"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=models.Q(unblocked_at=None),
                                    name="account_one_active_block_per_person"),
        ]
        permissions = [("unblock_account", "Can unblock a person's web account")]
        verbose_name = _("account block")
        verbose_name_plural = _("account blocks")

    def __str__(self) -> str:
        return f"{self.person_id} {self.cause}"


class SignInThrottle(models.Model):
    """Failed sign-ins of one user name (an ID number, a staff username) from every address
    together (accounts.throttle): after a few, each try waits longer; after more, the name
    is locked until the person sets a new clave or the lock runs out. One row per name that
    failed lately; a successful sign-in deletes it."""

    username = models.CharField(max_length=150, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    last_failure_at = models.DateTimeField(db_index=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in throttle")
        verbose_name_plural = _("sign-in throttles")

    def __str__(self) -> str:
        return f"{self.username} {self.failures}"
