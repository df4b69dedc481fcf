"""``ventanilla run``: the web server and the task worker, kept running.

The web server is granian (WSGI) with bounded threads per worker and ``--respawn-failed-
workers``: a worker that dies (``kill -9``, out of memory) is replaced while the others
keep answering. This supervisor starts granian and ``ventanilla worker`` as children and
starts again whichever of them exits (after 1 s, growing to 30 s while it keeps failing
at once); SIGTERM or SIGINT stops both gracefully. In production, systemd can take this
role instead, one unit per process (docs/deploy.md); the granian command line is the same.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

logger = logging.getLogger("ventanilla.supervisor")

RESTART_FIRST, RESTART_MOST = 1.0, 30.0   # seconds before starting a child again
HEALTHY_AFTER = 10.0                       # a child up this long is not failing at start
STOP_GRACE = 20.0                          # seconds for a graceful stop before SIGKILL


def web_workers() -> int:
    return max(1, int(os.environ.get("VENTANILLA_WEB_WORKERS", "0") or 0)
               or min(os.cpu_count() or 1, 4))


def web_threads() -> int:
    """Threads per web worker; each holds at most one database connection from the pool
    (settings: the pool's size is the same number)."""
    return max(1, int(os.environ.get("VENTANILLA_WEB_THREADS", "8")))


def granian_argv(*, host: str, port: int, workers: int, threads: int) -> list[str]:
    """The production web server's command line (the same under systemd)."""
    return [sys.executable, "-m", "granian", "--interface", "wsgi",
            "ventanilla.config.wsgi:application", "--host", host, "--port", str(port),
            "--workers", str(workers), "--blocking-threads", str(threads),
            # a bounded queue per worker: beyond it, connections wait in the backlog
            "--backpressure", str(threads * 4),
            "--respawn-failed-workers", "--respawn-interval", "1",
            "--workers-kill-timeout", "30", "--no-ws", "--log-level", "warning"]


def worker_argv() -> list[str]:
    return [sys.executable, "-m", "ventanilla.config.cli", "worker", "--no-startup-delay",
            "--verbosity", "1"]


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None
    started: float = 0.0
    pause: float = RESTART_FIRST
    restart_at: float | None = None
    restarts: int = field(default=0)

    def start(self) -> None:
        # Its own process group, so that stopping it stops what it started.
        self.process = subprocess.Popen(self.argv, start_new_session=True)  # noqa: S603
        self.started = time.monotonic()
        self.restart_at = None
        logger.info("%s started (pid %s)", self.name, self.process.pid)

    def check(self, now: float) -> None:
        """Start it again when it has exited (after a pause that grows while it fails at
        once)."""
        if self.process is None:
            return
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.restarts += 1
                self.start()
            return
        code = self.process.poll()
        if code is None:
            if now - self.started > HEALTHY_AFTER:
                self.pause = RESTART_FIRST
            return
        quick = now - self.started < HEALTHY_AFTER
        logger.warning("%s exited with code %s; starting it again in %.0f s", self.name,
                       code, self.pause)
        self.restart_at = now + self.pause
        self.pause = min(self.pause * 2, RESTART_MOST) if quick else RESTART_FIRST

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.process.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            logger.warning("%s did not stop in %.0f s: killed", self.name, STOP_GRACE)
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def supervise(children: list[Child]) -> int:
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for child in children:
        child.start()
    try:
        while not stopping:
            time.sleep(0.25)
            now = time.monotonic()
            for child in children:
                child.check(now)
    finally:
        for child in children:
            child.stop()
    return 0


def run(*, addr: str, workers: int | None = None, threads: int | None = None,
        with_worker: bool = True) -> int:
    host, _, port = addr.rpartition(":")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    threads = threads or web_threads()
    # The web processes size their database pool from it (settings.base.connection_pool).
    os.environ["VENTANILLA_WEB_THREADS"] = str(threads)
    children = [Child("web", granian_argv(host=host or "127.0.0.1", port=int(port),
                                          workers=workers or web_workers(),
                                          threads=threads))]
    if with_worker:
        children.append(Child("worker", worker_argv()))
    return supervise(children)
