"""The times this person may book (R-APT-14): one read that every channel asks before it
offers anything, so nobody is offered what ``services.booking_create`` would then refuse or
punish.

``booking_allowance`` gathers once, for the person booking, the person the appointment is
for, one service and one channel:

- what stops every booking (a ``Refusal``, checked when the person starts and when they
  choose for whom and what): a blocked web account (R-APT-05), a blocked channel
  (R-APT-11), no coverage for the appointment service — peasant insurance, a child who is
  18, a lapsed affiliation (R-APT-01) —, no referral for a second-level specialty
  (R-APT-08, R-APT-12), a dependant the person may not book for;
- the days it may offer: up to the last day of coverage and of the referrals;
- the days closed for this person (``ClosedDay``): a quota already full (R-APT-11) and a
  day that already has an appointment of the same specialty (R-APT-14);
- the times taken by the person's other appointments (no clash);
- on the phone, the caller's weekdays (R-APT-06).

``Allowance.restrict`` applies it to any ``selectors.slots_free`` query (dates, times, the
first available time, the empty state's other cities), ``Allowance.allows`` is its twin for
one slot, ``Allowance.room`` says how many more appointments fit that day, week and month,
and ``Allowance.final`` marks a time inside the cancellation window (R-APT-04, R-APT-13).
The booking transaction checks all of it again under its locks: this read only decides what
is offered.
"""

from .read import booking_allowance, booking_start_refusal
from .types import (
    HORIZON_DAYS,
    Allowance,
    ClosedDay,
    ClosedReason,
    QuotaRoom,
    Refusal,
    RefusalReason,
)

__all__ = [
    "HORIZON_DAYS", "Allowance", "ClosedDay", "ClosedReason", "QuotaRoom", "Refusal",
    "RefusalReason", "booking_allowance", "booking_start_refusal",
]
