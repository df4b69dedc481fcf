"""Referrals to second-level specialties (R-APT-08, R-APT-12).

A second-level specialty (``Service.needs_referral``) is booked only with an active referral
for that person and specialty, valid on the date of the appointment. Booking consumes it
(``used``, linked to the booking); cancelling that booking in time gives it back; a missed
appointment voids it, and the person needs a new referral. ``services`` calls these inside
the booking transaction, after locking the person, so one referral never serves two
bookings.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ventanilla.accounts.authz import staff_acting
from ventanilla.core.audit import audit_record
from ventanilla.core.dates import day_text
from ventanilla.core.errors import ValidationFailed
from ventanilla.core.text import clean_text
from ventanilla.countries.registry import get_pack

from .errors import ReferralRequired
from .models import Booking, Centre, Doctor, Referral, Service


def referral_usable(person, specialty: Service, *, on: date) -> Referral | None:
    """The active referral of ``person`` for ``specialty`` valid on ``on`` that a booking
    would use: the one expiring first."""
    return (Referral.objects.filter(person=person, specialty=specialty,
                                    status=Referral.Status.ACTIVE, issued_on__lte=on,
                                    expires_on__gte=on)
            .order_by("expires_on", "pk").first())


def referral_take(*, person, specialty: Service, on: date) -> Referral:
    """Lock the referral a booking will consume, or refuse the booking (call inside the
    booking transaction)."""
    referral = (Referral.objects.select_for_update()
                .filter(person=person, specialty=specialty, status=Referral.Status.ACTIVE,
                        issued_on__lte=on, expires_on__gte=on)
                .order_by("expires_on", "pk").first())
    if referral is None:
        raise ReferralRequired(field="slot")
    return referral


def referral_use(referral: Referral, *, booking: Booking) -> None:
    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.USED,
                                                   used_by=booking)
    referral.status = Referral.Status.USED
    referral.used_by = booking


def referral_release(*, booking: Booking) -> int:
    """The booking was cancelled in time: its referral can be used again."""
    return Referral.objects.filter(used_by=booking, status=Referral.Status.USED).update(
        status=Referral.Status.ACTIVE, used_by=None)


def referral_void(*, booking: Booking) -> int:
    """The person missed the appointment: the referral is spent (R-APT-08)."""
    return Referral.objects.filter(used_by=booking).update(status=Referral.Status.VOID)


def referral_check_date(*, booking: Booking, on: date) -> None:
    """Rescheduling a referred appointment: the new date must be within the referral."""
    expires_on = (Referral.objects.filter(used_by=booking)
                  .values_list("expires_on", flat=True).first())
    if expires_on is not None and on > expires_on:
        raise ReferralRequired(
            _("Your referral is valid until %(date)s. Choose a date up to then, or ask for a "
              "new referral.") % {"date": day_text(expires_on)},
            field="slot")


# A referral recorded by staff is valid for 90 days unless the paper says otherwise, and
# for one year at most: a longer expiry is almost always a typing mistake in the year.
REFERRAL_DEFAULT_DAYS = 90
REFERRAL_MAX_DAYS = 365


def referral_expiry_default(issued_on: date) -> date:
    return issued_on + timedelta(days=REFERRAL_DEFAULT_DAYS)


def referral_date_problems(*, issued_on: date, expires_on: date | None, today: date
                           ) -> dict[str, str]:
    """What is wrong with a referral's dates, by field (empty when they are fine; without an
    expiry date, the issue date alone is checked). Pure: the staff form shows every problem
    at once; ``referral_issue`` refuses the first."""
    problems: dict[str, str] = {}
    if issued_on > today:
        problems["issued_on"] = _("The issue date must be today or earlier.")
    if expires_on is None:
        return problems
    if expires_on < issued_on:
        problems["expires_on"] = _("The expiry date must be on or after the issue date.")
    elif expires_on > issued_on + timedelta(days=REFERRAL_MAX_DAYS):
        problems["expires_on"] = _("The expiry date must be no more than one year after the "
                                   "issue date.")
    elif expires_on < today:
        problems["expires_on"] = _("The expiry date must be today or later: an expired "
                                   "referral cannot be used.")
    return problems


def referral_issue(*, person, specialty: Service, issued_by: str, issued_on: date,
                   expires_on: date, actor, doctor: Doctor | None = None,
                   centre: Centre | None = None, today: date | None = None) -> Referral:
    """Staff record a referral from a doctor or health centre (audited). ``today`` is the
    person's country's date (the default)."""
    staff_acting(actor, perm="scheduling.add_referral", country=person.country)
    if specialty.kind != Service.Kind.MEDICAL or specialty.country != person.country:
        raise ValidationFailed(_("Choose a medical specialty of the person's country."),
                               field="specialty")
    if not specialty.needs_referral:
        raise ValidationFailed(_("This specialty is booked directly: it needs no referral."),
                               field="specialty")
    if doctor is not None and doctor.country != person.country:
        raise ValidationFailed(_("Choose a doctor of the person's country."), field="doctor")
    text = clean_text(issued_by, max_length=200)
    if not text:
        raise ValidationFailed(_("Enter the doctor or health centre that refers."),
                               field="issued_by")
    if today is None:
        today = timezone.localdate(timezone=get_pack(person.country).tz)
    problems = referral_date_problems(issued_on=issued_on, expires_on=expires_on, today=today)
    if problems:
        raise ValidationFailed(next(iter(problems.values())), fields=problems)
    with transaction.atomic():
        referral = Referral.objects.create(person=person, specialty=specialty, issued_by=text,
                                           doctor=doctor, centre=centre, issued_on=issued_on,
                                           expires_on=expires_on)
        audit_record(actor=actor, action="referral.issue", obj=referral,
                     subject_ref=person.subject_ref, channel="back_office",
                     details={"specialty": specialty.code, "expires_on": str(expires_on)})
    return referral
