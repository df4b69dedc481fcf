"""Free-time alerts: "Avisarme" / "Notify me" (UX, "Error and empty states", "No slots").

When the booking flow finds no free time of a specialty in a city, a signed-in person can
ask to be told, for themself or a dependant, during the next ``SLOT_ALERT_DAYS`` days (60 by
default). ``slot_alerts_send`` e-mails each open alert
once when ``selectors.slots_free`` (the one definition of a free time) finds a time again:
the ``tasks.slot_alerts_send`` task runs it after slots are generated and when a
cancellation frees a place (``slot_alerts_on_commit``).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial
from urllib.parse import urlencode
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from ventanilla.countries.registry import get_pack

from . import selectors
from .eligibility import appointments_covered
from .errors import (
    AlertNoEmail,
    AlertNotFound,
    AlertPlaceUnknown,
    AlertServiceUnavailable,
    BookedForRefused,
)
from .models import Service, Slot, SlotAlert

logger = logging.getLogger(__name__)

OPEN = Q(notified_at__isnull=True, cancelled_at__isnull=True)


def _watched(now: datetime) -> Q:
    """Open and not yet expired: the alerts somebody still waits on."""
    return OPEN & Q(expires_at__gt=now)


def slot_alert_recipient(alert: SlotAlert):
    """Who the e-mail goes to: the person who asked, else the patient; None without an
    e-mail address (as the day-before reminder, the other way round)."""
    for who in (alert.person, alert.booked_for):
        if who.email:
            return who
    return None


# --- reads ---------------------------------------------------------------------------------

def slot_alerts_open_of(person, *, now: datetime | None = None) -> QuerySet[SlotAlert]:
    """The open, unexpired alerts a person asked for, oldest first (their appointments
    page)."""
    return (SlotAlert.objects.select_related("service", "booked_for")
            .filter(_watched(now or timezone.now()), person=person)
            .order_by("created_at", "pk"))


def slot_alert_open_get(*, person, booked_for, service: Service, place: str,
                        now: datetime | None = None) -> SlotAlert | None:
    return slot_alerts_open_of(person, now=now).filter(booked_for=booked_for, service=service,
                                                       place_code=place).first()


def slot_alert_get_for(person, public_id: UUID | str) -> SlotAlert | None:
    """An alert by public id, only when ``person`` asked for it."""
    try:
        return (SlotAlert.objects.select_related("service", "booked_for")
                .filter(person=person, public_id=public_id).first())
    except (ValueError, TypeError, ValidationError):
        return None


# --- writes --------------------------------------------------------------------------------

def slot_alert_create(*, person, booked_for, service: Service, place: str,
                      now: datetime | None = None) -> SlotAlert:
    """Ask to be told when a free time of ``service`` opens in ``place`` (a geography code
    of the service's country, a city in the web flow), for ``booked_for``, during the next
    ``SLOT_ALERT_DAYS`` days. Idempotent: asking again returns the open alert (a partial
    unique constraint backs it); asking after it expired starts a new one. Refused
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
        appointments_covered(booked_for, country=service.country,
                             on=timezone.localdate(timezone=get_pack(service.country).tz))
    now = now or timezone.now()
    key = {"person": person, "booked_for": booked_for, "service": service,
           "place_code": place}
    # One that ran out is closed when it ran out, so that this request starts a new one.
    SlotAlert.objects.filter(OPEN, expires_at__lte=now, **key).update(
        cancelled_at=F("expires_at"), updated_at=now)
    existing = SlotAlert.objects.filter(OPEN, **key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return SlotAlert.objects.create(
                **key, expires_at=now + timedelta(days=settings.SLOT_ALERT_DAYS))
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
    """E-mail every open, unexpired alert whose service has a free time in its place now,
    once, and mark it notified; returns how many were sent. ``service_id`` (a service's public id)
    and ``place_code`` (a centre's place code) narrow the run to the alerts one freed place
    can satisfy. Each alert is claimed by a conditional UPDATE in the transaction that
    queues its e-mail in the outbox, so two runs never send it twice and a mail server
    that is down only delays it."""
    now = now or timezone.now()
    alerts = SlotAlert.objects.filter(_watched(now))
    if service_id:
        alerts = alerts.filter(service__public_id=service_id)
    if place_code:
        alerts = alerts.filter(place_code__in=_prefixes(place_code))
    sent = 0
    pairs = list(alerts.order_by().values_list("service_id", "place_code").distinct())
    services = Service.objects.in_bulk({service_pk for service_pk, _place in pairs})
    for service_pk, place in pairs:
        service = services[service_pk]
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
    from . import tasks

    to = slot_alert_recipient(alert)
    if to is None:  # the address was removed since: kept open until there is one again
        return 0
    with transaction.atomic():
        if not SlotAlert.objects.filter(_watched(now), pk=alert.pk).update(notified_at=now,
                                                                           updated_at=now):
            return 0  # another run sent it (or it has just expired)
        # Marked notified and queued in one transaction: the outbox delivers it, retrying
        # while the mail server is down; one alert, one message (the key).
        tasks.slot_alert.queue(to=to.email, language=to.language,
                               key=f"slot_alert:{alert.public_id}",
                               alert_id=str(alert.public_id), slot_id=str(first.public_id))
    return 1


def slot_alert_email(*, alert_id: str, slot_id: str):
    """The e-mail of an alert (``tasks.slot_alert``): the first free time found and a link
    into the booking flow at that specialty and city, in the active language."""
    from ventanilla.notifications.messages import email_render

    alert = (SlotAlert.objects.select_related("service", "person", "booked_for")
             .filter(public_id=alert_id).first())
    first = Slot.objects.select_related("centre").filter(public_id=slot_id).first()
    if alert is None or first is None:
        return None
    pack = get_pack(alert.service.country)
    geography = pack.geography
    query = urlencode({"booked_for": str(alert.booked_for.public_id),
                       "specialty": alert.service.code,
                       "province": geography.top_level_of(alert.place_code),
                       "city": alert.place_code})
    place = geography.get(alert.place_code)
    return email_render(
        "scheduling/email/slot_alert.txt", alert=alert, service=alert.service,
        patient=alert.booked_for, city=place.name if place else alert.place_code, first=first,
        starts=timezone.localtime(first.starts_at, pack.tz),
        path=f"{reverse('portal:appointment_date')}?{query}")


def _enqueue_if_anyone_waits(*, service_pk: int | None = None, service_public_id: str = "",
                             place_code: str = "") -> None:
    """Queue ``tasks.slot_alerts_send`` (narrowed to a service and the places above a
    centre when given) unless nobody waits: no task for nothing."""
    waiting = SlotAlert.objects.filter(_watched(timezone.now()))
    if service_pk is not None:
        waiting = waiting.filter(service_id=service_pk, place_code__in=_prefixes(place_code))
    if not waiting.exists():
        return
    from . import tasks

    tasks.slot_alerts_send.enqueue(service_id=service_public_id, place_code=place_code)


def slot_alerts_on_commit(*, slot: Slot) -> None:
    """Once the current transaction commits, send the alerts that a place freed in
    ``slot`` (a cancellation, a move) can satisfy. ``slot`` comes with its centre and
    service loaded."""
    transaction.on_commit(partial(_enqueue_if_anyone_waits, service_pk=slot.service_id,
                                  service_public_id=str(slot.service.public_id),
                                  place_code=slot.centre.subdivision_code))


def slot_alerts_after_generation_on_commit() -> None:
    """Once the current transaction commits, send the alerts that new or reopened slots may
    satisfy (``services.slots_generate_ahead``: the daily command and task)."""
    transaction.on_commit(_enqueue_if_anyone_waits)
