"""Centres, the services they offer, visiting hours, slots and bookings (R-REG-07, R-APT-*).

Schedule → Slot → Booking. A schedule says when a centre offers a service; slots are
generated from schedules ahead of time (``services.slots_generate``); a booking holds one
place of a slot. The database defends the invariants: a slot never holds more bookings
than places, a person never holds the same slot twice.

Medical appointments extend this with an optional provider: a nullable ``doctor`` on
``Schedule``, ``ScheduleException`` (leave) and ``Slot``. The slot's unique key is split in
two partial constraints, (centre, service, starts_at) where doctor is NULL and (centre,
service, doctor, starts_at) where it is not, so office slots keep their key on every
database; ``rules.ScheduleSpec`` and ``SlotSpec`` carry a ``doctor_id`` and generation keys
on it too. Second-level specialties need a ``Referral`` (R-APT-08, R-APT-12); a channel that
exceeded the booking quotas is held in ``ChannelBlock`` (R-APT-11).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ventanilla.core.channels import Channel
from ventanilla.core.models import BaseModel

from . import catalogue


class Centre(BaseModel):
    class Kind(models.TextChoices):
        SERVICE = "service", _("Service centre")
        MEDICAL = "medical", _("Medical centre")

    country = models.CharField(_("country"), max_length=2, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.SERVICE)
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    subdivision_code = models.CharField(
        _("place code"), max_length=12, help_text=_("Geography code of the country pack.")
    )
    address = models.CharField(_("address"), max_length=300)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    requires_appointment = models.BooleanField(_("requires an appointment"), default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("centre")
        verbose_name_plural = _("centres")

    def __str__(self) -> str:
        return self.name


def service_label(code: str, name: str) -> str:
    """A service's name: the custom name, else the catalogue's translated name, else the
    code (also for rows read without a model instance)."""
    if name:
        return name
    known = catalogue.known_service(code)
    return str(known.label) if known else code


class Service(BaseModel):
    """Something a person books: an office procedure or a medical specialty."""

    class Kind(models.TextChoices):
        OFFICE = catalogue.OFFICE, _("Office visit")
        MEDICAL = catalogue.MEDICAL, _("Medical appointment")

    class Level(models.IntegerChoices):
        """R-APT-12: first level is booked directly; second level needs a referral."""

        FIRST = 1, _("First level (booked directly)")
        SECOND = 2, _("Second level (needs a referral)")

    country = models.CharField(_("country"), max_length=2)
    code = models.SlugField(_("code"), max_length=48)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(
        _("custom name"), max_length=120, blank=True,
        help_text=_("Leave empty to use the translated name of a known service."))
    level = models.PositiveSmallIntegerField(
        _("level of care"), choices=Level.choices, default=Level.FIRST,
        help_text=_("Second-level specialties are booked only with a referral."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["country", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="service_unique_code"),
        ]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return f"{self.country} {self.label}"

    @property
    def label(self) -> str:
        return service_label(self.code, self.name)

    @property
    def is_medical(self) -> bool:
        return self.kind == self.Kind.MEDICAL

    @property
    def needs_referral(self) -> bool:
        """R-APT-08, R-APT-12: a second-level medical specialty is booked with a referral."""
        return self.kind == self.Kind.MEDICAL and self.level >= self.Level.SECOND

    @property
    def counts_for_quota(self) -> bool:
        """R-APT-11: the booking quotas apply to first-level specialties."""
        return self.kind == self.Kind.MEDICAL and self.level == self.Level.FIRST


# The abbreviation written before a doctor's name (Doctor.title_name).
DOCTOR_TITLES = {
    "dra": pgettext_lazy("title before a woman doctor's name", "Dr"),
    "dr": pgettext_lazy("title before a man doctor's name", "Dr"),
}


class Doctor(BaseModel):
    """A doctor who sees patients of some specialties at some medical centres."""

    class Title(models.TextChoices):
        # Spanish writes "Dra." for a woman and "Dr." for a man; English "Dr" for both.
        WOMAN = "dra", _("Dra. (a woman doctor)")
        MAN = "dr", _("Dr. (a man doctor)")

    country = models.CharField(_("country"), max_length=2, db_index=True)
    given_names = models.CharField(_("given names"), max_length=120)
    family_names = models.CharField(_("family names"), max_length=120)
    title = models.CharField(
        _("title"), max_length=3, choices=Title.choices, blank=True, default="",
        help_text=_("How patients are told the doctor's name: Dra. for a woman, Dr. for a "
                    "man. Empty: the name alone."))
    registration_code = models.CharField(
        _("registration code"), max_length=32,
        help_text=_("Professional registration (Ecuador: MSP / SENESCYT; Peru: CMP)."))
    is_active = models.BooleanField(_("active"), default=True)
    centres = models.ManyToManyField(Centre, related_name="doctors", blank=True,
                                     limit_choices_to={"kind": Centre.Kind.MEDICAL},
                                     verbose_name=_("centres"))
    specialties = models.ManyToManyField(Service, related_name="doctors", blank=True,
                                         limit_choices_to={"kind": Service.Kind.MEDICAL},
                                         verbose_name=_("specialties"))

    class Meta:
        ordering = ["country", "family_names", "given_names"]
        constraints = [
            models.UniqueConstraint(fields=["country", "registration_code"],
                                    name="doctor_unique_registration"),
        ]
        verbose_name = _("doctor")
        verbose_name_plural = _("doctors")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_names}".strip()

    @property
    def title_name(self) -> str:
        """The name with the title, in the active language: "Dra. María José Andrade
        Salazar" / "Dr María José Andrade Salazar"; the name alone without a title."""
        abbreviation = DOCTOR_TITLES.get(self.title)
        return f"{abbreviation} {self.full_name}" if abbreviation is not None \
            else self.full_name


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


class Referral(BaseModel):
    """A referral to a second-level specialty (R-APT-08, R-APT-12).

    Booking consumes it (``used``, linked to the booking); cancelling that booking in time
    gives it back; a missed appointment voids it, and the person needs a new one.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        USED = "used", _("Used")
        VOID = "void", _("Void")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT,
                               related_name="referrals", verbose_name=_("patient"))
    specialty = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals",
                                  limit_choices_to={"kind": Service.Kind.MEDICAL},
                                  verbose_name=_("specialty"))
    issued_by = models.CharField(_("issued by"), max_length=200,
                                 help_text=_("The doctor or health centre that refers."))
    doctor = models.ForeignKey(Doctor, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="referrals_issued", verbose_name=_("doctor"))
    centre = models.ForeignKey(Centre, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="referrals_issued", verbose_name=_("centre"))
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.ACTIVE)
    used_by = models.OneToOneField("Booking", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="referral", verbose_name=_("used by"))

    class Meta:
        ordering = ["-issued_on", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(expires_on__gte=F("issued_on")),
                                   name="referral_expires_after_issue"),
            models.CheckConstraint(condition=~Q(status="used") | Q(used_by__isnull=False),
                                   name="referral_used_has_booking"),
        ]
        indexes = [models.Index(fields=["person", "specialty", "status"],
                                name="referral_person_specialty")]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.specialty.label} · {self.issued_on}–{self.expires_on} · {self.status}"

    def usable_on(self, day: date) -> bool:
        """Whether a booking on ``day`` may consume it (R-APT-08): active and in force that
        day (``referrals.referral_take`` asks the same of the database)."""
        return self.status == self.Status.ACTIVE and self.issued_on <= day <= self.expires_on

    @property
    def subject_ref(self) -> str:
        return self.person.subject_ref


class QuotaAttempt(BaseModel):
    """A booking refused because it would exceed a quota (R-APT-11). The refusal warns;
    the channel is blocked only at the country's ``quota_block_after_attempts`` refused
    attempts within ``quota_attempts_window_hours`` (people the interface misled are not
    punished; bots and resellers that keep trying are)."""

    kind = models.CharField(_("kind"), max_length=8, choices=(
        ("phone", _("Phone number")), ("device", _("Device")), ("web", _("Web account"))))
    key = models.CharField(_("key"), max_length=128)
    person = models.ForeignKey("people.Person", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("person booked for"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    attempted_at = models.DateTimeField(_("attempted at"))
    quota_days = models.PositiveSmallIntegerField(_("quota window (days)"))
    quota_limit = models.PositiveSmallIntegerField(_("quota limit"))

    class Meta:
        ordering = ["-attempted_at"]
        indexes = [models.Index(fields=["kind", "key", "attempted_at"],
                                name="quota_attempt_key")]
        verbose_name = _("refused attempt over a quota")
        verbose_name_plural = _("refused attempts over a quota")

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.attempted_at:%Y-%m-%d %H:%M}"


class ChannelBlock(BaseModel):
    """A phone number, device or web account that exceeded the booking quotas (R-APT-11):
    blocked for 30 days, permanently (``until`` empty) on a second offence."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone number")
        DEVICE = "device", _("Device")
        WEB = "web", _("Web account")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    key = models.CharField(_("key"), max_length=128,
                           help_text=_("The phone number, device id or account."))
    person = models.ForeignKey("people.Person", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("person booked for"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    reason = models.CharField(_("reason"), max_length=300)
    until = models.DateTimeField(_("blocked until"), null=True, blank=True,
                                 help_text=_("Empty: blocked permanently."))
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "key"], name="channel_block_key")]
        verbose_name = _("channel block")
        verbose_name_plural = _("channel blocks")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}"

    @property
    def permanent(self) -> bool:
        return self.until is None


class SlotAlert(BaseModel):
    """"Avisarme" (UX, "No slots"): a person asked to be told by e-mail when a free time of
    a specialty opens in a place, for themself or a dependant. Open until it is sent
    (``notified_at``) or the person stops it (``cancelled_at``); it is watched until
    ``expires_at`` only (an expired one is closed when the person asks again).
    ``alerts.slot_alerts_send`` sends each one once. A person has at most one open alert per
    patient, service and place."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="slot_alerts", verbose_name=_("asked by"))
    booked_for = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                                   related_name="+", verbose_name=_("patient"))
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="alerts",
                                verbose_name=_("service"))
    place_code = models.CharField(
        _("place code"), max_length=12,
        help_text=_("Geography code of the country pack (a city) the free time must be in."))
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    expires_at = models.DateTimeField(
        _("watched until"),
        help_text=_("After this moment nobody is told any more (SLOT_ALERT_DAYS after it was "
                    "asked for); the person can ask again."))

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "booked_for", "service", "place_code"],
                condition=Q(notified_at__isnull=True, cancelled_at__isnull=True),
                name="slot_alert_one_open"),
        ]
        # the sender reads the open alerts of a service and place
        indexes = [models.Index(fields=["service", "place_code"],
                                condition=Q(notified_at__isnull=True,
                                            cancelled_at__isnull=True),
                                name="slot_alert_open")]
        verbose_name = _("free-time alert")
        verbose_name_plural = _("free-time alerts")

    def __str__(self) -> str:
        return f"{self.service.label} · {self.place_code}"

    @property
    def is_open(self) -> bool:
        return self.notified_at is None and self.cancelled_at is None

    @property
    def subject_ref(self) -> str:
        return self.booked_for.subject_ref
