"""Requests to extend an affiliate's coverage to a spouse or partner or to a child
(R-DEP-01, R-DEP-02, R-DEP-03). Each request is a case with its reference and history
(R-REG-06)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ventanilla.affiliation.models import Affiliation
from ventanilla.cases.models import CaseStatus
from ventanilla.core.channels import Channel
from ventanilla.core.models import BaseModel

# A request waiting for a decision; at most one per dependant at a time.
OPEN_STATUSES = (CaseStatus.SUBMITTED, CaseStatus.IN_REVIEW)


class DependantRequest(BaseModel):
    class UnionKind(models.TextChoices):
        MARRIAGE = "marriage", _("Marriage")
        DE_FACTO = "de_facto", _("De-facto union (unión de hecho)")

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT,
                                related_name="dependant_request")
    country = models.CharField(_("country"), max_length=2)
    holder_affiliation = models.ForeignKey(
        "affiliation.Affiliation", on_delete=models.PROTECT, related_name="dependant_requests",
        verbose_name=_("affiliate's affiliation"))
    relationship = models.CharField(_("relationship"), max_length=10,
                                    choices=Affiliation.Relationship.choices)
    # The dependant, as the affiliate declared them; a Person exists only once approved
    # (or earlier, when they were already known to the health system).
    id_type = models.CharField(_("identity document"), max_length=16)
    id_number = models.CharField(_("identity document number"), max_length=20)
    given_names = models.CharField(_("given names"), max_length=120)
    family_names = models.CharField(_("family names"), max_length=120)
    date_of_birth = models.DateField(_("date of birth"))
    nationality = models.CharField(_("nationality"), max_length=2)
    # Spouses and partners (R-DEP-02, R-DEP-03)
    union_kind = models.CharField(_("kind of union"), max_length=10,
                                  choices=UnionKind.choices, blank=True)
    marriage_abroad = models.BooleanField(_("married abroad"), default=False)
    inscription_reference = models.CharField(
        _("civil registry inscription"), max_length=60, blank=True,
        help_text=_("The reference of the inscription of a foreign marriage at the "
                    "Registro Civil."))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices,
                              default=CaseStatus.SUBMITTED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    affiliation = models.ForeignKey(
        "affiliation.Affiliation", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("dependant's affiliation"))
    # R-AFF-05: the in-person case opened after repeated rejections.
    in_person_case = models.ForeignKey("cases.Case", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # The database also refuses a second open request for the same person.
            models.UniqueConstraint(
                fields=["country", "id_type", "id_number"],
                condition=Q(status__in=["submitted", "in_review"]),
                name="dependant_request_one_open_per_dependant"),
            models.CheckConstraint(
                condition=Q(relationship="child", union_kind="", marriage_abroad=False,
                            inscription_reference="")
                | (Q(relationship="spouse") & ~Q(union_kind="")),
                name="dependant_request_union_only_for_spouses"),
        ]
        indexes = [models.Index(fields=["country", "status", "created_at"])]
        verbose_name = _("dependant coverage request")
        verbose_name_plural = _("dependant coverage requests")
        permissions = [("review_dependantrequest", "Can decide dependant coverage requests")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.relationship} {self.full_name}"

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_names}".strip()

    @property
    def subject_ref(self) -> str:
        return f"{self.country}:{self.id_type}:{self.id_number}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
