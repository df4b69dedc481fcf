"""The worker outlives the database (issue 11, "Staying up"): a database error makes it wait
and carry on, not exit; a task it had claimed goes back to the queue; a task whose worker
died runs again; a task that met a database error runs again. End to end, with real
processes and real terminated connections: tests/chaos/."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.tasks import task
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ventanilla.notifications import outbox, worker
from ventanilla.notifications.models import OutboundMessage

from .test_outbox import hello

# The worker runs outside any transaction, as in production (it closes stale connections
# between rounds, which a test transaction would not survive).
pytestmark = pytest.mark.django_db(transaction=True)

RUNS: list[str] = []


@task()
def remember(*, word: str) -> str:
    RUNS.append(word)
    return word


@task()
def database_trouble() -> None:
    RUNS.append("trouble")
    raise OperationalError("terminating connection due to administrator command")


@pytest.fixture
def db_tasks(settings):
    """Tasks really queued in the database (the test settings run them immediately)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.NOTIFICATION_DELIVER_INLINE = False
    RUNS.clear()
    yield


def _worker(**kwargs) -> worker.ResilientWorker:
    options = {"queue_names": ["default"], "interval": 0, "batch": True,
               "backend_name": "default", "startup_delay": False, "max_tasks": None,
               "worker_id": "test-worker", "excluded_queue_names": []}
    return worker.ResilientWorker(**{**options, **kwargs})


def test_a_database_error_makes_the_worker_wait_and_carry_on(db_tasks, smtp, monkeypatch):
    hello.queue(to="ana@example.com", name="Ana")
    remember.enqueue(word="after the outage")
    real = outbox.deliveries_send_due
    failures = iter([OperationalError("server closed the connection unexpectedly")] * 2)

    def flaky(**kwargs):
        error = next(failures, None)
        if error is not None:
            raise error
        return real(**kwargs)

    monkeypatch.setattr(outbox, "deliveries_send_due", flaky)
    pauses: list[float] = []
    w = _worker()
    monkeypatch.setattr(w, "_sleep", pauses.append)
    w.run()  # batch: returns once there is nothing left, instead of dying on the first error
    assert pauses[:2] == [1.0, 2.0]  # growing pauses while the database is away
    assert [m["To"] for m in smtp.inbox.wait_for(1)] == ["ana@example.com"]
    assert OutboundMessage.objects.get().status == "sent"
    assert RUNS == ["after the outage"]


def test_a_task_claimed_when_the_database_went_away_goes_back_to_the_queue(db_tasks,
                                                                           monkeypatch):
    result = remember.enqueue(word="once")
    w = _worker()
    real_run_task = w.run_task
    calls = {"n": 0}

    def dies_first(db_task_result):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("the connection was lost while recording the result")
        return real_run_task(db_task_result)

    monkeypatch.setattr(w, "run_task", dies_first)
    monkeypatch.setattr(w, "_sleep", lambda s: None)
    w.run()
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL and RUNS == ["once"]
    assert row.worker_ids == ["test-worker", "test-worker"]


def test_a_task_that_met_a_database_error_runs_again_later(db_tasks, monkeypatch):
    result = database_trouble.enqueue()
    w = _worker()
    w.step()
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == TaskResultStatus.READY and row.run_after > timezone.now()
    assert RUNS == ["trouble"]


def test_a_task_whose_worker_died_runs_again(db_tasks, settings):
    settings.TASK_STALE_SECONDS = 600
    result = remember.enqueue(word="again")
    DBTaskResult.objects.filter(id=result.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=["killed"],
        started_at=timezone.now() - timedelta(minutes=11))
    fresh = remember.enqueue(word="still running")
    DBTaskResult.objects.filter(id=fresh.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=["alive"],
        started_at=timezone.now() - timedelta(minutes=2))
    assert worker.requeue_stale_tasks() == 1
    _worker().run()
    assert RUNS == ["again"]
    assert DBTaskResult.objects.get(id=fresh.id).status == TaskResultStatus.RUNNING
