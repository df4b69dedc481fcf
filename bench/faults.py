"""A fault run (issue 11): the production stack under load while its parts fail.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres uv run python bench/faults.py
    uv run python bench/faults.py --phase-seconds 30 --clients 16
    uv run python bench/faults.py --smoke          # a few seconds a phase (the test suite)

It loads a small national data set (``load_national.py``), creates the application's database
role (``db_grants``: no UPDATE, DELETE or TRUNCATE on the audit log) and starts what
production runs: ``ventanilla run`` (granian, 2 web workers with bounded threads and
respawn, the task worker, both supervised) with production settings, the connection pool,
Redis as the shared cache and a real SMTP server (aiosmtpd, here). Clients book and cancel
medical appointments (each with its Idempotency-Key, retried once as a real client would)
and start registrations (each sends an e-mail code) through the API, with a new connection
per request, while one phase after another:

1. ``steady``: nothing fails;
2. ``web worker killed``: ``kill -9`` of one granian worker;
3. ``task worker killed``: ``kill -9`` of the task worker while e-mails queue;
4. ``database connections killed``: ``pg_terminate_backend`` of every connection of the
   service (web workers' pools and the task worker);
5. ``mail server down``: the SMTP server stops for a third of the phase, then comes back.

It prints, per phase: requests, acknowledged writes, failed requests (5xx or connection
errors), how many of those were in flight at the fault, how many came after it, and then
the lost writes (acknowledged bookings or cancellations not in the database as answered),
acknowledged registrations whose e-mail never arrived, and e-mails delivered twice. It
exits non-zero when anything acknowledged was lost, an e-mail is missing or doubled, or a
request failed that was not in flight at a fault.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib

APP_ROLE = "ventanilla_faults_app"
# A request that starts this long after a fault still counts as in flight at it. A killed
# web worker takes some milliseconds to die (measured: requests starting 5-35 ms after the
# kill -9 were handed to it by the shared listening socket and got no answer); nothing else
# gets any grace.
TOLERANCE = {"web worker killed": 0.1}


# --- what the clients saw ------------------------------------------------------------------

@dataclass
class Call:
    kind: str
    started: float
    ended: float
    status: int        # 0: the connection failed
    phase: str

    @property
    def failed(self) -> bool:
        return self.status == 0 or self.status >= 500


@dataclass
class Ledger:
    calls: list[Call] = field(default_factory=list)
    booked: dict[str, str] = field(default_factory=dict)      # booking id -> last answer
    registered: list[str] = field(default_factory=list)       # e-mail of each 201
    unacknowledged_emails: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    phase: str = "setup"

    def add(self, call: Call) -> None:
        with self.lock:
            self.calls.append(call)


def request(port: int, method: str, path: str, *, token: str = "", body: dict | None = None,
            headers: dict | None = None, timeout: float = 30) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        all_headers = {"Content-Type": "application/json", "Connection": "close",
                       **(headers or {})}
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        conn.request(method, path, body=json.dumps(body) if body is not None else None,
                     headers=all_headers)
        response = conn.getresponse()
        raw = response.read()
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            data = {}
        return response.status, data if isinstance(data, dict) else {}
    except OSError:
        return 0, {}
    finally:
        conn.close()


def timed(ledger: Ledger, kind: str, port: int, method: str, path: str, **kwargs):
    started = time.monotonic()
    status, data = request(port, method, path, **kwargs)
    ledger.add(Call(kind, started, time.monotonic(), status, ledger.phase))
    return status, data


def booking_client(ledger: Ledger, port: int, token: str, slots: list[str],
                   stop: threading.Event) -> None:
    """Book a slot, cancel it, the next slot… Each write is retried once with the same
    Idempotency-Key (booking) or as the same cancellation, so its final state is known."""
    i = 0
    while not stop.is_set():
        slot = slots[i % len(slots)]
        i += 1
        key = uuid.uuid4().hex
        booking = None
        for _attempt in range(3):
            status, data = timed(ledger, "book", port, "POST", "/api/v1/appointments",
                                 token=token, body={"slot": slot},
                                 headers={"Idempotency-Key": key})
            if status in (200, 201):
                booking = data["id"]
                with ledger.lock:
                    ledger.booked[booking] = "booked"
                break
            if status and status < 500:
                break  # refused (taken, quota): nothing acknowledged
            time.sleep(0.2)
        if booking is None:
            continue
        for _attempt in range(3):
            status, _data = timed(ledger, "cancel", port, "POST",
                                  f"/api/v1/appointments/{booking}/cancel", token=token)
            if status == 200:
                with ledger.lock:
                    ledger.booked[booking] = "cancelled"
                break
            if status and status < 500:
                break
            time.sleep(0.2)


def registration_client(ledger: Ledger, port: int, stop: threading.Event, *,
                        every: float) -> None:
    n = 0
    while not stop.is_set():
        n += 1
        email = f"fault-{os.getpid()}-{n}@example.com"
        status, _data = timed(ledger, "register", port, "POST", "/api/v1/registrations",
                              body={"country": "EC", "email": email})
        with ledger.lock:
            (ledger.registered if status == 201 else ledger.unacknowledged_emails).append(
                email)
        stop.wait(every)


# --- the mail server -----------------------------------------------------------------------

class Mailbox:
    def __init__(self):
        self.received: Counter[str] = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received[rcpt.lower()] += 1
        return "250 OK"


class SmtpServer:
    def __init__(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.mailbox = Mailbox()
        self.controller = None

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


# --- the stack -----------------------------------------------------------------------------

def children_of(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True,
                         text=True, check=False).stdout
    return [int(p) for p in out.split()]


def command_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


class Stack:
    def __init__(self, url: str, *, port: int, smtp_port: int, log: Path):
        self.url, self.port, self.smtp_port, self.log = url, port, smtp_port, log
        self.proc: subprocess.Popen | None = None

    def environment(self) -> dict[str, str]:
        parts = benchlib.pg_conninfo(self.url)
        app_url = (f"postgres://{APP_ROLE}@{parts['host']}:{parts['port']}/"
                   f"{parts['dbname']}")
        return {**os.environ, **benchlib.server_environment(app_url),
                "REDIS_URL": "redis://127.0.0.1:6379/14",
                "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(self.smtp_port),
                "SITE_URL": "https://ventanilla.example", "LOG_LEVEL": "WARNING",
                "NOTIFICATION_LEASE_SECONDS": "5", "NOTIFICATION_RETRY_FIRST_SECONDS": "1",
                "NOTIFICATION_RETRY_MAX_SECONDS": "2", "DATABASE_POOL_TIMEOUT": "5",
                "RATE_LIMITS": "registration.start=1000000/h,accounts.signin=1000000/m",
                "VENTANILLA_VAR_DIR": str(self.log.parent)}

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ventanilla.config.cli", "run",
             "--addr", f"127.0.0.1:{self.port}", "--workers", "2", "--threads", "4"],
            cwd=benchlib.PROJECT_DIR, env=self.environment(), stdout=self.log.open("w"),
            stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("the stack stopped:\n" + self.log.read_text()[-3000:])
            if request(self.port, "GET", "/api/v1/countries/EC", timeout=5)[0] == 200 \
                    and self.task_worker():
                return
            time.sleep(0.3)
        raise SystemExit("the stack did not answer in 90 s:\n" + self.log.read_text()[-3000:])

    def granian(self) -> int | None:
        return next((p for p in children_of(self.proc.pid) if "granian" in command_of(p)),
                    None)

    def web_workers(self) -> list[int]:
        master = self.granian()
        return children_of(master) if master else []

    def task_worker(self) -> int | None:
        return next((p for p in children_of(self.proc.pid)
                     if " worker" in command_of(p) and "granian" not in command_of(p)), None)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def kill_database_connections(url: str) -> int:
    """Terminate every connection of the service and wait until they are gone (PostgreSQL
    signals a backend and returns at once; the backend dies a few milliseconds later, and
    a request using it meanwhile is still one in flight at the fault)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        pids = [r[0] for r in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE usename = %s "
            "AND datname = current_database()", (APP_ROLE,)).fetchall()]
        for pid in pids:
            conn.execute("SELECT pg_terminate_backend(%s)", (pid,))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)",
                (pids,)).fetchone()[0]:
            time.sleep(0.005)
    return len(pids)


# --- data ----------------------------------------------------------------------------------

def prepare(url: str, *, clients: int, slots_each: int) -> list[tuple[str, list[str]]]:
    """Load (when needed), grant the application role, and pair a token with free slots
    for each booking client."""
    import psycopg

    created = benchlib.ensure_database(url)
    if created or not _has_people(url):
        subprocess.run([sys.executable, str(benchlib.PROJECT_DIR / "bench/load_national.py"),
                        "--persons", "2000", "--doctors", "10", "--centres", "2", "--days",
                        "4", "--reset"], cwd=benchlib.PROJECT_DIR, check=True,
                       env={**os.environ, "DATABASE_URL": url}, stdout=subprocess.DEVNULL)
    with psycopg.connect(benchlib.with_database(url, "template1"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s",
                            (APP_ROLE,)).fetchone():
            conn.execute(f"CREATE ROLE {APP_ROLE} LOGIN")
    benchlib.django_setup(url, production=True)  # tokens signed with the server's key
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("db_grants", APP_ROLE, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from ventanilla.accounts.models import User
    from ventanilla.accounts.signin import api_token_issue

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE scheduling_booking SET status = 'cancelled' "
                     "WHERE status = 'booked'")
        conn.execute("UPDATE scheduling_slot SET booked_count = 0, held_by_id = NULL, "
                     "held_until = NULL WHERE booked_count > 0 OR held_by_id IS NOT NULL")
        conn.execute("DELETE FROM scheduling_channelblock")
        people = conn.execute(
            "SELECT p.user_id, u.password FROM people_person p JOIN accounts_user u "
            "ON u.id = p.user_id WHERE NOT u.is_staff ORDER BY p.id LIMIT %s",
            (clients,)).fetchall()
        slots = [r[0] for r in conn.execute(
            "SELECT s.public_id FROM scheduling_slot s JOIN scheduling_service sv "
            "ON sv.id = s.service_id WHERE sv.kind = 'medical' AND sv.level = 1 AND s.is_open "
            "AND sv.code <> 'pediatrics' "
            "AND s.capacity > 0 AND s.starts_at > now() + interval '1 day' ORDER BY s.id "
            "LIMIT %s", (clients * slots_each,)).fetchall()]
    if len(people) < clients or len(slots) < clients:
        raise SystemExit(f"not enough data: {len(people)} affiliates, {len(slots)} slots")
    per = len(slots) // clients
    return [(api_token_issue(User(pk=uid, password=password)),
             [str(s) for s in slots[i * per:(i + 1) * per]])
            for i, (uid, password) in enumerate(people)]


def _has_people(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            return conn.execute("SELECT count(*) FROM people_person").fetchone()[0] > 100
    except psycopg.Error:
        return False


# --- the run -------------------------------------------------------------------------------

@dataclass
class Phase:
    name: str
    fault_at: float | None = None   # monotonic time of the fault
    fault_until: float | None = None  # when it was over (a kill takes some milliseconds)
    started: float = 0.0
    ended: float = 0.0
    detail: str = ""


def run_phases(stack: Stack, smtp: SmtpServer, ledger: Ledger, url: str, *,
               seconds: float) -> list[Phase]:
    phases = [Phase("steady"), Phase("web worker killed"), Phase("task worker killed"),
              Phase("database connections killed"), Phase("mail server down")]
    for phase in phases:
        ledger.phase = phase.name
        phase.started = time.monotonic()
        time.sleep(seconds / 2)
        if phase.name == "web worker killed":
            victim = stack.web_workers()[0]
            phase.fault_at = time.monotonic()
            os.kill(victim, signal.SIGKILL)
            phase.detail = f"pid {victim}"
        elif phase.name == "task worker killed":
            victim = stack.task_worker()
            phase.fault_at = time.monotonic()
            os.kill(victim, signal.SIGKILL)
            phase.detail = f"pid {victim}"
        elif phase.name == "database connections killed":
            phase.fault_at = time.monotonic()
            phase.detail = f"{kill_database_connections(url)} connections"
            phase.fault_until = time.monotonic()
            phase.detail += f" gone in {(phase.fault_until - phase.fault_at) * 1000:.0f} ms"
        elif phase.name == "mail server down":
            smtp.stop()
            phase.fault_at = time.monotonic()
            time.sleep(seconds / 3)
            smtp.start()
            phase.detail = f"{seconds / 3:.0f} s"
        time.sleep(seconds / 2)
        phase.ended = time.monotonic()
    return phases


def verify(url: str, ledger: Ledger, smtp: SmtpServer, *, drain_seconds: float) -> dict:
    import psycopg

    with psycopg.connect(url) as conn:
        ids = list(ledger.booked)
        rows = dict(conn.execute("SELECT public_id::text, status FROM scheduling_booking "
                                 "WHERE public_id::text = ANY(%s)", (ids,)).fetchall())
        over = conn.execute("SELECT count(*) FROM scheduling_slot s WHERE booked_count <> "
                            "(SELECT count(*) FROM scheduling_booking b WHERE b.slot_id = s.id"
                            " AND b.status = 'booked') OR booked_count > capacity"
                            ).fetchone()[0]
    lost = [i for i, answered in ledger.booked.items() if rows.get(i) != answered]
    deadline = time.monotonic() + drain_seconds
    while time.monotonic() < deadline:
        with smtp.mailbox.lock:
            missing = [e for e in ledger.registered if not smtp.mailbox.received[e]]
        if not missing:
            break
        time.sleep(0.5)
    with psycopg.connect(url) as conn:
        pending = conn.execute("SELECT count(*) FROM notifications_outboundmessage "
                               "WHERE status = 'pending'").fetchone()[0]
    with smtp.mailbox.lock:
        doubled = [e for e, n in smtp.mailbox.received.items() if n > 1]
    return {"lost": lost, "missing_email": missing, "doubled_email": doubled,
            "slot_drift": over, "outbox_pending": pending}


def report(phases: list[Phase], ledger: Ledger, checks: dict) -> int:
    print(f"{'phase':<30} {'requests':>8} {'acked':>6} {'failed':>6} {'in flight':>9} "
          f"{'after':>6}  fault")
    bad = 0
    writes = {"book", "cancel", "register"}
    for phase in phases:
        calls = [c for c in ledger.calls if c.phase == phase.name]
        failed = [c for c in calls if c.failed]
        acked = sum(1 for c in calls if c.kind in writes and c.status in (200, 201))
        in_flight = after = 0
        late = []
        for c in failed:
            grace = TOLERANCE.get(phase.name, 0.0)
            until = phase.fault_until or phase.fault_at
            if phase.fault_at is not None and c.started <= (until or 0) + grace \
                    and c.ended >= phase.fault_at:
                in_flight += 1
            else:
                after += 1
                if phase.fault_at is not None:
                    late.append(f"{(c.started - phase.fault_at) * 1000:+.0f} ms {c.kind} "
                                f"{c.status or 'no answer'}")
        if late:
            phase.detail += " (started after the fault: " + ", ".join(late) + ")"
        # the mail server being down is not the web's fault: no request may fail then
        bad += after
        print(f"{phase.name:<30} {len(calls):>8} {acked:>6} {len(failed):>6} {in_flight:>9} "
              f"{after:>6}  {phase.detail}")
    total = len(ledger.calls)
    answers = Counter((c.kind, c.status) for c in ledger.calls)
    print("ANSWERS " + ", ".join(f"{k} {s or 'no answer'}: {n}"
                                 for (k, s), n in sorted(answers.items())))
    print(f"REQUESTS {total}; acknowledged bookings {len(ledger.booked)} (cancelled "
          f"{sum(v == 'cancelled' for v in ledger.booked.values())}), registrations "
          f"{len(ledger.registered)}")
    print(f"LOST-WRITES {len(checks['lost'])}")
    print(f"MISSING-EMAILS {len(checks['missing_email'])}")
    print(f"DOUBLED-EMAILS {len(checks['doubled_email'])}")
    print(f"SLOT-DRIFT {checks['slot_drift']}")
    print(f"OUTBOX-PENDING {checks['outbox_pending']}")
    print(f"FAILED-NOT-IN-FLIGHT {bad}")
    problems = (len(checks["lost"]) + len(checks["missing_email"])
                + len(checks["doubled_email"]) + checks["slot_drift"] + bad)
    return 1 if problems else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phase-seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=12, help="booking clients")
    parser.add_argument("--smoke", action="store_true", help="6 s a phase, 6 clients")
    parser.add_argument("--database", default="ventanilla_faults",
                        help="database to load and use, on DATABASE_URL's server")
    args = parser.parse_args(argv)
    if args.smoke:
        args.phase_seconds, args.clients = 6, 6
    base = os.environ.get("DATABASE_URL") or benchlib.DEFAULT_DATABASE_URL
    url = benchlib.database_url(benchlib.with_database(base, args.database))
    import logging

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    work = Path(tempfile.mkdtemp(prefix="ventanilla-faults-"))
    print(f"database {benchlib.database_name(url)}; logs in {work}", flush=True)
    pairs = prepare(url, clients=args.clients, slots_each=20)
    smtp = SmtpServer()
    smtp.start()
    stack = Stack(url, port=_free_port(), smtp_port=smtp.port, log=work / "stack.log")
    ledger = Ledger()
    stop = threading.Event()
    try:
        stack.start()
        threads = [threading.Thread(target=booking_client, args=(ledger, stack.port, t, s, stop))
                   for t, s in pairs]
        threads.append(threading.Thread(target=registration_client,
                                        args=(ledger, stack.port, stop), kwargs={"every": 0.2}))
        for t in threads:
            t.start()
        phases = run_phases(stack, smtp, ledger, url, seconds=args.phase_seconds)
        stop.set()
        for t in threads:
            t.join(60)
        checks = verify(url, ledger, smtp, drain_seconds=60)
    finally:
        stop.set()
        stack.stop()
        smtp.stop()
    return report(phases, ledger, checks)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    sys.exit(main())
