"""Contribution tables kept by administrators, each row with its legal source (R-AFF-02,
R-AFF-06): the basic salary of each year and the contribution rules in force by date."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ventanilla.core.models import BaseModel


class BasicSalary(BaseModel):
    """Ecuador's SBU, Peru's RMV: the base that contributions are computed from."""

    country = models.CharField(_("country"), max_length=2)
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    legal_source = models.CharField(_("legal source"), max_length=300)

    class Meta:
        ordering = ["country", "-year"]
        constraints = [models.UniqueConstraint(fields=["country", "year"],
                                               name="basic_salary_one_per_year")]
        verbose_name = _("basic salary")
        verbose_name_plural = _("basic salaries")

    def __str__(self) -> str:
        return f"{self.country} {self.year}: {self.amount}"


class ContributionRate(BaseModel):
    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("Monthly contribution")
        SPOUSE_SURCHARGE = "spouse_surcharge", _("Spouse or partner surcharge")

    class Base(models.TextChoices):
        SBU = "sbu", _("The basic salary of the year")
        DECLARED = "declared", _("A declared income of at least the basic salary")
        SALARY = "salary", _("The salary")
        PENSION = "pension", _("The pension")
        NONE = "none", _("None: a flat amount")

    country = models.CharField(_("country"), max_length=2)
    affiliation_type = models.CharField(
        _("affiliation type"), max_length=32,
        help_text=_("A code of the country pack, or * for every type."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    base = models.CharField(_("base"), max_length=10, choices=Base.choices)
    rate = models.DecimalField(_("rate (%)"), max_digits=6, decimal_places=3, null=True,
                               blank=True, validators=[MinValueValidator(0)])
    worker_rate = models.DecimalField(_("worker's part (%)"), max_digits=6, decimal_places=3,
                                      null=True, blank=True)
    employer_rate = models.DecimalField(_("employer's part (%)"), max_digits=6,
                                        decimal_places=3, null=True, blank=True)
    flat_amount = models.DecimalField(_("flat amount per month"), max_digits=10,
                                      decimal_places=2, null=True, blank=True,
                                      validators=[MinValueValidator(0)])
    covers_family = models.BooleanField(_("covers the family"), default=False)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    legal_source = models.CharField(_("legal source"), max_length=300)

    class Meta:
        ordering = ["country", "affiliation_type", "kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["country", "affiliation_type", "kind", "valid_from"],
                                    name="rate_one_per_start_date"),
            models.CheckConstraint(
                condition=(Q(rate__isnull=False, flat_amount__isnull=True)
                           | Q(rate__isnull=True, flat_amount__isnull=False)),
                name="rate_is_a_percentage_or_a_flat_amount"),
        ]
        verbose_name = _("contribution rate")
        verbose_name_plural = _("contribution rates")

    def __str__(self) -> str:
        amount = f"{self.rate} %" if self.rate is not None else f"{self.flat_amount}"
        return f"{self.country} {self.affiliation_type} {self.kind} {amount} " \
               f"from {self.valid_from}"


class ContributionPayment(BaseModel):
    """A month's contribution received for an affiliation (R-AFF-03)."""

    affiliation = models.ForeignKey("affiliation.Affiliation", on_delete=models.PROTECT,
                                    related_name="payments")
    period = models.DateField(_("month"), help_text=_("The first day of the month paid."))
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("payment reference"), max_length=60, blank=True)

    class Meta:
        ordering = ["affiliation", "period"]
        constraints = [
            models.UniqueConstraint(fields=["affiliation", "period"],
                                    name="payment_one_per_month"),
            models.CheckConstraint(condition=Q(period__day=1), name="payment_period_is_a_month"),
        ]
        verbose_name = _("contribution payment")
        verbose_name_plural = _("contribution payments")

    def __str__(self) -> str:
        return f"{self.affiliation_id} {self.period:%Y-%m}: {self.amount}"
