"""Reads of certificates: the person's own, the validators' queue, the facts for checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db.models import Min, Q, QuerySet
from django.db.models.functions import Coalesce
from django.db.models.query import ModelIterable
from django.utils.translation import gettext as _

from ventanilla.accounts.authz import staff_acting
from ventanilla.cases import rules as case_rules
from ventanilla.cases.selectors import case_history

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


class QueueQuerySet(QuerySet[Certificate]):
    """The queue, paged cheaply however it is paged (``Paginator``, ``qs[a:b]``): a slice
    past the first row reads the page's ids on the queue's index first (an index-only
    scan skips the offset's entries), then only those rows with their case and patient.
    A plain OFFSET read every skipped row, joins and all: page 600 of 1,200 took 0.8 s
    where page 1 took 1 ms (bench/certificates.py). The desk itself pages by keys
    (``queue_page``); the API's offsets use this."""

    def __getitem__(self, k):
        if (isinstance(k, slice) and k.start and k.step is None and self._result_cache is None
                and self._iterable_class is ModelIterable and not self.query.is_sliced):
            ids = list(self.values_list("pk", flat=True)[k])
            rows = {row.pk: row for row in self.filter(pk__in=ids)}
            return [rows[pk] for pk in ids if pk in rows]
        return super().__getitem__(k)


def queue(country: str, filters: QueueFilters, *, today: date) -> QuerySet[Certificate]:
    """The validators' queue of a country: by due date, the oldest first."""
    qs: QuerySet[Certificate] = QueueQuerySet(Certificate).filter(
        country=country, source=Certificate.Source.PRIVATE)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.overdue_only:
        qs = qs.filter(due_on__lt=today)
    qs = qs.select_related(*_LIST_RELATED)
    if filters.centre:
        # A part of a name: PostgreSQL finds the matches with a trigram index (migration
        # 0002) and sorts them, rather than walk the due-date index to the end when few
        # match; the same order, as an expression the planner cannot take from the index.
        qs = qs.filter(establishment__icontains=filters.centre)
        return qs.order_by(Coalesce("due_on", "due_on"), "id")
    return qs.order_by("due_on", "id")


@dataclass(frozen=True)
class QueueCounts:
    waiting: int
    overdue: int
    oldest_due: date | None


def queue_counts(country: str, *, today: date) -> QueueCounts:
    """The certificates of a country waiting, how many are overdue, the oldest due date.

    Three reads that the queue's index (country, source, status, due_on, id, kind)
    answers alone; the oldest is the index's first entry; one aggregate with a FILTER made
    PostgreSQL scan the table instead."""
    waiting = Certificate.objects.filter(country=country, source=Certificate.Source.PRIVATE,
                                         status=Certificate.Status.SUBMITTED)
    return QueueCounts(waiting=waiting.count(),
                       overdue=waiting.filter(due_on__lt=today).count(),
                       oldest_due=waiting.aggregate(oldest=Min("due_on"))["oldest"])


def queue_next(country: str, filters: QueueFilters, *, today: date,
               after: Certificate | None = None) -> Certificate | None:
    """The next certificate to open after a decision: the first still waiting."""
    qs = queue(country, filters, today=today).filter(status=Certificate.Status.SUBMITTED)
    if after is not None:
        qs = qs.exclude(pk=after.pk)
    return qs.first()


QUEUE_PAGE_SIZE = 50


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue, found from a neighbour's position (keyset: no OFFSET and no
    COUNT, so page 2,000 of 100,000 is as fast as the first). ``after`` / ``before`` are the
    references to ask for the next / the previous page with, empty on the last / first."""

    rows: list[Certificate]
    after: str
    before: str


def _anchor(country: str, reference: str) -> Certificate | None:
    where = _by_reference(reference) if reference else None
    if where is None:
        return None
    return (Certificate.objects.filter(where, country=country)
            .only("pk", "due_on").first())


# (due_on, id) after / before the anchor's. The outer range on due_on alone is what lets
# the queue's index start at the anchor: with only the OR, PostgreSQL read every row
# before it (200 ms at 100,000).
def _later_than(anchor: Certificate) -> Q:
    if anchor.due_on is None:
        return Q(pk__gt=anchor.pk)
    return Q(due_on__gte=anchor.due_on) & (Q(due_on__gt=anchor.due_on) | Q(pk__gt=anchor.pk))


def _earlier_than(anchor: Certificate) -> Q:
    if anchor.due_on is None:
        return Q(pk__lt=anchor.pk)
    return Q(due_on__lte=anchor.due_on) & (Q(due_on__lt=anchor.due_on) | Q(pk__lt=anchor.pk))


def _rows(qs, size: int) -> list[Certificate]:
    """The first ``size`` rows of ``qs``, found on the certificates alone and then read
    with their case and patient: PostgreSQL otherwise joined every match before keeping
    the first 51 (180 ms for a centre that 30,000 certificates name)."""
    ids = list(qs.values_list("pk", flat=True)[:size])
    found = Certificate.objects.select_related(*_LIST_RELATED).in_bulk(ids)
    return [found[pk] for pk in ids]


def queue_page(country: str, filters: QueueFilters, *, today: date, after: str = "",
               before: str = "", size: int = QUEUE_PAGE_SIZE) -> QueuePage:
    """A page of ``queue``: the first, the one after the certificate ``after`` or the one
    before the certificate ``before`` (references; an unknown one gives the first page)."""
    qs = queue(country, filters, today=today)
    anchor_after = _anchor(country, after)
    anchor_before = None if anchor_after else _anchor(country, before)
    if anchor_before is not None:
        rows = _rows(qs.filter(_earlier_than(anchor_before)).reverse(), size + 1)
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        return QueuePage(rows, after=rows[-1].case.reference if rows else "",
                         before=rows[0].case.reference if rows and more_before else "")
    if anchor_after is not None:
        qs = qs.filter(_later_than(anchor_after))
    rows = _rows(qs, size + 1)
    more_after = len(rows) > size
    rows = rows[:size]
    return QueuePage(rows, after=rows[-1].case.reference if rows and more_after else "",
                     before=rows[0].case.reference if rows and anchor_after else "")


def queue_after(country: str, filters: QueueFilters, *, today: date,
                cert: Certificate) -> Certificate | None:
    """The certificate after ``cert`` in the filtered queue (to skip one, undecided)."""
    return queue(country, filters, today=today).filter(_later_than(cert)).first()


def certificates_of_bookings(bookings) -> dict[int | None, Certificate]:
    """The institution's certificates issued for these bookings, by booking id (one query
    for a day's list)."""
    ids = [b.pk for b in bookings]
    if not ids:
        return {}
    return {c.booking_id: c for c in Certificate.objects.select_related("case")
            .filter(booking_id__in=ids)}


def _event_texts() -> dict[str, str]:
    return {
        "opened": _("Case opened"),
        "certificate_submitted": _("Certificate submitted for validation"),
        "certificate_corrected": _("Certificate corrected and submitted again"),
        "certificate_validated": _("Certificate validated"),
        "certificate_rejected": _("Certificate rejected"),
        "certificate_returned": _("Certificate sent back for a correction"),
        "certificate_issued": _("Certificate issued by the institution's medical unit"),
    }


def certificate_history(cert: Certificate, *, public_only: bool = True) -> list[dict]:
    """The case's history in words (``cases.selectors.case_history`` knows the
    registration's events; the certificates' are worded here)."""
    texts = _event_texts()
    history = case_history(cert.case, public_only=public_only)
    for event in history:
        if event["code"] in texts:
            event["text"] = texts[event["code"]]
    return history


def current_files(cert: Certificate) -> dict:
    return {f.role: f for f in cert.files.filter(is_current=True)}


def file_get(cert: Certificate, public_id: UUID | str):
    return cert.files.filter(public_id=public_id).first()
