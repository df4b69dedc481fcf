"""The hand-written SQL of scheduling, in one place (STYLE.md, "Next shapes" 2).

Each statement runs on a hot path (a booking, a search, a cancellation) where building it
through the ORM cost more Python time than the database took; each is written once per
shape (``functools.cache``) and sits beside its ORM twin where one exists, and tests prove
the two equal on random data (``tests/test_selectors_sql.py``, ``test_services``). Every
row lock states its strength: ``FOR NO KEY UPDATE`` where rows referencing the locked one
must not wait (bookings of a person, taking a place), ``FOR UPDATE`` where the row itself
changes state (a booking being cancelled). Table names come from the models; every value
is a parameter.
"""

from __future__ import annotations

import functools

from django.db import connection
from django.db.models import F, Q

from ventanilla.core import rawsql

from .models import Booking, Centre, Doctor, Service, Slot

# --- what may still be booked ------------------------------------------------------------

def free_q(now, *, for_person=None) -> Q:
    """The ORM twin of ``bookable_sql`` and ``not_held_sql``: an open future slot of an
    active centre and service with a free place that nobody else holds."""
    not_held = (Q(held_until__isnull=True) | Q(held_until__lte=now)
                | Q(booked_count__lt=F("capacity") - 1))
    if for_person is not None:
        not_held |= Q(held_by=for_person)
    return Q(not_held, is_open=True, centre__is_active=True, service__is_active=True,
             booked_count__lt=F("capacity"), starts_at__gt=now)





@functools.cache
def lock_people_sql(vendor: str, *, blocks: bool, channel: bool, two: bool) -> str:
    from ventanilla.accounts.models import AccountBlock
    from ventanilla.people.models import Person

    from .models import ChannelBlock

    person = rawsql.columns(Person).table
    block, channel_block = rawsql.columns(AccountBlock).table, rawsql.columns(ChannelBlock).table
    cols = ["p.id"]
    cols.append(f"(SELECT b.cause FROM {block} b WHERE b.person_id = p.id"  # noqa: S608
                " AND b.unblocked_at IS NULL LIMIT 1)" if blocks else "NULL")
    cols.append(f"EXISTS (SELECT 1 FROM {channel_block} k WHERE k.kind = %s"  # noqa: S608
                " AND k.key = %s AND k.lifted_at IS NULL"
                " AND (k.until IS NULL OR k.until > %s))" if channel else "NULL")
    lock = " FOR NO KEY UPDATE OF p" if connection.features.has_select_for_no_key_update else ""
    # Table names come from the models; every value is a parameter.
    return (f"SELECT {', '.join(cols)} FROM {person} p"  # noqa: S608
            f" WHERE p.id IN ({'%s, %s' if two else '%s'}) ORDER BY p.id{lock}")


@functools.cache
def idempotent_sql(vendor: str) -> str:
    table = connection.ops.quote_name(Booking._meta.db_table)
    return (f"SELECT id FROM {table} WHERE person_id = %s"  # noqa: S608
            " AND idempotency_key = %s")


def bookable_sql(slot: str) -> str:
    """``WHERE`` conditions (on the slot's own row, so a waiting ``UPDATE`` re-checks them)
    of a slot that may still be booked or held: open, in the future (``%s``: now), with a
    free place, of an active centre and service. Shared by ``create._take_place`` and
    ``slot_hold``."""
    q = connection.ops.quote_name
    centre, service = q(Centre._meta.db_table), q(Service._meta.db_table)
    # Table names come from the models; the value is a parameter.
    return (f"is_open AND starts_at > %s AND booked_count < capacity"  # noqa: S608
            f" AND EXISTS (SELECT 1 FROM {centre} c WHERE c.id = {slot}.centre_id"
            f" AND c.is_active)"
            f" AND EXISTS (SELECT 1 FROM {service} v WHERE v.id = {slot}.service_id"
            f" AND v.is_active)")


@functools.cache
def take_place_sql() -> str:
    """The guarded ``UPDATE`` of ``create._take_place``, written once: it runs on every booking,
    and building it through the ORM (three correlated subqueries) cost more Python time
    than the statement takes in PostgreSQL. Plain SQL that SQLite runs too."""
    q = connection.ops.quote_name
    slot, booking = q(Slot._meta.db_table), q(Booking._meta.db_table)
    # Table names come from the models; every value is a parameter.
    return (
        f"UPDATE {slot} SET booked_count = booked_count + 1, updated_at = %s,"  # noqa: S608
        # the booker's own hold is used up; anyone else's stays
        f" held_until = CASE WHEN held_by_id = %s THEN NULL ELSE held_until END,"
        f" held_by_id = CASE WHEN held_by_id = %s THEN NULL ELSE held_by_id END"
        f" WHERE id = %s AND {bookable_sql(slot)}"
        f" AND {not_held_sql('', mine=True)}"
        f" AND NOT EXISTS (SELECT 1 FROM {booking} b JOIN {slot} o ON o.id = b.slot_id"
        f" WHERE b.booked_for_id = %s AND b.status = %s"
        f" AND o.starts_at < {slot}.ends_at AND o.ends_at > {slot}.starts_at)")


@functools.cache
def take_place_and_insert_sql() -> str:
    """PostgreSQL: the guarded ``UPDATE`` of ``take_place_sql`` and the booking's
    ``INSERT`` in one statement (a data-modifying ``WITH``). The row is inserted only when
    the ``UPDATE`` took the place, so a booking that goes through costs one round trip less.
    SQLite has no data-modifying ``WITH`` and runs the two statements one after the other."""
    return (f"WITH taken AS ({take_place_sql()} RETURNING 1) "
            + rawsql.insert_sql(Booking, connection.vendor, source="taken"))


@functools.cache
def hold_sql() -> str:
    """The guarded ``UPDATE`` of ``slot_hold``. Every condition is on the slot's row (the
    centre and service in ``EXISTS``), so when two holds race, the second re-checks them on
    the row the first left (PostgreSQL re-evaluates the ``WHERE`` of an ``UPDATE`` that
    waited for the row lock; it would not re-run an ``id IN (SELECT …)``)."""
    slot = connection.ops.quote_name(Slot._meta.db_table)
    # The table name comes from the model; every value is a parameter.
    return (
        f"UPDATE {slot} SET held_by_id = %s, held_until = %s, updated_at = %s"  # noqa: S608
        f" WHERE id = %s AND {bookable_sql(slot)}"
        f" AND (held_until IS NULL OR held_until <= %s OR held_by_id = %s)")


@functools.cache
def lock_booking_sql(vendor: str) -> str:
    table = connection.ops.quote_name(Booking._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    # The table name comes from the model; the id is a parameter.
    return f"SELECT status, slot_id FROM {table} WHERE id = %s{lock}"  # noqa: S608


@functools.cache
def cancel_sql() -> tuple[str, str]:
    q = connection.ops.quote_name
    slot, booking = q(Slot._meta.db_table), q(Booking._meta.db_table)
    # Table names come from the models; every value is a parameter.
    return (f"UPDATE {slot} SET booked_count = booked_count - 1, updated_at = %s"  # noqa: S608
            " WHERE id = %s",
            f"UPDATE {booking} SET status = %s, cancelled_at = %s,"  # noqa: S608
            " cancelled_by_id = %s, updated_at = %s WHERE id = %s")


# --- searches and reads -------------------------------------------------------------------

# The optional conditions of ``slots_free_rows``, in the order of their parameters
# ({service}: the service table's name).
FREE_FILTERS = {
    "country": "c.country = %s", "centre": "s.centre_id = %s", "service": "v.code = %s",
    # the service's id from its country and code, known before the scan is planned
    "service_id": "s.service_id = (SELECT id FROM {service} WHERE country = %s AND code = %s"
                  " LIMIT 1)",
    "kind": "v.kind = %s", "doctor": "s.doctor_id = %s",
    "place": "c.subdivision_code LIKE %s ESCAPE '\\'",
    "date_from": "s.starts_at >= %s", "date_to": "s.starts_at < %s",
}
FREE_ORDER = tuple(FREE_FILTERS)


def not_held_sql(alias: str, *, mine: bool = False) -> str:
    """``slots_free``'s hold condition in SQL, for the statements written by hand: the
    slot's last free place is not held by someone else (``%s``: now; with ``mine``, a second
    ``%s``: the person whose own hold does not count)."""
    a = alias
    return (f"({a}held_until IS NULL OR {a}held_until <= %s"
            f" OR {a}booked_count < {a}capacity - 1"
            + (f" OR {a}held_by_id = %s)" if mine else ")"))


@functools.cache
def slots_free_sql(vendor: str, shape: frozenset[str]) -> str:
    """The statement of ``slots_free_rows`` for one combination of filters, written once.
    The same conditions as ``slots_free`` (tests compare the two on random data); the
    service id comes from a subquery on its country and code, so PostgreSQL knows it before
    it plans the scan (see ``slots_free``)."""
    q = connection.ops.quote_name
    slot, centre, service, doctor = (q(m._meta.db_table) for m in (Slot, Centre, Service,
                                                                     Doctor))
    where = ["s.is_open", "c.is_active", "v.is_active", "s.booked_count < s.capacity",
             "s.starts_at > %s", not_held_sql("s.")]
    where += [FREE_FILTERS[name].format(service=service)
              for name in FREE_ORDER if name in shape]
    # Table names come from the models; every value is a parameter.
    return (
        "SELECT s.public_id, s.starts_at, s.ends_at, s.capacity - s.booked_count,"  # noqa: S608
        " c.public_id, c.code, c.name, c.address, c.country, v.code, v.kind, v.name,"
        " d.public_id, d.given_names, d.family_names"
        f" FROM {slot} s JOIN {centre} c ON c.id = s.centre_id"
        f" JOIN {service} v ON v.id = s.service_id"
        f" LEFT JOIN {doctor} d ON d.id = s.doctor_id"
        f" WHERE {' AND '.join(where)}"
        " ORDER BY s.starts_at, c.name, s.id LIMIT %s")


@functools.cache
def slot_get_sql(vendor: str) -> str:
    slot, centre, service, doctor = (rawsql.columns(m) for m in (Slot, Centre, Service, Doctor))
    # Table names come from the models; the id is a parameter.
    return (f"SELECT {slot.select('s')}, {centre.select('c')}, {service.select('v')},"  # noqa: S608
            f" {doctor.select('d')} FROM {slot.table} s"
            f" JOIN {centre.table} c ON c.id = s.centre_id"
            f" JOIN {service.table} v ON v.id = s.service_id"
            f" LEFT JOIN {doctor.table} d ON d.id = s.doctor_id WHERE s.public_id = %s")


@functools.cache
def booking_get_for_sql(vendor: str, *, kind: bool) -> str:
    from ventanilla.cases.models import Case
    from ventanilla.people.models import Person

    b, s, c, v, d, p, k = (rawsql.columns(m) for m in (Booking, Slot, Centre, Service, Doctor,
                                                        Person, Case))
    # Table names come from the models; every value is a parameter.
    return (f"SELECT {b.select('b')}, {s.select('s')}, {c.select('c')}, {v.select('v')},"  # noqa: S608
            f" {d.select('d')}, {p.select('f')}, {p.select('p')}, {k.select('k')}"
            f" FROM {b.table} b JOIN {s.table} s ON s.id = b.slot_id"
            f" JOIN {c.table} c ON c.id = s.centre_id JOIN {v.table} v ON v.id = s.service_id"
            f" LEFT JOIN {d.table} d ON d.id = s.doctor_id"
            f" JOIN {p.table} f ON f.id = b.booked_for_id JOIN {p.table} p ON p.id = b.person_id"
            f" LEFT JOIN {k.table} k ON k.id = b.case_id"
            " WHERE b.public_id = %s AND (b.person_id = %s OR b.booked_for_id = %s)"
            + (" AND v.kind = %s" if kind else ""))


# --- quotas ---------------------------------------------------------------------------

@functools.cache
def medical_held_sql(vendor: str) -> str:
    """The medical appointments a person holds (booked or attended) in a window: their
    times, services and levels. The quotas count the first-level ones (R-APT-11); the
    same-specialty rule looks at the day's (R-APT-14). Written once: it runs on every medical
    booking. Its ORM twin is ``allowance._held``."""
    booking, slot, service = (rawsql.columns(m).table for m in (Booking, Slot, Service))
    # Table names come from the models; every value is a parameter.
    return (f"SELECT o.starts_at, o.service_id, v.level FROM {booking} b"  # noqa: S608
            f" JOIN {slot} o ON o.id = b.slot_id JOIN {service} v ON v.id = o.service_id"
            " WHERE b.booked_for_id = %s AND b.status IN (%s, %s) AND v.kind = %s"
            " AND o.starts_at >= %s AND o.starts_at < %s AND b.id <> %s")
