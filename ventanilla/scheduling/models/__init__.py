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

from .alerts import SlotAlert
from .places import DOCTOR_TITLES, Centre, Doctor, Service, service_label
from .referrals import Referral
from .sanctions import ChannelBlock, QuotaAttempt
from .schedules import Schedule, ScheduleException, Weekday
from .slots import Booking, BookingStatus, Slot

__all__ = [
    "DOCTOR_TITLES", "Booking", "BookingStatus", "Centre", "ChannelBlock", "Doctor",
    "QuotaAttempt", "Referral", "Schedule", "ScheduleException", "Service", "Slot",
    "SlotAlert", "Weekday", "service_label",
]
