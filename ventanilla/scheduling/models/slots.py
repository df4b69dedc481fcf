"""Slots and bookings: the places people take (R-APT-10)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ventanilla.core.channels import Channel
from ventanilla.core.models import BaseModel

from .places import Centre, Doctor, Service


class Slot(BaseModel):
    """A bookable time of one service at one centre, with ``capacity`` places."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="slots",
                               verbose_name=_("centre"))
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="slots",
                                verbose_name=_("service"))
    doctor = models.ForeignKey(Doctor, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="slots", verbose_name=_("doctor"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("places"), default=1)
    booked_count = models.PositiveSmallIntegerField(_("places taken"), default=0)
    # Closed when its day became a closure or its schedule ended; bookings already made stay.
    is_open = models.BooleanField(_("open"), default=True)
    # A short hold while someone on the web confirms this time (UX: 10 minutes,
    # ``SLOT_HOLD_MINUTES``): until ``held_until`` the last free place is kept for
    # ``held_by``, and nobody else is offered it or may book it (``services.slot_hold``).
    held_by = models.ForeignKey("people.Person", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("held for"),
                                db_index=False)  # the partial index slot_held_by instead
    held_until = models.DateTimeField(_("held until"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "service", "starts_at"],
                                    condition=Q(doctor=None), name="slot_unique_time"),
            models.UniqueConstraint(fields=["centre", "service", "doctor", "starts_at"],
                                    condition=Q(doctor__isnull=False),
                                    name="slot_unique_doctor_time"),
            models.CheckConstraint(condition=Q(booked_count__gte=0),
                                   name="slot_booked_count_not_negative"),
            models.CheckConstraint(condition=Q(booked_count__lte=F("capacity")),
                                   name="slot_never_over_capacity"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="slot_capacity_positive"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                   name="slot_ends_after_it_starts"),
        ]
        indexes = [models.Index(fields=["service", "starts_at"], name="slot_service_time"),
                   # slot search in a province or city: the times of one specialty at the
                   # few centres of the place, without scanning the whole country's
                   models.Index(fields=["service", "centre", "starts_at"],
                                name="slot_service_centre_time"),
                   models.Index(fields=["doctor", "starts_at"], condition=Q(doctor__isnull=False),
                                name="slot_doctor_time"),
                   # a person's hold, released when they choose another time
                   models.Index(fields=["held_by"], condition=Q(held_by__isnull=False),
                                name="slot_held_by")]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")

    def __str__(self) -> str:
        return f"{self.centre} · {self.service.label} · {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked_count, 0)


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not come")


class Booking(BaseModel):
    """One place of a slot, booked by ``person`` for themself or one of their dependants."""

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings",
                             verbose_name=_("slot"))
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT,
                               related_name="bookings_made", verbose_name=_("booked by"))
    booked_for = models.ForeignKey("people.Person", on_delete=models.PROTECT,
                                   related_name="bookings", verbose_name=_("for"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=16, choices=BookingStatus.choices,
                              default=BookingStatus.BOOKED)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("staff member"))
    # NULL when the client sent none: NULLs never collide in the per-person unique key.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="bookings", verbose_name=_("case"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["booked_for", "slot"],
                                    condition=Q(status="booked"),
                                    name="booking_one_active_per_person_and_slot"),
            models.UniqueConstraint(fields=["person", "idempotency_key"],
                                    condition=Q(idempotency_key__isnull=False),
                                    name="booking_idempotency_key_per_person"),
            models.CheckConstraint(
                condition=Q(status="cancelled", cancelled_at__isnull=False)
                | (~Q(status="cancelled") & Q(cancelled_at=None)),
                name="booking_cancelled_has_time"),
        ]
        indexes = [models.Index(fields=["booked_for", "status"], name="booking_for_status")]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")

    def __str__(self) -> str:
        return f"{self.public_id} {self.status}"

    @property
    def subject_ref(self) -> str:
        return self.booked_for.subject_ref
