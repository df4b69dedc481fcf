"""One read model per booking (BookingFacts): the facts every channel says about a booking
exist once — arrive by (R-APT-09), the change deadline (R-APT-04: 12 h; R-APT-13: 24 h in
Peru) and the reference read out on the phone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from ventanilla.scheduling.facts import booking_facts, booking_reference
from ventanilla.scheduling.services import booking_create

from ..conftest import NOW
from ..test_api import bearer
from .conftest import MONDAY_0800_QUITO

pytestmark = pytest.mark.django_db


def test_r_apt_09_and_r_apt_04_the_facts_of_a_booking(med_slot, ana):
    booking = booking_create(slot=med_slot, person=ana, channel="web", now=NOW)
    facts = booking_facts(booking, now=NOW)
    assert facts.starts.utcoffset() == timedelta(hours=-5)          # Quito's clock
    assert facts.starts.hour == 8 and facts.arrive_by.strftime("%H:%M") == "07:30"
    assert facts.change_until == MONDAY_0800_QUITO - timedelta(hours=12)
    assert facts.can_change
    late = MONDAY_0800_QUITO - timedelta(hours=11)
    assert not booking_facts(booking, now=late).can_change
    assert facts.reference == booking_reference(booking) == \
        str(booking.public_id)[:8].upper()


def test_r_apt_13_peru_changes_close_24_hours_before(clinic_pe, specialties_pe, make_med_slot,
                                                     peruvian):
    slot = make_med_slot(clinic_pe, specialties_pe["general_medicine"],
                         datetime(2030, 5, 6, 14, tzinfo=UTC))
    booking = booking_create(slot=slot, person=peruvian, channel="web", now=NOW)
    facts = booking_facts(booking, now=NOW)
    assert facts.notice_hours == 24
    assert facts.change_until == slot.starts_at - timedelta(hours=24)


def test_the_reference_is_the_same_on_every_channel(med_slot, ana):
    booking = booking_create(slot=med_slot, person=ana, channel="web", now=NOW)
    reference = booking_reference(booking)
    api = Client().get(f"/api/v1/appointments/{booking.public_id}", **bearer(ana)).json()
    assert api["reference"] == reference
    from ventanilla.scheduling.documents import _facts

    assert _facts(booking)["reference"] == reference
