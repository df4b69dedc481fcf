"""Applications for registration with a health system (R-REG-01..07)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ventanilla.cases.models import CaseStatus
from ventanilla.core.channels import Channel
from ventanilla.core.models import BaseModel

from .uploads import STORED_CONTENT_TYPES

# An ID may have only one application in these states per country (R-REG duplicate rule).
ACTIVE_STATUSES = [CaseStatus.SUBMITTED, CaseStatus.IN_REVIEW, CaseStatus.ACTION_REQUIRED,
                   CaseStatus.APPROVED]


class Application(BaseModel):
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT,
                                related_name="application")
    country = models.CharField(_("country"), max_length=2)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices,
                              default=CaseStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    language = models.CharField(_("language"), max_length=8, default="es")

    email = models.EmailField(_("e-mail"), blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)

    given_names = models.CharField(_("given names"), max_length=120, blank=True)
    family_names = models.CharField(_("family names"), max_length=120, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)

    id_type = models.CharField(_("identity document"), max_length=16, blank=True)
    id_number = models.CharField(_("identity document number"), max_length=20, blank=True)

    mobile_phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    subdivision_code = models.CharField(_("place code"), max_length=12, blank=True)
    street = models.CharField(_("street address"), max_length=200, blank=True)

    # The applicant's situation drives the document checklist (R-REG-03).
    situation_answered = models.BooleanField(default=False)
    employed_locally = models.BooleanField(default=False)
    has_previous_health_card = models.BooleanField(default=False)
    documents_in_other_language = models.BooleanField(default=False)
    residency_document = models.CharField(_("visa or residency document"), max_length=60,
                                          blank=True)
    social_security_number = models.CharField(_("social security number"), max_length=20,
                                              blank=True)
    # How the person will be insured (R-AFF-01): approval opens an affiliation of this type.
    affiliation_type = models.CharField(_("affiliation type"), max_length=32, blank=True)

    declaration_accepted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decision_reason = models.TextField(blank=True)
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="applications")
    # Bearer token for API clients continuing their own application (hash only).
    access_token_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["due_on", "submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "id_type", "id_number"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="application_one_active_per_identity",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]
        permissions = [
            ("review_application", "Can review registration applications"),
            ("register_in_person", "Can register people at a service centre"),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference}"

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_names}".strip()

    @property
    def subject_ref(self) -> str:
        return f"{self.country}:{self.id_type}:{self.id_number}"


# Every stored document lives under this prefix of the default storage, one folder per
# application (documents_sweep lists it).
DOCUMENTS_PREFIX = "registration"


def document_upload_to(instance: ApplicationDocument, filename: str) -> str:
    # Never the person's file name on disk: it may hold personal data or path tricks.
    return f"{DOCUMENTS_PREFIX}/{instance.application.public_id}/{instance.public_id}"


class ApplicationDocument(BaseModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="documents")
    kind = models.CharField(_("document"), max_length=32)
    file = models.FileField(upload_to=document_upload_to, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    # A replaced document stays as history; only one current document per kind.
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], condition=Q(is_current=True),
                                    name="document_one_current_per_kind"),
            # The staff view serves the stored type: never text/html or anything a browser
            # would run (issue 11).
            models.CheckConstraint(condition=Q(content_type__in=STORED_CONTENT_TYPES),
                                   name="document_content_type_stored"),
        ]
