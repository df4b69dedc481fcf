from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from ventanilla.accounts.authz import staff_acting
from ventanilla.core.audit import audit_record
from ventanilla.core.errors import Conflict, ValidationFailed

from .models import ContributionPayment


def payment_record(*, affiliation, period: date, amount: Decimal, paid_on: date,
                   reference: str = "", actor) -> ContributionPayment:
    """Record a month's contribution received (from the collection system or an office)."""
    staff_acting(actor, perm="contributions.add_contributionpayment",
                 country=affiliation.country)
    if period.day != 1:
        raise ValidationFailed(_("The period is the first day of a month"), field="period")
    if period < affiliation.starts_on.replace(day=1):
        raise ValidationFailed(_("The month is before the affiliation started"),
                               field="period")
    if amount < 0:
        raise ValidationFailed(_("The amount cannot be negative"), field="amount")
    try:
        with transaction.atomic():
            payment = ContributionPayment.objects.create(
                affiliation=affiliation, period=period, amount=amount, paid_on=paid_on,
                reference=reference[:60])
            audit_record(actor=actor, action="contribution.record", obj=payment,
                         subject_ref=affiliation.person.subject_ref,
                         details={"period": str(period), "amount": str(amount)})
    except IntegrityError as exc:
        raise Conflict(_("A payment for this month is already recorded."),
                       field="period") from exc
    return payment
