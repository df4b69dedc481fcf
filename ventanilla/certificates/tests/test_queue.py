"""The validators' queue (R-CER-05: by the institution's due date, the oldest first), paged
the same on every page: a slice past the first row is read through the queue's index
(``selectors.QueueQuerySet``, bench/certificates.py) and must give exactly the rows a plain
read gives, with their case and patient."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.paginator import Paginator

from ventanilla.certificates import selectors
from ventanilla.certificates.selectors import QueueFilters

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 7)


@pytest.fixture
def five(submit):
    """Five of Ana's certificates, sent on five days: due on five different days."""
    for day in (7, 3, 4, 2, 1):
        submit(now=datetime(2026, 12, day, 15, 0, tzinfo=UTC))


def test_r_cer_05_every_page_of_the_queue_is_the_plain_read_in_due_date_order(five):
    everything = list(selectors.queue("EC", QueueFilters(), today=TODAY))
    assert [c.due_on for c in everything] == [date(2026, 12, 4), date(2026, 12, 7),
                                              date(2026, 12, 8), date(2026, 12, 9),
                                              date(2026, 12, 10)]
    paginator = Paginator(selectors.queue("EC", QueueFilters(), today=TODAY), 2)
    pages = [list(paginator.page(n).object_list) for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [c.pk for p in pages for c in p] == [c.pk for c in everything]


def test_r_cer_05_a_deep_slice_reads_its_rows_with_case_and_patient_in_two_queries(
        five, django_assert_num_queries):
    qs = selectors.queue("EC", QueueFilters(), today=TODAY)
    with django_assert_num_queries(2):   # the page's ids on the index, then its rows
        rows = qs[1:3]
        names = [(c.case.reference, c.patient.given_names) for c in rows]
    assert [n for _ref, n in names] == ["Ana", "Ana"]
    assert [c.due_on for c in rows] == [date(2026, 12, 7), date(2026, 12, 8)]


def test_r_cer_05_filters_hold_on_a_deep_slice(five):
    overdue = selectors.queue("EC", QueueFilters(overdue_only=True), today=TODAY)
    assert [c.due_on for c in overdue[1:]] == []
    assert [c.due_on for c in overdue[0:]] == [date(2026, 12, 4)]
    merced = selectors.queue("EC", QueueFilters(centre="la merced"), today=TODAY)
    assert len(merced[3:]) == 2
    assert selectors.queue("EC", QueueFilters(centre="Zzz"), today=TODAY)[1:] == []
    assert selectors.queue("PE", QueueFilters(), today=TODAY)[1:] == []
