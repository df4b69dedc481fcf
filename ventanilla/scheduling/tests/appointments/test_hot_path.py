"""The hand-written statements of the hot paths give what the ORM gives (docs/scheduling.md,
"Performance"): the slot search of the API against ``selectors.slots_free`` on random data,
the rows loaded by ``core.rawsql`` against the ORM's instances, the JSON written straight
by the booking and the search against their declared schemas, and the API's shorter
middleware chain. They run on SQLite and on PostgreSQL (CI runs both)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ventanilla.core import rawsql
from ventanilla.scheduling import selectors
from ventanilla.scheduling.models import Booking, Centre, Service, Slot

from ..test_api import bearer

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 4, 29, 12, 0, tzinfo=UTC)


def _fields(obj) -> dict:
    return {k: v for k, v in obj.__dict__.items() if not k.startswith("_")}


@pytest.fixture
def landscape(clinic_ec, clinic_gye, clinic_pe, specialties_ec, specialties_pe, doctor_ec):
    """Centres of two provinces and two countries (one inactive), services of both
    countries (one inactive), and a doctor; the slots are made by each example."""
    closed = Centre.objects.create(country="EC", kind=Centre.Kind.MEDICAL, code="ec-closed",
                                   name="Centro cerrado", subdivision_code="170150",
                                   address="-", is_active=False)
    Service.objects.filter(pk=specialties_ec["psychology"].pk).update(is_active=False)
    return {"centres": [clinic_ec, clinic_gye, clinic_pe, closed],
            "services": {"EC": [specialties_ec[c] for c in ("general_medicine", "dentistry",
                                                            "psychology")],
                         "PE": [specialties_pe["general_medicine"]]},
            "doctor": doctor_ec}


SLOT = st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(-30, 24 * 12),
                 st.integers(1, 2), st.integers(0, 2), st.booleans(), st.booleans(),
                 st.sampled_from([None, -10, 0, 10]))  # a hold ending that many minutes on
FILTERS = st.fixed_dictionaries({}, optional={
    "country": st.sampled_from(["EC", "PE"]),
    "service": st.sampled_from(["general_medicine", "dentistry", "psychology", "nope"]),
    "kind": st.sampled_from(["medical", "office"]),
    "place": st.sampled_from(["17", "1701", "09", "15", "1", "_"]),
    "centre": st.integers(0, 3),
    "doctor": st.just(True),
    "date_from": st.integers(0, 6),
    "date_to": st.integers(0, 8),
})


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(slots=st.lists(SLOT, max_size=25), filters=FILTERS, limit=st.integers(1, 30))
def test_r_apt_03_slot_search_rows_are_the_orm_free_slots(landscape, slots, filters, limit):
    """The API's statement (``slots_free_rows``) returns the slots ``slots_free`` defines as
    free, in the same order, whatever the filters."""
    Slot.objects.all().delete()
    for centre_i, service_i, hours, capacity, booked, is_open, with_doctor, hold in slots:
        centre = landscape["centres"][centre_i]
        services = landscape["services"]["PE" if centre.country == "PE" else "EC"]
        starts = NOW + timedelta(hours=hours, minutes=len(Slot.objects.all()))
        Slot.objects.create(centre=centre, service=services[service_i % len(services)],
                            starts_at=starts, ends_at=starts + timedelta(minutes=20),
                            capacity=capacity, booked_count=min(booked, capacity),
                            is_open=is_open,
                            doctor=landscape["doctor"] if with_doctor else None,
                            held_until=None if hold is None else NOW + timedelta(minutes=hold))
    args: dict = {"now": NOW, "country": filters.get("country"),
                  "service": filters.get("service"), "kind": filters.get("kind"),
                  "place": filters.get("place")}
    if "centre" in filters:
        args["centre"] = landscape["centres"][filters["centre"]]
    if "doctor" in filters:
        args["doctor"] = landscape["doctor"]
    if "date_from" in filters:
        args["date_from"] = date(2030, 4, 29) + timedelta(days=filters["date_from"])
    if "date_to" in filters:
        args["date_to"] = date(2030, 4, 29) + timedelta(days=filters["date_to"])
    expected = list(selectors.slots_free(**args)[:limit])
    rows = selectors.slots_free_rows(limit=limit, **args)
    assert [r.public_id for r in rows] == [s.public_id for s in expected]
    for row, slot in zip(rows, expected, strict=True):
        assert (row.starts_at, row.ends_at, row.free) == (slot.starts_at, slot.ends_at,
                                                          slot.free)
        assert (row.centre_public_id, row.centre_name, row.service_code,
                row.doctor_public_id) == (slot.centre.public_id, slot.centre.name,
                                          slot.service.code,
                                          slot.doctor.public_id if slot.doctor else None)


def test_r_apt_03_slot_search_json_is_the_declared_schema(client, med_slot, clinic_gye,
                                                          specialties_ec, make_med_slot):
    """The search writes its JSON itself: every item validates against ``SlotOut`` and
    carries the centre's local time with its offset."""
    from ventanilla.scheduling.api.schemas import SlotOut

    start = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    make_med_slot(clinic_gye, specialties_ec["dentistry"], start)
    items = client.get("/api/v1/slots", {"country": "EC", "kind": "medical",
                                         "date_from": "2026-01-01", "date_to": "2026-03-31"})
    assert items.status_code == 200 and items.json() == []
    r = client.get("/api/v1/slots", {"country": "EC", "kind": "medical"},
                   HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/json")
    (item,) = r.json()
    SlotOut.model_validate(item)
    assert item["starts_at"] == start.astimezone(
        timezone.get_fixed_timezone(-300)).isoformat()
    assert item["service"] == {"code": "dentistry", "kind": "medical", "name": "Dentistry"}
    assert item["doctor"] is None and item["free"] == 1


def test_r_apt_03_booking_json_is_what_reading_it_back_gives(client, make_affiliate,
                                                            clinic_ec, general_ec,
                                                            doctor_ec, make_med_slot):
    """The booking's 201 is written straight to JSON; it validates against
    ``AppointmentOut`` and equals the appointment read back through the schema."""
    from ventanilla.scheduling.api.schemas import AppointmentOut

    ana = make_affiliate()
    slot = make_med_slot(clinic_ec, general_ec,
                         (timezone.now() + timedelta(days=3)).replace(microsecond=0),
                         doctor=doctor_ec)
    r = client.post("/api/v1/appointments", {"slot": str(slot.public_id)},
                    content_type="application/json", **bearer(ana))
    assert r.status_code == 201, r.content
    AppointmentOut.model_validate(r.json())
    again = client.get(f"/api/v1/appointments/{r.json()['id']}", **bearer(ana))
    assert again.status_code == 200
    assert r.json() == again.json()
    # the cancellation is written straight to JSON as well
    r = client.post(f"/api/v1/appointments/{r.json()['id']}/cancel", **bearer(ana))
    assert r.status_code == 200, r.content
    AppointmentOut.model_validate(r.json())
    assert r.json()["status"] == "cancelled"
    assert r.json() == client.get(f"/api/v1/appointments/{r.json()['id']}",
                                  **bearer(ana)).json()


def test_booking_get_for_loads_what_the_orm_loads(make_affiliate, clinic_ec, general_ec,
                                                  doctor_ec, make_med_slot):
    """``booking_get_for`` (one statement written once) gives the booking with the related
    rows ``bookings_of`` reads, field for field; nobody else's booking; the kind filter."""
    from ventanilla.scheduling import services
    from ventanilla.scheduling.tests.conftest import cedula

    holder = make_affiliate()
    child = make_affiliate(id_number=cedula("170000029"), given_names="Tomás",
                           date_of_birth=date(2015, 3, 1), with_clave=False,
                           holder=holder.affiliations.get(), relationship="child")
    other = make_affiliate(id_number=cedula("090000001"), email="o@example.com")
    slot = make_med_slot(clinic_ec, general_ec, datetime(2030, 5, 6, 13, 0, tzinfo=UTC),
                         doctor=doctor_ec)
    booking = services.booking_create(slot=slot, person=holder, booked_for=child,
                                      channel="web", now=NOW)
    orm = selectors.bookings_of(holder).get(pk=booking.pk)
    for who in (holder, child):
        got = selectors.booking_get_for(who, booking.public_id, kind="medical")
        assert got is not None
        assert _fields(got) == _fields(orm)
        for path in ("slot", "booked_for", "person"):
            assert _fields(getattr(got, path)) == _fields(getattr(orm, path))
        for path in ("centre", "service", "doctor"):
            assert _fields(getattr(got.slot, path)) == _fields(getattr(orm.slot, path))
        assert got.case is None
    assert selectors.booking_get_for(other, booking.public_id) is None
    assert selectors.booking_get_for(holder, booking.public_id, kind="office") is None
    assert selectors.booking_get_for(holder, "not-a-uuid") is None


def test_rawsql_loads_the_instances_the_orm_loads(med_slot, make_affiliate):
    """``rawsql`` rows become the same instances as the ORM's (types converted on SQLite:
    datetimes, UUIDs, booleans, decimals), and the hot path's readers return them."""
    from ventanilla.accounts.signin import api_token_issue, api_token_user
    from ventanilla.affiliation.selectors import affiliation_on

    slot = selectors.slot_get(med_slot.public_id)
    orm = Slot.objects.select_related("centre", "service", "doctor").get(pk=med_slot.pk)
    assert _fields(slot) == _fields(orm)
    for attr in ("centre", "service", "doctor"):
        assert _fields(getattr(slot, attr)) == _fields(getattr(orm, attr))
    assert isinstance(slot.public_id, UUID) and isinstance(slot.centre.latitude, type(
        orm.centre.latitude))
    assert selectors.slot_get(str(med_slot.public_id)).pk == med_slot.pk
    assert selectors.slot_get("not-a-uuid") is None
    assert selectors.slot_get("8d6f1c1e-3c39-4a43-9a43-0a8a1b2c3d4e") is None

    ana = make_affiliate()
    user = api_token_user(api_token_issue(ana.user))
    assert user.pk == ana.user.pk and user.person.pk == ana.pk
    assert _fields(user.person) == _fields(type(ana).objects.get(pk=ana.pk))
    assert user.account_block_cause is None
    affiliation = affiliation_on(ana, on=date(2030, 5, 6))
    assert affiliation.pk == ana.affiliations.get().pk
    assert affiliation.person.date_of_birth == ana.date_of_birth
    assert affiliation.holder is None


def test_rawsql_insert_saves_what_save_would(med_slot, make_affiliate):
    ana = make_affiliate()
    booking = rawsql.insert(Booking(slot=med_slot, person=ana, booked_for=ana,
                                    channel="api", idempotency_key="k-1"))
    stored = Booking.objects.get(pk=booking.pk)
    assert stored.public_id == booking.public_id and stored.status == "booked"
    assert stored.created_at == booking.created_at and stored.created_at is not None
    assert (stored.slot_id, stored.person_id, stored.idempotency_key) == (
        med_slot.pk, ana.pk, "k-1")
    assert not booking._state.adding


def test_rawsql_insert_from_a_source_inserts_once_per_row_of_it(med_slot, make_affiliate):
    """``insert_sql(source=…)`` (PostgreSQL, after the ``UPDATE`` that took a place): the
    row goes in once per row of the source, and not at all when the source is empty; each
    parameter takes its column's type, NULLs included."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("only the PostgreSQL booking inserts from a WITH query")
    ana = make_affiliate()
    table = connection.ops.quote_name(Slot._meta.db_table)
    # Table name from the model; the value is a parameter.
    sql = (f"WITH chosen AS (SELECT id FROM {table} WHERE id = %s) "
           + rawsql.insert_sql(Booking, connection.vendor, source="chosen"))
    for wanted, found in ((-1, 0), (med_slot.pk, 1)):
        booking = Booking(slot=med_slot, person=ana, booked_for=ana, channel="api",
                          idempotency_key=f"k-{found}")
        with connection.cursor() as cursor:
            cursor.execute(sql, [wanted, *rawsql.insert_values(booking)])
            assert cursor.rowcount == found
            if found:
                rawsql.inserted(booking, cursor)
    stored = Booking.objects.get(person=ana)
    assert stored.pk == booking.pk and stored.public_id == booking.public_id
    assert stored.booked_by_id is None and stored.case_id is None
    assert stored.idempotency_key == "k-1" and stored.created_at == booking.created_at


def test_r_apt_03_a_booking_takes_the_place_and_saves_itself_in_one_statement(
        med_slot, make_affiliate, make_med_slot, specialties_ec):
    """PostgreSQL: the guarded ``UPDATE`` and the ``INSERT`` are one statement; when it
    takes no place it inserts nothing and the booking is refused with the reason. SQLite:
    the same outcome from two statements."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ventanilla.scheduling import services
    from ventanilla.scheduling.errors import AlreadyBooked

    ana = make_affiliate()
    with CaptureQueriesContext(connection) as queries:
        booking = services.booking_create(slot=med_slot, person=ana, channel="api", now=NOW)
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].startswith(("UPDATE", "INSERT", "WITH"))]
    if connection.vendor == "postgresql":
        assert len(writes) == 1, writes
        assert "WITH taken AS (UPDATE" in writes[0] and "INSERT INTO" in writes[0]
    else:
        assert len(writes) == 2, writes
    med_slot.refresh_from_db()
    assert med_slot.booked_count == 1 and booking.slot.booked_count == 1
    assert Booking.objects.get(pk=booking.pk).slot_id == med_slot.pk
    # The same person at the same time (another specialty, so the same-day rule of R-APT-14
    # does not refuse it first): the statement takes nothing and saves nothing.
    same_time = make_med_slot(med_slot.centre, specialties_ec["dentistry"], med_slot.starts_at)
    with pytest.raises(AlreadyBooked):
        services.booking_create(slot=same_time, person=ana, channel="api", now=NOW)
    same_time.refresh_from_db()
    assert same_time.booked_count == 0
    assert Booking.objects.filter(booked_for=ana).count() == 1


def test_r_apt_01_affiliation_on_prefers_current_then_latest_then_first(make_affiliate):
    """The coverage reads one affiliation: the one in force on the date; else the latest
    that started before it (of the country asked); else the person's first one."""
    from ventanilla.affiliation.models import Affiliation
    from ventanilla.affiliation.selectors import affiliation_on

    ana = make_affiliate(starts_on=date(2020, 1, 1), ends_on=date(2021, 12, 31))
    first = ana.affiliations.get()
    later = Affiliation.objects.create(person=ana, country="EC", number="EC-2",
                                       affiliation_type="voluntary",
                                       starts_on=date(2023, 1, 1), ends_on=date(2024, 6, 30))
    current = Affiliation.objects.create(person=ana, country="EC", number="EC-3",
                                         affiliation_type="employee",
                                         starts_on=date(2025, 1, 1))
    assert affiliation_on(ana, on=date(2025, 6, 1)).pk == current.pk
    assert affiliation_on(ana, on=date(2024, 12, 1)).pk == later.pk     # none in force
    assert affiliation_on(ana, on=date(2022, 6, 1), country="EC").pk == first.pk
    assert affiliation_on(ana, on=date(2019, 1, 1)).pk == first.pk      # before them all
    assert affiliation_on(ana, on=date(2025, 6, 1), country="PE").pk == first.pk


def test_api_requests_take_the_shorter_middleware_chain(db):
    """/api/ goes through ``API_MIDDLEWARE`` (security headers, language, sessions, axes)
    and pages through the whole chain (with the Content-Security-Policy)."""
    from io import BytesIO

    from ventanilla.config.wsgi import application

    def get(path, **headers):
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
                   "SERVER_NAME": "testserver", "SERVER_PORT": "80", "HTTP_HOST": "testserver",
                   "wsgi.input": BytesIO(b""), "wsgi.url_scheme": "http",
                   "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
                   **{"HTTP_" + k.upper(): v for k, v in headers.items()}}
        seen = {}

        def start_response(status, response_headers, exc_info=None):
            seen["status"], seen["headers"] = status, dict(response_headers)

        body = b"".join(application(environ, start_response))
        return seen["status"], seen["headers"], body

    status, headers, body = get("/api/v1/countries/XX", accept_language="en")
    assert status.startswith("404")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" not in headers
    assert b"There is no such country" in body or b"country" in body
    _status, _headers, spanish = get("/api/v1/countries/XX")
    assert spanish != body          # translated: Spanish by default, English on request
    status, headers, _body = get("/")
    assert status.startswith("200")
    assert "Content-Security-Policy" in headers


def test_hot_statements_are_prepared_and_the_search_is_planned_each_time(med_slot):
    """With server-side binding (the default on PostgreSQL), a statement used more than
    five times on a connection is prepared, so PostgreSQL stops planning it per request;
    the slot search is kept out (``rawsql.planned_each_time``): its best plan depends on
    its values."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    assert connection.settings_dict["OPTIONS"]["server_side_binding"] is True

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    for _ in range(7):
        assert selectors.slot_get(med_slot.public_id).pk == med_slot.pk
        assert selectors.slots_free_rows(country="EC", now=NOW)
    statements = prepared()
    assert any("WHERE s.public_id = $1" in s for s in statements), statements
    assert not any("s.booked_count < s.capacity - 1" in s for s in statements), statements
    with rawsql.planned_each_time() as cursor:
        cursor.execute("SELECT %s::int + 1", [41])
        assert cursor.fetchone() == (42,)
        assert type(cursor.cursor).__name__ == "ClientCursor"   # values bound here
