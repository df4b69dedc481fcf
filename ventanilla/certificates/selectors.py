"""Reads of certificates: the person's own, the validators' queue, the facts for checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db.models import Count, Min, Q, QuerySet
from django.db.models.query import ModelIterable

from ventanilla.accounts.authz import staff_acting
from ventanilla.cases import rules as case_rules

from .checks import OtherRest, PatientFacts
from .errors import CertificateNotFound
from .models import Certificate

_LIST_RELATED = ("case", "patient")


def patient_facts(person) -> PatientFacts:
    return PatientFacts(country=person.country, id_type=person.id_type,
                        id_number=person.id_number, given_names=person.given_names,
                        family_names=person.family_names)


def other_rests(patient, *, exclude: Certificate | None = None) -> list[OtherRest]:
    """The patient's other certificates that still count (not rejected)."""
    qs = Certificate.objects.filter(patient=patient).exclude(status=Certificate.Status.REJECTED)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    # three columns, no model instances: it runs on every check (bench/certificates.py)
    rows = qs.order_by("rest_start").values_list("case__reference", "rest_start", "rest_end")
    return [OtherRest(reference, start, end) for reference, start, end in rows[:200]]


def patients_of(person):
    """The people ``person`` may submit certificates for: themself and their dependants."""
    from ventanilla.scheduling.selectors import people_bookable_by

    return people_bookable_by(person)


def certificates_of(person) -> QuerySet[Certificate]:
    """The certificates a person submitted and those about them or their dependants."""
    return (Certificate.objects.select_related(*_LIST_RELATED)
            .filter(Q(submitted_by=person) | Q(patient__in=patients_of(person)))
            .order_by("-created_at", "-pk"))


def _by_reference(reference: str) -> Q | None:
    ref = case_rules.reference_normalise(reference)
    if not case_rules.reference_is_well_formed(ref):
        return None
    return Q(case__reference=ref)


def certificate_get_for(person, reference: str) -> Certificate:
    """One of the person's certificates; any other answers as one that does not exist."""
    where = _by_reference(reference)
    cert = certificates_of(person).filter(where).first() if where is not None else None
    if cert is None:
        raise CertificateNotFound()
    return cert


def certificate_get_for_staff(actor, reference: str, *,
                              perm: str = "certificates.view_certificate") -> Certificate:
    """A certificate for a staff member of its country (another country's: not found)."""
    staff_acting(actor, perm=perm, country=None)
    where = _by_reference(reference)
    cert = (Certificate.objects.select_related("case", "patient", "submitted_by", "decided_by")
            .filter(where).first() if where is not None else None)
    if cert is None:
        raise CertificateNotFound()
    staff_acting(actor, perm=perm, country=cert.country, other_country=CertificateNotFound)
    return cert


@dataclass(frozen=True)
class QueueFilters:
    status: str = Certificate.Status.SUBMITTED
    kind: str = ""
    centre: str = ""      # the establishment's name, as typed (contains)
    overdue_only: bool = False


def _queue_rows(country: str, filters: QueueFilters, *, today: date) -> QuerySet[Certificate]:
    qs = Certificate.objects.filter(country=country, source=Certificate.Source.PRIVATE)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.centre:
        # PostgreSQL answers it from a trigram index (migration 0002)
        qs = qs.filter(establishment__icontains=filters.centre)
    if filters.overdue_only:
        qs = qs.filter(due_on__lt=today)
    return qs.order_by("due_on", "id")


class QueueQuerySet(QuerySet[Certificate]):
    """The queue, paged cheaply however it is paged (``Paginator``, ``qs[a:b]``): a slice
    past the first row reads the page's ids on the queue's index first (an index-only
    scan skips the offset's entries), then only those rows with their case and patient.
    A plain OFFSET read every skipped row, joins and all: page 600 of 1,200 took 0.8 s
    where page 1 took 1 ms (bench/certificates.py)."""

    def __getitem__(self, k):
        if (isinstance(k, slice) and k.start and k.step is None and self._result_cache is None
                and self._iterable_class is ModelIterable and not self.query.is_sliced):
            ids = list(self.values_list("pk", flat=True)[k])
            rows = {row.pk: row for row in self.filter(pk__in=ids)}
            return [rows[pk] for pk in ids if pk in rows]
        return super().__getitem__(k)


def queue(country: str, filters: QueueFilters, *, today: date) -> QuerySet[Certificate]:
    """The validators' queue of a country: by due date, the oldest first (pages: see
    ``QueueQuerySet``)."""
    qs: QuerySet[Certificate] = QueueQuerySet(Certificate).filter(
        country=country, source=Certificate.Source.PRIVATE)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.centre:
        # PostgreSQL answers it from a trigram index (migration 0002)
        qs = qs.filter(establishment__icontains=filters.centre)
    if filters.overdue_only:
        qs = qs.filter(due_on__lt=today)
    return qs.select_related(*_LIST_RELATED).order_by("due_on", "id")


@dataclass(frozen=True)
class QueueCounts:
    waiting: int
    overdue: int
    oldest_due: date | None


def queue_counts(country: str, *, today: date) -> QueueCounts:
    row = (Certificate.objects.filter(country=country, source=Certificate.Source.PRIVATE,
                                      status=Certificate.Status.SUBMITTED)
           .aggregate(waiting=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)),
                      oldest=Min("due_on")))
    return QueueCounts(row["waiting"], row["overdue"], row["oldest"])


def queue_next(country: str, filters: QueueFilters, *, today: date,
               after: Certificate | None = None) -> Certificate | None:
    """The next certificate to open after a decision: the first still waiting."""
    qs = queue(country, filters, today=today).filter(status=Certificate.Status.SUBMITTED)
    if after is not None:
        qs = qs.exclude(pk=after.pk)
    return qs.first()


def current_files(cert: Certificate) -> dict:
    return {f.role: f for f in cert.files.filter(is_current=True)}


def file_get(cert: Certificate, public_id: UUID | str):
    return cert.files.filter(public_id=public_id).first()
