"""Writes of the slot engine: slot generation and bookings (R-REG-07, R-APT-01..14), one
module per verb (STYLE.md, "Next shapes" 1).

Every channel (portal, API, call centre, WhatsApp, counter) books through these functions.
A booking takes a row lock on the slot and increments its counter in the same transaction,
and the database refuses a counter above the slot's places, so no place is ever given twice
(R-APT-10). The people concerned are locked first, so one person cannot take two visits at
the same time through two channels at once, nor slip under a quota (R-APT-11) or use one
referral twice (R-APT-08) by booking twice at once.

- ``generation``: ``slots_generate``, ``slots_generate_ahead``
- ``hold``: ``slot_hold`` (the web's ten minutes to check and confirm)
- ``create``: ``booking_create`` and its hot path
- ``changes``: ``booking_cancel``, ``booking_reschedule``
- ``attendance``: ``booking_attendance_record``
- ``checks``: what they share (windows, clashes, phone days, eligibility, who acts)

Their SQL lives in ``scheduling/sql.py``; the pure rules in ``rules.py``.
"""

from .attendance import ATTENDED_EARLY, booking_attendance_record
from .changes import booking_cancel, booking_reschedule
from .checks import IDEMPOTENCY_KEY_MAX, Eligibility
from .create import booking_create
from .generation import SlotsGenerated, slots_generate, slots_generate_ahead
from .hold import slot_hold

__all__ = [
    "ATTENDED_EARLY", "IDEMPOTENCY_KEY_MAX", "Eligibility", "SlotsGenerated",
    "booking_attendance_record", "booking_cancel", "booking_create", "booking_reschedule",
    "slot_hold", "slots_generate", "slots_generate_ahead",
]
