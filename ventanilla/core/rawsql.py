"""Model instances from hand-written SQL, for the few statements on the hot paths.

The ORM builds and compiles a query on every call, which costs more Python time than
PostgreSQL spends running a key lookup (docs/scheduling.md, "Performance"). The busiest
requests (a booking, a slot search, the API token) therefore send statements written once,
and this module turns their rows back into model instances: ``Columns(Model)`` lists a
model's columns for a ``SELECT`` and loads them from a row with the same converters the
ORM applies (on SQLite, text becomes datetimes, UUIDs and booleans), so callers get the
objects the ORM would have given them.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Collection, Iterator
from typing import Any
from uuid import UUID

from django.db import connection
from django.db.models import Model


class Columns[M: Model]:
    """The concrete columns of ``model``, in a fixed order."""

    def __init__(self, model: type[M]):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.table = connection.ops.quote_name(model._meta.db_table)

    def select(self, alias: str) -> str:
        """``alias."col", …`` for a SELECT list."""
        q = connection.ops.quote_name
        return ", ".join(f"{alias}.{q(str(f.column))}" for f in self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    def load_or_none(self, row, start: int = 0) -> M | None:
        """The instance of the columns at ``row[start:start + len(self)]``, None when the
        primary key is NULL (an outer join that found nothing)."""
        values = list(row[start:start + len(self.fields)])
        if values[self.pk_index] is None:
            return None
        for i, convert in _converters(self.model, connection.vendor):
            values[i] = convert(values[i])
        return self.model.from_db(connection.alias, self.attnames, values)

    def load(self, row, start: int = 0) -> M:
        """The instance of the columns at ``row[start:start + len(self)]``."""
        instance = self.load_or_none(row, start)
        if instance is None:
            raise ValueError(f"no {self.model.__name__} in this row")
        return instance

    @functools.cached_property
    def pk_index(self) -> int:
        return self.attnames.index(self.model._meta.pk.attname)


def value(model: type[Model], field_name: str, raw: Any) -> Any:
    """One column's value converted as the ORM would (for rows that are not instances)."""
    field = model._meta.get_field(field_name)
    for convert in _field_converters(field, connection.vendor):
        raw = convert(raw)
    return raw


def columns[M: Model](model: type[M]) -> Columns[M]:
    return _columns(model)


@functools.cache
def _columns(model):
    return Columns(model)


@functools.cache
def _field_converters(field, vendor: str) -> tuple:
    col = field.get_col(field.model._meta.db_table)
    found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
    return tuple(functools.partial(_apply, c, col) for c in found)


def _apply(convert, expression, raw):
    return convert(raw, expression, connection)


@functools.cache
def _converters(model: type[Model], vendor: str) -> tuple:
    out = []
    for i, field in enumerate(model._meta.concrete_fields):
        chain = _field_converters(field, vendor)
        if chain:
            out.append((i, _chain(chain)))
    return tuple(out)


def _chain(converters: tuple):
    if len(converters) == 1:
        return converters[0]

    def run(raw):
        for convert in converters:
            raw = convert(raw)
        return raw
    return run


@functools.cache
def insert_sql(model: type[Model], vendor: str, *, source: str = "") -> str:
    """The ``INSERT`` of ``insert``, written once per model and vendor; its parameters are
    ``insert_values``. With ``source`` (a table or ``WITH`` query name) the row is inserted
    once per row of ``source``: ``INSERT … SELECT %s, … FROM source``, which inserts nothing
    when ``source`` is empty (PostgreSQL gives each parameter its column's type)."""
    q = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    returning = " RETURNING " + q(str(model._meta.pk.column)) if (
        connection.features.can_return_columns_from_insert) else ""
    params = ", ".join(["%s"] * len(fields))
    # Names come from the model and the caller's SQL; every value is a parameter.
    rows = f"SELECT {params} FROM {source}" if source else f"VALUES ({params})"  # noqa: S608
    return (f"INSERT INTO {q(model._meta.db_table)} "
            f"({', '.join(q(str(f.column)) for f in fields)}) {rows}{returning}")


def insert_values(instance: Model) -> list[Any]:
    """The parameters of ``insert_sql`` for ``instance``: defaults and ``auto_now`` values
    filled in as ``save`` would."""
    return [f.get_db_prep_save(f.pre_save(instance, add=True), connection)
            for f in instance._meta.concrete_fields if not f.primary_key]


def inserted[M: Model](instance: M, cursor) -> M:
    """``instance`` after ``cursor`` ran its ``insert_sql``: the new primary key set, saved
    as ``save`` leaves it."""
    instance.pk = (cursor.fetchone()[0] if connection.features.can_return_columns_from_insert
                   else cursor.lastrowid)
    instance._state.adding = False
    instance._state.db = connection.alias
    return instance


def insert[M: Model](instance: M) -> M:
    """``instance.save(force_insert=True)`` for a model without save() overrides or
    signal receivers, from a statement written once: defaults and ``auto_now`` values are
    filled in as ``save`` would, and the new primary key is set on the instance."""
    with connection.cursor() as cursor:
        cursor.execute(insert_sql(type(instance), connection.vendor), insert_values(instance))
        return inserted(instance, cursor)


@contextlib.contextmanager
def planned_each_time() -> Iterator[Any]:
    """A cursor whose statements are not prepared, even with server-side binding on
    (``DATABASE_SERVER_SIDE_BINDING``): on PostgreSQL a client-side binding cursor, so the
    statement goes with its values and is planned for them every time. For a statement
    whose best plan depends on its values (the slot search: one city's few centres or a
    whole country's slots) the generic plan of a prepared statement is worse, and binding
    on the server without preparing cost more than binding here (docs/scheduling.md,
    "Performance"). Elsewhere, the connection's usual cursor."""
    if connection.vendor != "postgresql" or not connection.settings_dict.get(
            "OPTIONS", {}).get("server_side_binding"):
        with connection.cursor() as cursor:
            yield cursor
        return
    import psycopg
    from psycopg.types.datetime import TimestamptzLoader

    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw: Any = psycopg.ClientCursor(connection.connection)
    # psycopg's own (C) loader instead of Django's Python subclass of it, which only
    # replaces the tzinfo with UTC after the same parse: the same instants, aware, and
    # about a tenth of the search's Python time less (its rows carry two each).
    raw.adapters.register_loader("timestamptz", TimestamptzLoader)
    wrapped = (connection.make_debug_cursor(raw) if connection.queries_logged
               else connection.make_cursor(raw))
    with wrapped as cursor:
        yield cursor


def load_row(row, *models: type[Model], optional: Collection[int] = ()) -> list[Any]:
    """The instances of ``models``, whose columns (``columns(model).select``, in this
    order) follow one another in ``row``. The positions in ``optional`` may give None (an
    outer join that found nothing)."""
    out, at = [], 0
    for i, model in enumerate(models):
        part = columns(model)
        out.append(part.load_or_none(row, at) if i in optional else part.load(row, at))
        at += len(part)
    return out


def public_id_param(model: type[Model], value: Any) -> Any | None:
    """``value`` as the database parameter of ``model.public_id``, or None when it is not a
    UUID (so a malformed id finds nothing instead of raising)."""
    try:
        key = value if isinstance(value, UUID) else UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None
    field: Any = model._meta.get_field("public_id")
    return field.get_db_prep_value(key, connection)
