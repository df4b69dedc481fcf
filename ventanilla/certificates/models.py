"""Sick-leave certificates (R-CER-01..05): what the paper says, its scans, its outcome.

Each certificate is a case (trámite, ``cases.Case``): the reference, the status the person
follows and the history live there; this row holds the certificate itself. Fields are
stored as typed, so the validator sees what the person read off the paper, and the
automatic findings (``findings``) as they were at submission.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ventanilla.core.models import BaseModel
from ventanilla.registration.uploads import STORED_CONTENT_TYPES

from .rules import Kind as RuleKind


class Certificate(BaseModel):
    class Kind(models.TextChoices):
        ILLNESS = RuleKind.ILLNESS.value, _("Illness")
        ACCIDENT = RuleKind.ACCIDENT.value, _("Accident")
        HOSPITALISATION = RuleKind.HOSPITALISATION.value, _("Hospitalisation")
        MATERNITY = RuleKind.MATERNITY.value, _("Maternity")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for validation")
        RETURNED = "returned", _("Sent back to you for a correction")
        VALIDATED = "validated", _("Validated")
        REJECTED = "rejected", _("Rejected")

    class Source(models.TextChoices):
        PRIVATE = "private", _("Private doctor, hospital or clinic")
        INSTITUTION = "institution", _("The institution's own medical unit")

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT,
                                related_name="certificate")
    country = models.CharField(_("country"), max_length=2)
    patient = models.ForeignKey("people.Person", on_delete=models.PROTECT,
                                related_name="certificates")
    # The affiliate who submitted it (the patient or their parent/spouse); None when the
    # institution's staff recorded it.
    submitted_by = models.ForeignKey("people.Person", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.PRIVATE)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.SUBMITTED, db_index=True)
    channel = models.CharField(max_length=16)

    # The issuer (R-CER-01)
    doctor_name = models.CharField(_("doctor's name"), max_length=160)
    doctor_specialty = models.CharField(_("doctor's specialty"), max_length=120)
    establishment = models.CharField(_("hospital, clinic or practice"), max_length=160)
    doctor_email = models.EmailField(_("doctor's e-mail"), blank=True)
    doctor_registration = models.CharField(_("doctor's registration code"), max_length=40)
    establishment_phone = models.CharField(_("establishment's phone"), max_length=30)
    establishment_address = models.CharField(_("establishment's address"), max_length=200)
    issued_on = models.DateField(_("issue date"))
    issued_place = models.CharField(_("place of issue"), max_length=120)
    issued_country = models.CharField(_("country of issue"), max_length=2)
    language = models.CharField(_("language of the certificate"), max_length=8, default="es")

    # The patient as the paper names them
    patient_names = models.CharField(_("patient's full names"), max_length=240)
    patient_id_number = models.CharField(_("patient's ID number"), max_length=20)

    # The diagnosis: health data, never shown to an employer (LOPDP art. 26, Ley 29733)
    diagnosis = models.TextField(_("diagnosis"))
    icd10_code = models.CharField(_("ICD-10 code"), max_length=8)

    # The rest
    rest_start = models.DateField(_("first day of rest"))
    rest_end = models.DateField(_("last day of rest"))
    rest_days = models.PositiveSmallIntegerField(_("days of rest"))
    rest_days_words = models.CharField(_("days of rest in words"), max_length=80, blank=True)

    # R-CER-02: hospitalisation
    admitted_on = models.DateField(_("date of admission"), null=True, blank=True)
    discharged_on = models.DateField(_("date of discharge"), null=True, blank=True)
    procedure = models.CharField(_("procedure performed"), max_length=240, blank=True)
    # R-CER-02: maternity
    delivered_on = models.DateField(_("date of delivery"), null=True, blank=True)
    live_birth = models.BooleanField(_("live birth"), null=True, blank=True)
    pregnancy_weeks = models.PositiveSmallIntegerField(_("weeks of pregnancy"), null=True,
                                                       blank=True)
    baby_sex = models.CharField(_("baby's sex"), max_length=8, blank=True)

    # R-CER-04: a late certificate needs a written justification
    late_reason = models.TextField(_("why it is submitted late"), blank=True)
    # The automatic findings that do not refuse (an overlap, a late submission), for the
    # validator: [{"field", "code", "params"}], written in the reader's language
    # (``flag_messages``)
    flags = models.JSONField(default=list, blank=True)

    # The validators' deadline (R-CER-05) and the outcome
    due_on = models.DateField(_("due on"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    rejection_reasons = models.JSONField(default=list, blank=True)   # reason codes
    decision_note = models.TextField(blank=True)   # free text to the person
    # R-CER-04 (Peru): the official incapacity certificate (CITT) it became
    official_number = models.CharField(max_length=24, null=True, blank=True,
                                       unique=True)
    # R-CER-01: issued by the institution for an attended appointment
    booking = models.OneToOneField("scheduling.Booking", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="certificate")
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sick-leave certificate")
        verbose_name_plural = _("sick-leave certificates")
        permissions = [
            ("review_certificate", "Can validate or reject sick-leave certificates"),
            ("issue_certificate", "Can issue rest certificates of the institution"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["submitted_by", "idempotency_key"],
                                    condition=Q(idempotency_key__isnull=False),
                                    name="certificate_idempotency_key_per_person"),
            models.CheckConstraint(condition=Q(rest_end__gte=models.F("rest_start")),
                                   name="certificate_rest_end_after_start"),
            models.CheckConstraint(condition=Q(rest_days__gte=1),
                                   name="certificate_rest_at_least_a_day"),
        ]
        indexes = [
            # the validators' queue: pending private ones of a country by due date. With
            # the source and the kind (last: it only covers), the queue's counts, its kind
            # filter and the offset of a deep page read this index alone
            # (bench/certificates.py). PostgreSQL also has a trigram index on the
            # establishment, for the centre filter (migration 0002).
            models.Index(fields=["country", "source", "status", "due_on", "id", "kind"],
                         name="certificate_desk_queue"),
            models.Index(fields=["patient", "rest_start"], name="certificate_patient_rest"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.rest_start}..{self.rest_end}"

    @property
    def flag_messages(self) -> list[str]:
        """The automatic flags, written in the reader's language."""
        from .checks import stored_flag_message

        return [stored_flag_message(flag) for flag in self.flags or []]


CERTIFICATES_PREFIX = "certificates"


def certificate_file_upload_to(instance: CertificateFile, filename: str) -> str:
    # Never the person's file name on disk: it may hold personal data or path tricks.
    return f"{CERTIFICATES_PREFIX}/{instance.certificate.public_id}/{instance.public_id}"


class CertificateFile(BaseModel):
    """A scan: the certificate itself and, from abroad, its apostille and translation."""

    class Role(models.TextChoices):
        SCAN = "scan", _("The certificate")
        APOSTILLE = "apostille", _("The apostille")
        TRANSLATION = "translation", _("The official translation")

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE,
                                    related_name="files")
    role = models.CharField(max_length=12, choices=Role.choices)
    file = models.FileField(upload_to=certificate_file_upload_to, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    # A replaced scan stays as history; one current file per role.
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "role"],
                                    condition=Q(is_current=True),
                                    name="certificate_file_one_current_per_role"),
            models.CheckConstraint(condition=Q(content_type__in=STORED_CONTENT_TYPES),
                                   name="certificate_file_content_type_stored"),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.role}"
