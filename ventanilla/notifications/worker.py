"""The background worker (``ventanilla worker``): sends the outbox and runs queued tasks.

It outlives the database. django-tasks-db's own worker exits on the first database error,
and a killed worker leaves its task "running" for ever; this loop:

- sends what is due in the outbox (``outbox.deliveries_send_due``), then runs one queued
  task (django-tasks-db's claim and run), then sleeps ``interval`` when there was nothing;
- on a database error (a terminated connection, a restart, a failover) drops the
  connection, waits with growing pauses (1 s … 30 s) and carries on; a task it had claimed
  is put back in the queue once the database answers again;
- puts back in the queue a task found running for longer than ``TASK_STALE_SECONDS``: its
  worker died (every task of the project is idempotent, so running one twice is safe).

A worker killed outright loses nothing either: the supervisor (``ventanilla run``, or
systemd in production, docs/deploy.md) starts a new one; messages it had claimed are due
again when their lease runs out, its task when it turns stale.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

try:
    from psycopg import OperationalError as PsycopgOperationalError
except ImportError:  # pragma: no cover (psycopg is a main dependency)
    PsycopgOperationalError = DatabaseError  # type: ignore[assignment,misc]

from . import outbox

logger = logging.getLogger("ventanilla.worker")

PAUSE_MOST = 30.0  # seconds between tries while the database is away
TASK_RETRY_SECONDS = 30  # a task that met a database error runs again after this
STALE_CHECK_EVERY = 60.0  # seconds
BATCH_GIVES_UP_AFTER = 10  # database errors in a row before a --batch run gives up


class ResilientWorker(Worker):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._claimed: str | None = None  # the task this worker is running, if any
        self._orphans: list[str] = []  # tasks it claimed and could not settle
        self._next_stale_check = 0.0

    def run(self) -> None:
        logger.info("worker %s: started", self.worker_id)
        failures = 0
        while self.running:
            try:
                busy = self.step()
                if failures:
                    logger.warning("worker %s: the database answers again", self.worker_id)
                failures = 0
            except DatabaseError as exc:
                failures += 1
                if self.batch and failures > BATCH_GIVES_UP_AFTER:
                    raise  # a one-off run (cron, a test) reports it rather than wait forever
                pause = min(2.0 ** min(failures - 1, 10), PAUSE_MOST)
                logger.warning("worker %s: database unavailable (%s); trying again in %.0f s",
                               self.worker_id, str(exc).strip()[:200], pause)
                if self._claimed:
                    self._orphans.append(self._claimed)
                    self._claimed = None
                self.running_task = False
                for conn in connections.all(initialized_only=True):
                    if conn.connection is not None and not conn.is_usable():
                        conn.close()  # a dead connection: the next query opens a new one
                self._sleep(pause)
                continue
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            if not busy:
                if self.batch:
                    return
                self._sleep(self.interval)

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while self.running and time.monotonic() < end:
            time.sleep(min(0.2, seconds))

    def step(self) -> bool:
        """One round: the outbox, then one task. True when there was something to do."""
        close_old_connections()
        self._requeue_orphans()
        self._requeue_stale()
        self.running_task = True  # a SIGTERM now waits for the round to end
        try:
            sent = outbox.deliveries_send_due()
            ran = self._run_one_task()
        finally:
            self.running_task = False
        return bool(sent or ran)

    def _run_one_task(self) -> bool:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is None:
                return False
            task_result.claim(self.worker_id)
        self._claimed = str(task_result.id)
        self.run_task(task_result)  # records success or failure; raises if it cannot
        self._claimed = None
        if (task_result.status == TaskResultStatus.FAILED
                and _is_database_error(task_result.exception_class_path)):
            # The database, not the task, failed: run it again shortly.
            DBTaskResult.objects.filter(id=task_result.id).update(
                status=TaskResultStatus.READY, started_at=None, finished_at=None,
                run_after=timezone.now() + timedelta(seconds=TASK_RETRY_SECONDS))
            logger.warning("worker %s: task %s met a database error; queued again",
                           self.worker_id, task_result.id)
        return True

    def _requeue_orphans(self) -> None:
        while self._orphans:
            task_id = self._orphans[0]
            DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None)
            logger.warning("worker %s: task %s put back in the queue", self.worker_id, task_id)
            self._orphans.pop(0)

    def _requeue_stale(self) -> None:
        now = time.monotonic()
        if now < self._next_stale_check:
            return
        self._next_stale_check = now + STALE_CHECK_EVERY
        requeue_stale_tasks()


def _is_database_error(class_path: str) -> bool:
    try:
        cls = import_string(class_path)
    except ImportError:
        return False
    return isinstance(cls, type) and issubclass(cls, DatabaseError | PsycopgOperationalError)


def requeue_stale_tasks() -> int:
    """Put back in the queue the tasks running for longer than ``TASK_STALE_SECONDS`` (their
    worker died). Returns how many."""
    cutoff = timezone.now() - timedelta(seconds=settings.TASK_STALE_SECONDS)
    count = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING,
                                        started_at__lt=cutoff).update(
        status=TaskResultStatus.READY, started_at=None)
    if count:
        logger.warning("%s task(s) found running past %s s put back in the queue", count,
                       settings.TASK_STALE_SECONDS)
    return count


