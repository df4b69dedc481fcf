"""Races that only a real database can show (PostgreSQL; skipped on SQLite)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from conftest import VALID_EC
from ventanilla.cases.models import CaseStatus
from ventanilla.registration import services
from ventanilla.registration.errors import AlreadyRegistered
from ventanilla.registration.models import Application

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests run on PostgreSQL (set DATABASE_URL)")


def _race(n, fn):
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = fn(i)
        except Exception as exc:  # collected and asserted below
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_two_applications_for_the_same_id_submitted_at_once_only_one_wins(make_application):
    apps = [make_application("EC", state="complete", email=f"p{i}@example.com",
                             answers=VALID_EC) for i in range(6)]
    results = _race(6, lambda i: services.application_submit(application=apps[i],
                                                             declaration=True))
    winners = [r for r in results if isinstance(r, Application)]
    losers = [r for r in results if isinstance(r, AlreadyRegistered)]
    assert len(winners) == 1 and len(losers) == 5, results
    assert Application.objects.filter(status=CaseStatus.SUBMITTED).count() == 1


def test_registration_numbers_are_unique_and_gap_free_under_contention():
    from ventanilla.core.counters import counter_next

    results = _race(8, lambda i: [counter_next("race") for _ in range(10)])
    numbers = sorted(n for r in results for n in r)
    assert numbers == list(range(1, 81))
