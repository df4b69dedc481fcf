from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Q

from ventanilla.core import rawsql
from ventanilla.countries.registry import get_pack

from . import rules
from .models import Affiliation


@functools.cache
def _affiliation_on_sql(vendor: str, *, country: bool) -> str:
    from ventanilla.people.models import Person

    aff, per = rawsql.columns(Affiliation), rawsql.columns(Person)
    mine = "a.country = %s AND a.starts_on <= %s" if country else "a.starts_on <= %s"
    # Table names come from the models; every value is a parameter.
    return (f"SELECT {aff.select('a')}, {aff.select('h')}, {per.select('hp')}"  # noqa: S608
            f" FROM {aff.table} a LEFT JOIN {aff.table} h ON h.id = a.holder_id"
            f" LEFT JOIN {per.table} hp ON hp.id = h.person_id"
            f" WHERE a.person_id = %s ORDER BY"
            f" CASE WHEN {mine} AND (a.ends_on IS NULL OR a.ends_on >= %s) THEN 0"
            f" WHEN {mine} THEN 1 ELSE 2 END,"
            f" CASE WHEN {mine} THEN a.starts_on END DESC, a.starts_on, a.id LIMIT 1")


def affiliation_on(person, *, on: date, country: str | None = None) -> Affiliation | None:
    """The affiliation in force on ``on``, else the latest one that started before it
    (of ``country`` when given), else the person's first one. Its person is ``person``
    itself; the holder's affiliation and person come in the same statement, written once
    (coverage needs their dates of birth; every booking asks)."""
    from ventanilla.people.models import Person

    day = connection.ops.adapt_datefield_value(on)
    mine = [country, day] if country else [day]
    with connection.cursor() as cursor:
        cursor.execute(_affiliation_on_sql(connection.vendor, country=bool(country)),
                       [person.pk, *mine, day, *mine, *mine])
        row = cursor.fetchone()
    if row is None:
        return None
    affiliation, holder, holder_person = rawsql.load_row(
        row, Affiliation, Affiliation, Person, optional={1, 2})
    Affiliation.person.field.set_cached_value(affiliation, person)
    if holder is not None:
        Affiliation.person.field.set_cached_value(holder, holder_person)
    Affiliation.holder.field.set_cached_value(affiliation, holder)
    return affiliation


def affiliation_get_by_number(*, country: str, number: str) -> Affiliation | None:
    """The latest affiliation of ``country`` under ``number`` (staff look-ups), with its
    person."""
    return (Affiliation.objects.select_related("person")
            .filter(country=country, number=number).order_by("-starts_on").first())


def _facts(affiliation: Affiliation, on: date) -> rules.AffiliationFacts:
    kind = get_pack(affiliation.country).affiliation_type(affiliation.affiliation_type)
    if kind is None:
        raise ValueError(f"unknown affiliation type {affiliation.affiliation_type!r}")
    holder = _facts(affiliation.holder, on) if affiliation.holder is not None else None
    unpaid = None
    if kind.lapses_after_days_unpaid is not None:
        from ventanilla.contributions.selectors import unpaid_since

        unpaid = unpaid_since(affiliation, on=on)
    return rules.AffiliationFacts(
        affiliation_type=kind, born=affiliation.person.date_of_birth,
        starts_on=affiliation.starts_on, ends_on=affiliation.ends_on,
        relationship=affiliation.relationship, holder=holder, unpaid_since=unpaid)


def coverage_for(person, *, on: date, service: rules.Service = rules.Service.HEALTH,
                 country: str | None = None) -> rules.Coverage:
    """The one question every channel asks: is this person covered for this service on this
    date, and if not, why (R-APT-01, R-DEP-01)."""
    affiliation = affiliation_on(person, on=on, country=country)
    return rules.coverage(_facts(affiliation, on) if affiliation else None, on=on,
                          service=service)


def foreign_residents_without_coverage(*, country: str, on: date) -> list[tuple]:
    """R-ID-03: affiliation is mandatory for foreign residents (Ley Orgánica de Movilidad
    Humana, Ecuador), so a lapse threatens their residency: staff see who is affected.
    Returns (person, affiliation, coverage) for foreign residents not covered on ``on``."""
    from ventanilla.people.models import Person

    pack = get_pack(country)
    foreign_types = [t.code for t in pack.id_types if t.for_foreigners]
    people = (Person.objects.filter(country=pack.code, registration_number__isnull=False)
              .filter(Q(id_type__in=foreign_types) | ~Q(nationality=pack.code))
              .exclude(residency_document=""))
    out = []
    for person in people.order_by("family_names", "given_names"):
        affiliation = affiliation_on(person, on=on, country=pack.code)
        result = rules.coverage(_facts(affiliation, on) if affiliation else None, on=on)
        if not result.covered:
            out.append((person, affiliation, result))
    return out


@dataclass(frozen=True)
class Overview:
    """What a person sees first (R-APT-03): who they are to the health system today."""

    affiliation: Affiliation | None
    type_label: str
    coverage: rules.Coverage
    appointments: rules.Coverage
    holder_name: str = ""      # for a dependant: the affiliate they depend on


def affiliate_overview(person, *, on: date) -> Overview:
    affiliation = affiliation_on(person, on=on, country=person.country)
    facts = _facts(affiliation, on) if affiliation else None
    label = ""
    if affiliation is not None:
        kind = get_pack(affiliation.country).affiliation_type(affiliation.affiliation_type)
        label = str(kind.label) if kind else affiliation.affiliation_type
    return Overview(
        affiliation=affiliation, type_label=label,
        coverage=rules.coverage(facts, on=on),
        appointments=rules.coverage(facts, on=on, service=rules.Service.APPOINTMENTS),
        holder_name=(affiliation.holder.person.full_name
                     if affiliation is not None and affiliation.holder is not None else ""))


@dataclass(frozen=True)
class PlanStatusAnswer:
    plan: str
    status: rules.PlanStatus
    status_label: str
    since: date


def plan_status_lookup(*, country: str, id_type: str, id_number: str, on: date
                       ) -> PlanStatusAnswer | None:
    """R-AFF-08: the public lookup by ID number of a plan whose status is public (SIS).
    Gives the plan and its status only: no name, no address. None when there is none."""
    from ventanilla.people.selectors import person_find

    pack = get_pack(country)
    number = pack.validate_id(id_type, id_number)
    person = person_find(country=pack.code, id_type=id_type, id_number=number)
    if person is None:
        return None
    affiliation = affiliation_on(person, on=on, country=pack.code)
    kind = pack.affiliation_type(affiliation.affiliation_type) if affiliation else None
    if affiliation is None or kind is None or not kind.public_status_lookup:
        return None
    status = rules.plan_status(rules.coverage(_facts(affiliation, on), on=on))
    return PlanStatusAnswer(plan=str(kind.label), status=status,
                            status_label=str(rules.PLAN_STATUS_LABELS[status]),
                            since=affiliation.starts_on)
