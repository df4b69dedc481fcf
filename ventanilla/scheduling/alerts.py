"""Free-time alerts: "Avisarme" / "Notify me" (UX, "Error and empty states", "No slots").

When the booking flow finds no free time of a specialty in a city, a signed-in person can
ask to be told, for themself or a dependant. ``slot_alerts_send`` e-mails each open alert
once when ``selectors.slots_free`` (the one definition of a free time) finds a time again:
the ``tasks.slot_alerts_send`` task runs it after slots are generated and when a
cancellation frees a place (``slot_alerts_on_commit``).
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial
from urllib.parse import urlencode
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import NotFound, ValidationFailed
from ventanilla.countries.registry import get_pack

from . import selectors
from .errors import BookedForRefused
from .models import Service, Slot, SlotAlert

logger = logging.getLogger(__name__)

OPEN = Q(notified_at__isnull=True, cancelled_at__isnull=True)


class AlertPlaceUnknown(ValidationFailed):
    code = "ALERT_PLACE_UNKNOWN"
    default_message = _("Select a city")


class AlertServiceUnavailable(ValidationFailed):
    code = "ALERT_SERVICE_UNAVAILABLE"
    default_message = _("This specialty cannot be booked. Choose another specialty.")


class AlertNoEmail(ValidationFailed):
    code = "ALERT_NO_EMAIL"
    default_message = _("Add an e-mail address to your contact details, so that we can "
                        "tell you when a time opens.")


class AlertNotFound(NotFound):
    code = "ALERT_NOT_FOUND"
    default_message = _("This alert was not found.")


def slot_alert_recipient(alert: SlotAlert):
    """Who the e-mail goes to: the person who asked, else the patient; None without an
    e-mail address (as the day-before reminder, the other way round)."""
    for who in (alert.person, alert.booked_for):
        if who.email:
            return who
    return None


# --- reads ---------------------------------------------------------------------------------

def slot_alerts_open_of(person) -> QuerySet[SlotAlert]:
    """The open alerts a person asked for, oldest first (their appointments page)."""
    return (SlotAlert.objects.select_related("service", "booked_for")
            .filter(OPEN, person=person).order_by("created_at", "pk"))


def slot_alert_open_get(*, person, booked_for, service: Service, place: str
                        ) -> SlotAlert | None:
    return slot_alerts_open_of(person).filter(booked_for=booked_for, service=service,
                                              place_code=place).first()


def slot_alert_get_for(person, public_id: UUID | str) -> SlotAlert | None:
    """An alert by public id, only when ``person`` asked for it."""
    try:
        return (SlotAlert.objects.select_related("service", "booked_for")
                .filter(person=person, public_id=public_id).first())
    except (ValueError, TypeError, ValidationError):
        return None


# --- writes --------------------------------------------------------------------------------

def _check_covered_today(booked_for, service: Service) -> None:
    from ventanilla.affiliation.rules import Service as CoveredService
    from ventanilla.affiliation.selectors import coverage_for

    from .errors import NotCovered

    today = timezone.localtime(timezone.now(), get_pack(service.country).tz).date()
    result = coverage_for(booked_for, on=today, service=CoveredService.APPOINTMENTS,
                          country=service.country)
    if not result.covered:
        raise NotCovered(result.message, field="booked_for")


def slot_alert_create(*, person, booked_for, service: Service, place: str) -> SlotAlert:
    """Ask to be told when a free time of ``service`` opens in ``place`` (a geography code
    of the service's country, a city in the web flow), for ``booked_for``. Idempotent:
    asking again returns the open alert (a partial unique constraint backs it). Refused
    for someone the person may not book for (``selectors.may_book_for``), an unknown place,
    an inactive service, when nobody has an e-mail address to tell, and (medical services)
    for a patient not covered for appointments today (R-APT-01)."""
    if not selectors.may_book_for(person, booked_for):
        raise BookedForRefused(field="booked_for")
    if not service.is_active:
        raise AlertServiceUnavailable(field="specialty")
    if get_pack(service.country).geography.get(place) is None:
        raise AlertPlaceUnknown(field="city")
    if not (person.email or booked_for.email):
        raise AlertNoEmail(field="email")
    if service.is_medical:
        # R-APT-01: no alert for times the patient could not book (peasant insurance, not
        # covered today); the booking checks again on the appointment's date.
        _check_covered_today(booked_for, service)
    key = {"person": person, "booked_for": booked_for, "service": service,
           "place_code": place}
    existing = SlotAlert.objects.filter(OPEN, **key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return SlotAlert.objects.create(**key)
    except IntegrityError:  # the same request twice at the same moment
        return SlotAlert.objects.get(OPEN, **key)


def slot_alert_cancel(*, alert: SlotAlert, person, now: datetime | None = None) -> SlotAlert:
    """Stop an alert ("Dejar de avisarme"). Only the person who asked; stopping a stopped
    or sent alert changes nothing."""
    if alert.person_id != person.pk:
        raise AlertNotFound()
    now = now or timezone.now()
    SlotAlert.objects.filter(OPEN, pk=alert.pk).update(cancelled_at=now, updated_at=now)
    alert.refresh_from_db()
    return alert


def _prefixes(code: str) -> list[str]:
    """A place and every place above it (geography codes nest by prefix: 17, 1701,
    170150): the alerts a free time at ``code`` satisfies."""
    return [code[:i] for i in range(1, len(code) + 1)]


def slot_alerts_send(*, now: datetime | None = None, service_id: UUID | str | None = None,
                     place_code: str | None = None) -> int:
    """E-mail every open alert whose service has a free time in its place now, once, and
    mark it notified; returns how many were sent. ``service_id`` (a service's public id)
    and ``place_code`` (a centre's place code) narrow the run to the alerts one freed place
    can satisfy. Each alert is claimed by a conditional UPDATE before its e-mail goes, so
    two runs never send it twice; an e-mail that fails is released for the next run."""
    now = now or timezone.now()
    alerts = SlotAlert.objects.filter(OPEN)
    if service_id:
        alerts = alerts.filter(service__public_id=service_id)
    if place_code:
        alerts = alerts.filter(place_code__in=_prefixes(place_code))
    sent = 0
    pairs = alerts.order_by().values_list("service_id", "place_code").distinct()
    for service_pk, place in list(pairs):
        service = Service.objects.get(pk=service_pk)
        first = selectors.slots_free(country=service.country, service=service, place=place,
                                     now=now).first()
        if first is None:
            continue
        group = (alerts.filter(service_id=service_pk, place_code=place)
                 .select_related("service", "person", "booked_for").order_by("created_at"))
        for alert in group.iterator():
            sent += _send_one(alert, first, now=now)
    return sent


def _send_one(alert: SlotAlert, first: Slot, *, now: datetime) -> int:
    from ventanilla.notifications.email import email_send

    to = slot_alert_recipient(alert)
    if to is None:  # the address was removed since: kept open until there is one again
        return 0
    if not SlotAlert.objects.filter(OPEN, pk=alert.pk).update(notified_at=now,
                                                               updated_at=now):
        return 0  # another run sent it
    pack = get_pack(alert.service.country)
    geography = pack.geography
    query = urlencode({"booked_for": str(alert.booked_for.public_id),
                       "specialty": alert.service.code,
                       "province": geography.top_level_of(alert.place_code),
                       "city": alert.place_code})
    place = geography.get(alert.place_code)
    try:
        email_send(to=to.email, template="slot_alert", language=to.language, context={
            "alert": alert, "service": alert.service, "patient": alert.booked_for,
            "city": place.name if place else alert.place_code, "first": first,
            "starts": timezone.localtime(first.starts_at, pack.tz),
            "path": f"{reverse('portal:appointment_date')}?{query}"})
    except OSError:  # SMTP down or refused: try again on the next run
        logger.exception("slot alert %s: e-mail not sent", alert.public_id)
        SlotAlert.objects.filter(pk=alert.pk, notified_at=now).update(notified_at=None)
        return 0
    return 1


def _send_for_freed_place(service_pk: int, service_public_id: str, place_code: str) -> None:
    if not SlotAlert.objects.filter(OPEN, service_id=service_pk,
                                    place_code__in=_prefixes(place_code)).exists():
        return  # nobody waits for this place: no task
    from . import tasks

    tasks.slot_alerts_send.enqueue(service_id=service_public_id, place_code=place_code)


def slot_alerts_on_commit(*, slot: Slot) -> None:
    """Once the current transaction commits, send the alerts that a place freed in
    ``slot`` (a cancellation, a move) can satisfy. ``slot`` comes with its centre and
    service loaded."""
    transaction.on_commit(partial(_send_for_freed_place, slot.service_id,
                                  str(slot.service.public_id),
                                  slot.centre.subdivision_code))


def _send_if_anyone_waits() -> None:
    if not SlotAlert.objects.filter(OPEN).exists():
        return  # nobody waits: no task
    from . import tasks

    tasks.slot_alerts_send.enqueue()


def slot_alerts_after_generation_on_commit() -> None:
    """Once the current transaction commits, send the alerts that new or reopened slots may
    satisfy (``services.slots_generate_ahead``: the daily command and task)."""
    transaction.on_commit(_send_if_anyone_waits)
