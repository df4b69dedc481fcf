"""Visiting hours and their exceptions: what slots are generated from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ventanilla.core.models import BaseModel

from .places import Centre, Doctor, Service


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Schedule(BaseModel):
    """A centre offers a service on a weekday between two local times, in slots."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="schedules",
                               verbose_name=_("centre"))
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="schedules",
                                verbose_name=_("service"))
    doctor = models.ForeignKey(
        Doctor, null=True, blank=True, on_delete=models.PROTECT, related_name="schedules",
        verbose_name=_("doctor"), help_text=_("For medical specialties: who sees patients."))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"), help_text=_("Local time of the centre."))
    end_time = models.TimeField(_("until"), help_text=_("Local time of the centre."))
    slot_minutes = models.PositiveSmallIntegerField(_("minutes per slot"), default=20)
    capacity = models.PositiveSmallIntegerField(
        _("people per slot"), default=1,
        help_text=_("More than one when several agents serve the same counter."))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["centre", "service", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")),
                                   name="schedule_ends_after_it_starts"),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5, slot_minutes__lte=480),
                                   name="schedule_slot_minutes_in_range"),
            models.CheckConstraint(condition=Q(capacity__gte=1),
                                   name="schedule_capacity_positive"),
            models.CheckConstraint(
                condition=Q(valid_until=None) | Q(valid_until__gte=F("valid_from")),
                name="schedule_valid_until_after_from"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="schedule_weekday_valid"),
        ]
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")

    def __str__(self) -> str:
        who = f" · {self.doctor}" if self.doctor_id else ""
        return (f"{self.centre} · {self.service.label}{who} · {self.get_weekday_display()} "
                f"{self.start_time:%H:%M}–{self.end_time:%H:%M}")

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        doctor = self.doctor if self.doctor_id is not None else None
        if doctor is None:
            return
        if self.service_id and not doctor.specialties.filter(pk=self.service_id).exists():
            raise ValidationError({"doctor": _("This doctor does not see this specialty.")})
        if self.centre_id and not doctor.centres.filter(pk=self.centre_id).exists():
            raise ValidationError({"doctor": _("This doctor does not work at this centre.")})


class ScheduleException(BaseModel):
    """Days a centre (or one of its services) is closed: works, strikes, staff leave."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="closures",
                               verbose_name=_("centre"))
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="closures",
        verbose_name=_("service"), help_text=_("Leave empty to close the whole centre."))
    doctor = models.ForeignKey(
        Doctor, null=True, blank=True, on_delete=models.PROTECT, related_name="leave",
        verbose_name=_("doctor"),
        help_text=_("Leave of one doctor: only their times close."))
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")),
                                   name="schedule_exception_ends_after_it_starts"),
        ]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")

    def __str__(self) -> str:
        return f"{self.centre} {self.starts_on}–{self.ends_on}: {self.reason}"
