"""``ventanilla worker``: the outbox and the queued tasks, surviving database outages
(``notifications.worker``). Takes django-tasks-db's ``db_worker`` options."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from ventanilla.notifications.worker import ResilientWorker


class Command(DbWorkerCommand):
    help = ("Send the outbox (e-mail, WhatsApp) with retries and run queued background "
            "tasks; survives database outages.")

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay,
               reload, max_tasks, worker_id, exclude_queues, **options) -> None:
        self.configure_logging(verbosity)
        worker = ResilientWorker(
            queue_names=queue_name.split(","), interval=interval, batch=batch,
            backend_name=backend_name, startup_delay=startup_delay, max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [])
        worker.configure_signals()
        worker.run()
