"""Cases (trámites): every procedure has a reference number and a status history (R-REG-06)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ventanilla.core.channels import Channel
from ventanilla.core.models import BaseModel


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    SUBMITTED = "submitted", _("Submitted, waiting for review")
    IN_REVIEW = "in_review", _("In review")
    ACTION_REQUIRED = "action_required", _("Waiting for you: a document must be replaced")
    AWAITING_VISIT = "awaiting_visit", _("Waiting for your visit to a service centre")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


CLOSED_STATUSES = (CaseStatus.APPROVED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN)


class CaseKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration with the health system")
    # R-AFF-03 / R-AFF-05: matters that cannot be solved by phone or online
    CONTRIBUTION_ERROR = "contribution_error", _("Error in the contribution history")
    BENEFIT_DENIED = "benefit_denied", _("Denied benefit")
    DEPENDANT_REJECTED = "dependant_rejected", _("Repeated rejection of a dependant")
    VISA_CONFLICT = "visa_conflict", _("Conflict with visa or residency status")
    APPEAL = "appeal", _("Formal appeal (recurso de apelación)")
    # R-DEP-01..03: extending coverage to a dependant
    DEPENDANT_SPOUSE = "dependant_spouse", _("Coverage for a spouse or partner")
    DEPENDANT_CHILD = "dependant_child", _("Coverage for a child")
    # R-CER-01..05: validation of a sick-leave certificate
    SICK_LEAVE = "sick_leave", _("Validation of a sick-leave certificate")


class Case(BaseModel):
    reference = models.CharField(_("reference number"), max_length=20, unique=True)
    kind = models.CharField(_("procedure"), max_length=32, choices=CaseKind.choices)
    country = models.CharField(_("country"), max_length=2)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices,
                              default=CaseStatus.DRAFT)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    # Who the case is about. The lookup needs the ID even before a Person exists.
    subject_id_type = models.CharField(max_length=16, blank=True)
    subject_id_number = models.CharField(max_length=20, blank=True, db_index=True)
    person = models.ForeignKey("people.Person", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="cases")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [("view_any_case", "Can see any case")]

    def __str__(self) -> str:
        return self.reference


class CaseEvent(models.Model):
    """One line of a case's history. ``code`` + ``params`` render a translated sentence."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    code = models.CharField(max_length=40)
    status = models.CharField(max_length=20, choices=CaseStatus.choices, blank=True)
    params = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=16, choices=Channel.choices, blank=True)
    public = models.BooleanField(default=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.code}"
