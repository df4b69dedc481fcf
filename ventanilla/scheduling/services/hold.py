"""Holding a time while the person checks and confirms it on the web."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .. import sql
from ..models import Slot
from . import checks


def slot_hold(*, slot: Slot, person, now: datetime | None = None) -> datetime | None:
    """Hold the chosen time for ``person`` while they check and confirm it on the web
    (``SLOT_HOLD_MINUTES``, 10 by default): until then nobody else is offered its last free
    place or may book it, on any channel (``selectors.slots_free``, ``create._take_place``). A
    person holds one time at most: holding another releases the first; booking the held
    time uses the hold up; an unused hold simply expires. Holding again extends it.

    Returns until when the time is held, or None when it is still free for ``person`` but
    someone else holds one of its several places (there is room for both). Raises
    ``SlotTaken`` / ``SlotHeld`` / ``SlotUnavailable`` when ``person`` could not book it."""
    now = now or timezone.now()
    until = now + timedelta(minutes=settings.SLOT_HOLD_MINUTES)
    with transaction.atomic():
        Slot.objects.filter(held_by=person).exclude(pk=slot.pk).update(held_by=None,
                                                                       held_until=None)
        at = connection.ops.adapt_datetimefield_value(now)
        with connection.cursor() as cursor:
            cursor.execute(sql.hold_sql(), [person.pk, connection.ops.adapt_datetimefield_value(
                until), at, slot.pk, at, at, person.pk])
            held = cursor.rowcount
        if held:
            slot.held_by, slot.held_until = person, until
            return until
        locked = checks.lock_slot(slot.pk)
        checks.ensure_bookable(locked, now=now)
        checks.ensure_place_for(locked, person, now=now)
        return None
