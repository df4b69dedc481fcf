"""Drive the appointments API under load and compare it with the raw SQL (issue 4, "Speed").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ventanilla_bench uv run python bench/run.py
    uv run python bench/run.py --duration 20 --connections 32 --profile
    uv run python bench/run.py --smoke          # a few seconds, no wrk needed (CI)

Needs a database loaded by ``bench/load_national.py``. The runner:

1. frees every booking of earlier runs (``--keep-bookings`` to skip), mints bearer tokens
   for sampled affiliates (``accounts.signin.api_token_issue``, no HTTP sign-in) and writes
   the workload files: search query strings, "token slot" pairs (a different affiliate and a
   different free slot per booking), rush tokens;
2. starts the production server on loopback: granian, WSGI, one worker per core, production
   settings from environment variables (DEBUG off, persistent database connections);
3. runs each scenario for ``--duration`` seconds with ``--connections`` clients through wrk
   (``bench/wrk/*.lua``; a pure-Python keep-alive client when wrk is missing): slot search,
   booking, cancelling (the bookings just made), and the 07:00 rush (most clients search
   general medicine in Quito or Guayaquil and book one of the first times shown);
4. runs, with the same concurrency and duration, the raw SQL of the slot search (the exact
   statements the API sent for 120 of its searches, captured) and of one booking (the
   statements of ``services.booking_create``) through pgbench, and prints the API as a
   ratio of it;
5. counts double bookings in SQL: slots whose active bookings exceed their places, and slots
   whose ``booked_count`` differs from their active bookings;
6. with ``--profile``, samples the server's workers on CPU with py-spy during an extra booking run
   (not counted) and prints where the time goes.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib

BENCH_DIR = Path(__file__).resolve().parent
LUA_DIR = BENCH_DIR / "wrk"
POPULAR_CITIES = ("1701", "0901")  # Quito, Guayaquil
RAW_SEARCH_SAMPLE = 120

TARGETS = {  # issue 4
    "search_ratio": 0.40, "book_ratio": 0.40, "search_p99_ms": 50.0, "book_p99_ms": 100.0,
}


# --- results -------------------------------------------------------------------------------

@dataclass
class Result:
    name: str
    requests: int = 0
    seconds: float = 0.0
    p50_ms: float = 0.0
    p90_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    ok: int = 0
    conflict: int = 0
    server_error: int = 0
    other: int = 0
    socket_errors: int = 0
    wrapped: int = 0
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        if self.name.startswith("raw"):
            return (f"{self.name:26s} {self.rps:9.1f} tx/s   p50 {self.p50_ms:7.2f} ms  "
                    f"p99 {self.p99_ms:7.2f} ms  n={self.requests}  failed={self.server_error}")
        return (f"{self.name:26s} {self.rps:9.1f} req/s  p50 {self.p50_ms:7.2f} ms  "
                f"p99 {self.p99_ms:7.2f} ms  n={self.requests}  2xx={self.ok} "
                f"409={self.conflict} 5xx={self.server_error} other={self.other} "
                f"socket_errors={self.socket_errors}"
                + (f"  (workload wrapped {self.wrapped}x)" if self.wrapped else "")
                + (f"  {self.note}" if self.note else ""))


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


# --- server --------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, url: str, *, workers: int, threads: int, port: int, log: Path):
        self.url, self.workers, self.threads, self.port, self.log = (
            url, workers, threads, port, log)
        self.proc: subprocess.Popen | None = None

    @property
    def command(self) -> list[str]:
        return [sys.executable, "-m", "granian", "--interface", "wsgi",
                "ventanilla.config.wsgi:application", "--host", "127.0.0.1",
                "--port", str(self.port), "--workers", str(self.workers),
                "--blocking-threads", str(self.threads), "--no-ws", "--http", "1",
                "--log-level", "warning", "--no-access-log"]

    def start(self) -> None:
        env = {**os.environ, **benchlib.server_environment(self.url)}
        self.proc = subprocess.Popen(self.command, cwd=benchlib.PROJECT_DIR, env=env,
                                     stdout=self.log.open("w"), stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server stopped: see {self.log}\n"
                                 + self.log.read_text()[-2000:])
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/api/v1/slots?country=EC&limit=1")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"the server did not answer in 60 s: see {self.log}")

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.proc.pid)],
                             capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


# --- load generators -----------------------------------------------------------------------

def run_wrk(name: str, script: str, *, port: int, duration: int, connections: int,
            threads: int, files: dict[str, Path]) -> Result:
    env = {**os.environ, "BENCH_LUA_DIR": str(LUA_DIR), "BENCH_THREADS": str(threads),
           **{k: str(v) for k, v in files.items()}}
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
           "-s", str(LUA_DIR / script), f"http://127.0.0.1:{port}"]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    m = re.search(r"BENCH-RESULT (.*)", out.stdout)
    if not m:
        raise SystemExit(f"wrk failed for {name}:\n{out.stdout}\n{out.stderr}")
    v = {k: int(x) for k, x in (kv.split("=") for kv in m.group(1).split())}
    return Result(name, requests=v["requests"], seconds=v["duration_us"] / 1e6,
                  p50_ms=v["p50_us"] / 1000, p90_ms=v["p90_us"] / 1000,
                  p99_ms=v["p99_us"] / 1000, max_ms=v["max_us"] / 1000, ok=v["c2xx"],
                  conflict=v["c409"], server_error=v["c5xx"], other=v["cother"],
                  socket_errors=v["socket_errors"] + v["timeouts"], wrapped=v["wrapped"])


class PyClient:
    """A keep-alive HTTP client per connection in threads: the fallback when wrk is absent
    (CI). Same workloads and result line as the Lua scripts; slower, so only for smoke runs."""

    def __init__(self, port: int):
        self.port = port

    def run(self, name: str, scenario: str, *, duration: int, connections: int,
            files: dict[str, Path]) -> Result:
        lines = {k: [x for x in Path(v).read_text().splitlines() if x]
                 for k, v in files.items()}
        lock = threading.Lock()
        cursor = Counter()
        latencies: list[float] = []
        statuses: Counter = Counter()
        errors = Counter()
        wrapped = Counter()
        deadline = time.monotonic() + duration

        def take(key: str) -> str:
            with lock:
                i = cursor[key]
                cursor[key] = i + 1
                items = lines[key]
                if i and i % len(items) == 0:
                    wrapped[key] += 1
                return items[i % len(items)]

        def worker(seed: int) -> None:
            rng = random.Random(seed)
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            found: list[str] = []
            local_lat, local_status = [], Counter()
            while time.monotonic() < deadline:
                method, path, body, headers = self._next(scenario, take, found)
                t0 = time.perf_counter()
                try:
                    conn.request(method, path, body=body, headers=headers)
                    resp = conn.getresponse()
                    data = resp.read()
                except (OSError, http.client.HTTPException):
                    errors["socket"] += 1
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                    continue
                local_lat.append(time.perf_counter() - t0)
                local_status[resp.status] += 1
                if (scenario == "rush" and resp.status == 200 and data[:1] == b"["
                        and b'"general_medicine"' in data):
                    ids = re.findall(rb'\{"id":"([0-9a-f-]+)","starts_at"', data)[:3]
                    if ids:
                        found.append(rng.choice(ids).decode())
            conn.close()
            with lock:
                latencies.extend(local_lat)
                statuses.update(local_status)

        started = time.monotonic()
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.monotonic() - started
        lat = sorted(x * 1000 for x in latencies)
        return Result(name, requests=len(lat), seconds=seconds, p50_ms=percentile(lat, 50),
                      p90_ms=percentile(lat, 90), p99_ms=percentile(lat, 99),
                      max_ms=lat[-1] if lat else 0.0,
                      ok=sum(n for s, n in statuses.items() if 200 <= s < 300),
                      conflict=statuses[409],
                      server_error=sum(n for s, n in statuses.items() if s >= 500),
                      other=sum(n for s, n in statuses.items()
                                if s != 409 and not 200 <= s < 300 and s < 500),
                      socket_errors=errors["socket"], wrapped=sum(wrapped.values()))

    @staticmethod
    def _next(scenario: str, take, found: list[str]):
        if scenario == "search":
            return "GET", take("BENCH_FILE"), None, {}
        if scenario == "book":
            token, slot = take("BENCH_FILE").split()
            return ("POST", "/api/v1/appointments", json.dumps({"slot": slot}),
                    {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                     "Idempotency-Key": f"bench-{slot}"})
        if scenario == "cancel":
            token, booking = take("BENCH_FILE").split()
            return ("POST", f"/api/v1/appointments/{booking}/cancel", None,
                    {"Authorization": f"Bearer {token}"})
        if scenario == "rush":
            if found:
                slot = found.pop(0)
                return ("POST", "/api/v1/appointments", json.dumps({"slot": slot}),
                        {"Authorization": f"Bearer {take('BENCH_TOKENS')}",
                         "Content-Type": "application/json"})
            return "GET", take("BENCH_FILE").split(" ", 1)[1], None, {}
        raise ValueError(scenario)


# --- pgbench -------------------------------------------------------------------------------

def run_pgbench(name: str, scripts: list[Path], *, url: str, duration: int,
                connections: int, threads: int, variables: dict[str, object],
                workdir: Path, mode: str = "simple") -> Result:
    info = benchlib.pg_conninfo(url)
    logdir = Path(tempfile.mkdtemp(prefix="pgbench-", dir=workdir))
    cmd = ["pgbench", "-h", info["host"], "-p", info["port"], "-U", info["user"], "-n",
           "-M", mode, "-c", str(connections), "-j", str(threads), "-T", str(duration),
           "-l", "--log-prefix", str(logdir / "tx")]
    for script in scripts:
        cmd += ["-f", str(script)]
    for k, v in variables.items():
        cmd += ["-D", f"{k}={v}"]
    cmd.append(info["dbname"])
    env = {**os.environ, **({"PGPASSWORD": info["password"]} if "password" in info else {})}
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    m = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out.stdout)
    if out.returncode != 0 or not m:
        raise SystemExit(f"pgbench failed for {name}:\n{out.stdout}\n{out.stderr}")
    lat = []
    for log in logdir.glob("tx*"):
        for row in log.read_text().splitlines():
            parts = row.split()
            if len(parts) >= 3:
                lat.append(int(parts[2]) / 1000)
    shutil.rmtree(logdir, ignore_errors=True)
    lat.sort()
    failed = re.search(r"number of failed transactions: (\d+)", out.stdout)
    tps = float(m.group(1))
    return Result(name, requests=len(lat), seconds=len(lat) / tps if tps else 0,
                  p50_ms=percentile(lat, 50), p90_ms=percentile(lat, 90),
                  p99_ms=percentile(lat, 99), max_ms=lat[-1] if lat else 0.0, ok=len(lat),
                  server_error=int(failed.group(1)) if failed else 0)


# The transaction of services.booking_create, statement by statement (see the comments):
# the people locked with their account blocks and the channel block read in the same
# statement, the idempotency key, the coverage (affiliation with its holder), the quota
# window, the guarded update that takes the place under the slot's row lock, the row.
BOOKING_TRANSACTION = r"""
\set pid random(:person_lo, :person_hi)
\set sid random(:slot_lo, :slot_hi)
BEGIN;
-- _lock_people_for_booking: lock, account block (R-APT-05), channel block (R-APT-11)
SELECT p.id, (SELECT ab.cause FROM accounts_accountblock ab WHERE ab.person_id = p.id
                 AND ab.unblocked_at IS NULL ORDER BY ab.blocked_at DESC LIMIT 1) AS cause,
       EXISTS(SELECT 1 FROM scheduling_channelblock cb WHERE cb.kind = 'web'
                 AND cb.key = 'raw-' || :pid AND cb.lifted_at IS NULL
                 AND (cb.until IS NULL OR cb.until > now())) AS blocked
  FROM people_person p WHERE p.id IN (:pid) ORDER BY p.id ASC FOR NO KEY UPDATE;
-- the idempotency key, under the lock
SELECT b.* FROM scheduling_booking b WHERE b.idempotency_key = 'raw-' || :sid
   AND b.person_id = :pid ORDER BY b.created_at DESC LIMIT 1;
-- eligibility: affiliation.selectors.coverage_for (R-APT-01); the person is the one the
-- request already has
SELECT a.*, h.*, hp.* FROM affiliation_affiliation a
  LEFT JOIN affiliation_affiliation h ON a.holder_id = h.id
  LEFT JOIN people_person hp ON h.person_id = hp.id
 WHERE a.person_id = :pid AND a.starts_on <= current_date + 30 AND a.country = 'EC'
   AND (a.ends_on IS NULL OR a.ends_on >= current_date + 30)
 ORDER BY a.starts_on DESC LIMIT 1;
-- quotas.medical_day_check (R-APT-11, R-APT-14): medical appointments around the date
SELECT s.starts_at, s.service_id, sv.level FROM scheduling_booking b
  JOIN scheduling_slot s ON b.slot_id = s.id
  JOIN scheduling_service sv ON s.service_id = sv.id
 WHERE b.booked_for_id = :pid AND sv.kind = 'medical'
   AND s.starts_at >= now() - interval '28 days' AND s.starts_at < now() + interval '60 days'
   AND b.status IN ('booked', 'attended') ORDER BY b.created_at DESC;
-- _take_place: the guarded update (row lock, open, future, free place nobody else
-- holds, no clash; the booker's own hold is used up) and the INSERT, in one statement
WITH taken AS (
UPDATE scheduling_slot SET booked_count = booked_count + 1, updated_at = now(),
       held_until = CASE WHEN held_by_id = :pid THEN NULL ELSE held_until END,
       held_by_id = CASE WHEN held_by_id = :pid THEN NULL ELSE held_by_id END
 WHERE id = :sid AND is_open AND starts_at > now() AND booked_count < capacity
   AND (held_until IS NULL OR held_until <= now() OR booked_count < capacity - 1
        OR held_by_id = :pid)
   AND EXISTS (SELECT 1 FROM scheduling_centre c WHERE c.id = scheduling_slot.centre_id
                  AND c.is_active)
   AND EXISTS (SELECT 1 FROM scheduling_service v WHERE v.id = scheduling_slot.service_id
                  AND v.is_active)
   AND NOT EXISTS (SELECT 1 FROM scheduling_booking b JOIN scheduling_slot o
                     ON o.id = b.slot_id WHERE b.booked_for_id = :pid
                    AND b.status = 'booked' AND o.starts_at < scheduling_slot.ends_at
                    AND o.ends_at > scheduling_slot.starts_at)
 RETURNING 1)
INSERT INTO scheduling_booking (public_id, created_at, updated_at, slot_id, person_id,
    booked_for_id, channel, status, booked_by_id, idempotency_key, purpose, case_id,
    cancelled_at, cancelled_by_id)
SELECT gen_random_uuid(), now(), now(), :sid, :pid, :pid, 'api', 'booked', NULL,
       'raw-' || :sid, '', NULL, NULL, NULL FROM taken
ON CONFLICT DO NOTHING RETURNING id;
COMMIT;
"""

# What the request reads before that transaction (the token's user with their person and
# account block, the slot by public id with its centre, service and doctor): with the
# transaction above, every statement one API booking sends.
BOOKING_READS = r"""
\set pid random(:person_lo, :person_hi)
\set sid random(:slot_lo, :slot_hi)
\set uid 1 + :pid % :users
SELECT u.*, p.*, (SELECT ab.cause FROM accounts_accountblock ab WHERE ab.person_id = p.id
                     AND ab.unblocked_at IS NULL ORDER BY ab.blocked_at DESC LIMIT 1)
  FROM accounts_user u LEFT JOIN people_person p ON u.id = p.user_id
 WHERE u.is_active AND NOT u.is_staff AND u.id = :uid ORDER BY u.id LIMIT 1;
SELECT s.*, c.*, sv.*, d.* FROM scheduling_slot s
  JOIN scheduling_centre c ON s.centre_id = c.id
  JOIN scheduling_service sv ON s.service_id = sv.id
  LEFT JOIN scheduling_doctor d ON s.doctor_id = d.id
 WHERE s.public_id = (SELECT public_id FROM scheduling_slot WHERE id = :sid) LIMIT 21;
"""


# --- workload ------------------------------------------------------------------------------

def reset_bookings(cur) -> int:
    n = cur.execute("SELECT count(*) FROM scheduling_booking").fetchone()[0]
    cur.execute("DELETE FROM scheduling_referral WHERE used_by_id IS NOT NULL")
    cur.execute("DELETE FROM scheduling_booking")
    cur.execute("UPDATE scheduling_slot SET booked_count = 0, held_by_id = NULL,"
                " held_until = NULL WHERE booked_count <> 0 OR held_until IS NOT NULL")
    cur.execute("DELETE FROM scheduling_channelblock")
    cur.execute("DELETE FROM accounts_accountblock")
    # Start the slots from the state autovacuum keeps in production, not with the dead rows
    # of the reset: otherwise autovacuum runs during the first scenario and slows it down.
    # Not the bookings: statistics of an empty table would make the planner scan it whole
    # once it fills up, which no production table is.
    cur.execute("VACUUM (ANALYZE) scheduling_slot")
    return n


def integrity(cur) -> dict[str, int]:
    over = cur.execute("""
        SELECT count(*) FROM (
            SELECT s.id FROM scheduling_slot s JOIN scheduling_booking b ON b.slot_id = s.id
             WHERE b.status <> 'cancelled' GROUP BY s.id, s.capacity
            HAVING count(*) > s.capacity) x""").fetchone()[0]
    drift = cur.execute("""
        SELECT count(*) FROM scheduling_slot s
          LEFT JOIN (SELECT slot_id, count(*) AS n FROM scheduling_booking
                      WHERE status <> 'cancelled' GROUP BY slot_id) b ON b.slot_id = s.id
         WHERE s.booked_count <> coalesce(b.n, 0)""").fetchone()[0]
    same_person = cur.execute("""
        SELECT count(*) FROM (SELECT booked_for_id, slot_id FROM scheduling_booking
         WHERE status = 'booked' GROUP BY 1, 2 HAVING count(*) > 1) x""").fetchone()[0]
    bookings = cur.execute("SELECT count(*) FILTER (WHERE status = 'booked'), count(*) "
                           "FROM scheduling_booking").fetchone()
    return {"slots_over_capacity": over, "slots_counter_mismatch": drift,
            "person_slot_duplicates": same_person, "active_bookings": bookings[0],
            "bookings_total": bookings[1]}


@dataclass
class Workload:
    dir: Path
    search: Path
    book: Path
    rush_searches: Path
    rush_tokens: Path
    profile_book: Path
    tokens_by_person: dict[int, str]
    raw_vars: dict[str, int]
    search_params: list[str]
    capture_token: str
    capture_slot: str


def build_workload(cur, workdir: Path, *, book_lines: int, rush_tokens: int,
                   profile_lines: int, today, days: int, rng: random.Random) -> Workload:
    from ventanilla.accounts.models import User
    from ventanilla.accounts.signin import api_token_issue

    users = cur.execute("SELECT count(*) FROM accounts_user WHERE NOT is_staff").fetchone()[0]
    password = cur.execute("SELECT password FROM accounts_user WHERE NOT is_staff "
                           "ORDER BY id LIMIT 1").fetchone()[0]
    # affiliates with accounts (all covered: see load_national.py), in id order
    people = cur.execute("SELECT p.id, p.user_id FROM people_person p JOIN accounts_user u "
                         "ON u.id = p.user_id WHERE NOT u.is_staff ORDER BY p.id").fetchall()
    need = book_lines + rush_tokens + profile_lines + 1
    if len(people) < need:
        scale = len(people) / need
        book_lines, rush_tokens, profile_lines = (max(1, int(book_lines * scale)),
                                                  max(1, int(rush_tokens * scale)),
                                                  max(1, int(profile_lines * scale)))
    tokens = {pid: api_token_issue(User(pk=uid, password=password)) for pid, uid in
              people[:book_lines + rush_tokens + profile_lines + 1]}
    pids = list(tokens)
    book_people = pids[:book_lines]
    rush_people = pids[book_lines:book_lines + rush_tokens]
    profile_people = pids[book_lines + rush_tokens:-1]
    capture_person = pids[-1]

    # slots: the API books among the first three quarters of slot ids (earlier days), the
    # raw pgbench booking in the last quarter, so neither takes the other's slots.
    lo, hi = cur.execute("SELECT min(id), max(id) FROM scheduling_slot").fetchone()
    boundary = lo + (hi - lo) * 3 // 4
    n_slots = len(book_people) + len(profile_people) + 1
    slots = [r[0] for r in cur.execute("""
        SELECT s.public_id FROM scheduling_slot s
          JOIN scheduling_service sv ON sv.id = s.service_id
         WHERE sv.kind = 'medical' AND sv.level = 1 AND s.is_open
           AND sv.code <> 'pediatrics'  -- for patients under 18 only; the bench books adults
           AND s.booked_count < s.capacity AND s.id < %s
           AND s.starts_at > now() + interval '1 day'
         ORDER BY random() LIMIT %s""", (boundary, n_slots)).fetchall()]
    if len(slots) < 3:
        raise SystemExit(f"only {len(slots)} free slots: load more days or doctors")
    if len(slots) < n_slots:  # a small load: fewer bookings, the workload wraps around
        share = len(slots) / n_slots
        profile_people = profile_people[:max(1, int(len(profile_people) * share))]
        book_people = book_people[:len(slots) - len(profile_people) - 1]
    book = workdir / "book.txt"
    book.write_text("".join(f"{tokens[p]} {s}\n" for p, s in zip(book_people, slots,
                                                                   strict=False)))
    profile_book = workdir / "profile_book.txt"
    profile_book.write_text("".join(
        f"{tokens[p]} {s}\n" for p, s in zip(profile_people, slots[len(book_people):-1],
                                             strict=False)))
    rush_file = workdir / "rush_tokens.txt"
    rush_file.write_text("".join(f"{tokens[p]}\n" for p in rush_people))

    # searches: a specialty (weighted like the doctors), a province or a city or nowhere,
    # and one to seven days within the loaded range
    codes = list(benchlib.SPECIALTY_WEIGHTS)
    weights = list(benchlib.SPECIALTY_WEIGHTS.values())
    places = cur.execute("SELECT DISTINCT left(subdivision_code, 2), left(subdivision_code, 4)"
                         " FROM scheduling_centre WHERE is_active").fetchall()
    params = []
    for _ in range(2000):
        q = {"country": "EC", "kind": "medical", "specialty": rng.choices(codes, weights)[0]}
        province, city = rng.choice(places)
        where = rng.random()
        if where < 0.45:
            q["city"] = city
        elif where < 0.85:
            q["province"] = province
        start = today + timedelta(days=rng.randrange(1, max(2, days - 7)))
        q["date_from"] = start.isoformat()
        q["date_to"] = (start + timedelta(days=rng.randrange(0, 7))).isoformat()
        q["limit"] = "20"
        params.append("&".join(f"{k}={v}" for k, v in q.items()))
    search = workdir / "search.txt"
    search.write_text("".join(f"/api/v1/slots?{p}\n" for p in params))

    rush = workdir / "rush_searches.txt"
    lines = []
    for i in range(1000):
        day_from = today + timedelta(days=2)
        if i % 5 == 4:  # one in five look at something else
            code = rng.choice([c for c in codes if c != benchlib.POPULAR_SPECIALTY])
            flag = "O"
        else:
            code, flag = benchlib.POPULAR_SPECIALTY, "P"
        lines.append(f"{flag} /api/v1/slots?country=EC&kind=medical&specialty={code}"
                     f"&city={POPULAR_CITIES[i % 2]}&date_from={day_from}"
                     f"&date_to={day_from + timedelta(days=2)}&limit=10\n")
    rush.write_text("".join(lines))

    (plo, phi) = cur.execute("SELECT min(id), max(id) FROM people_person").fetchone()
    raw_vars = {"person_lo": max(plo, len(people) + 1), "person_hi": phi,
                "slot_lo": boundary, "slot_hi": hi, "users": max(users, 1)}
    if raw_vars["person_lo"] > raw_vars["person_hi"]:
        raw_vars["person_lo"] = plo
    return Workload(dir=workdir, search=search, book=book, rush_searches=rush,
                    rush_tokens=rush_file, profile_book=profile_book,
                    tokens_by_person={p: tokens[p] for p in book_people},
                    raw_vars=raw_vars, search_params=params,
                    capture_token=tokens[capture_person], capture_slot=str(slots[-1]))


def cancel_file(cur, workload: Workload) -> Path:
    rows = cur.execute("SELECT b.public_id, b.person_id FROM scheduling_booking b "
                       "WHERE b.status = 'booked' AND b.channel = 'api' "
                       "AND b.person_id = ANY(%s) ORDER BY random()",
                       (list(workload.tokens_by_person),)).fetchall()
    path = workload.dir / "cancel.txt"
    path.write_text("".join(f"{workload.tokens_by_person[pid]} {bid}\n" for bid, pid in rows))
    return path


def capture_sql(workload: Workload, show: bool) -> tuple[list[str], dict[str, int]]:
    """Book one slot and search once through the API in-process (Django's test client, the
    same settings as the server) and capture the SQL each sends. Returns the search
    statements (for pgbench) and the number of statements per request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1")
    counts = {}
    with CaptureQueriesContext(connection) as q:
        r = client.post("/api/v1/appointments", data=json.dumps({"slot": workload.capture_slot}),
                        content_type="application/json",
                        HTTP_AUTHORIZATION=f"Bearer {workload.capture_token}")
    if r.status_code != 201:
        raise SystemExit(f"a booking through the API failed: {r.status_code} {r.content[:500]}")
    counts["booking"] = len(q.captured_queries)
    if show:
        print("SQL of one booking request:")
        for x in q.captured_queries:
            print("   ", x["sql"][:300])
    booking_id = r.json()["id"]
    with CaptureQueriesContext(connection) as q:
        r = client.post(f"/api/v1/appointments/{booking_id}/cancel",
                        HTTP_AUTHORIZATION=f"Bearer {workload.capture_token}")
    counts["cancel"] = len(q.captured_queries)
    statements = []
    # A sample of the API's own searches (pgbench takes at most 128 scripts): the raw run
    # reads as many different places, specialties and dates as the API does, not a few
    # queries whose pages stay hot.
    for p in workload.search_params[:RAW_SEARCH_SAMPLE]:
        with CaptureQueriesContext(connection) as q:
            r = client.get(f"/api/v1/slots?{p}")
        if r.status_code != 200:
            raise SystemExit(f"a search through the API failed: {r.status_code} {r.content}")
        counts["search"] = len(q.captured_queries)
        statements.append(q.captured_queries[-1]["sql"])
    if show:
        print("SQL of one search request:\n   ", statements[0])
    return statements, counts


# --- profile -------------------------------------------------------------------------------

CATEGORIES = (  # first match wins, on the innermost frames first
    ("PostgreSQL round trips (psycopg execute/fetch)", ("psycopg/",)),
    ("ORM: SQL compilation", ("django/db/models/sql/",)),
    ("ORM: model instances, querysets", ("django/db/models/",)),
    ("Django DB backend (cursor, transactions, health check)", ("django/db/",)),
    ("JSON / pydantic (ninja schemas, orjson)", ("pydantic", "ninja/", "orjson")),
    ("token check (django.core.signing, hmac)", ("django/core/signing", "hmac",
                                                 "django/utils/crypto")),
    ("translations and time zones", ("django/utils/translation", "gettext", "zoneinfo",
                                     "django/utils/timezone", "babel")),
    ("middleware and request handling", ("django/core/handlers", "django/middleware",
                                         "django/contrib", "django/http", "axes/",
                                         "whitenoise", "django/urls")),
    ("ventanilla code (services, rules, selectors, views)", ("ventanilla/",)),
    ("other Python", ("",)),
)


def _category(frames: list[str]) -> str:
    """The category of the innermost frame that belongs to one (walking outwards)."""
    for frame in reversed(frames):
        for label, needles in CATEGORIES[:-1]:
            if any(x in frame for x in needles):
                return label
    return CATEGORIES[-1][0]


def summarise_profile(raw: Path, top: int = 25) -> str:
    """Collapsed py-spy stacks → share of samples per category (by innermost matching
    frame) and the functions with the most inclusive time inside a request."""
    total = 0
    by_cat: Counter = Counter()
    inclusive: Counter = Counter()
    for line in raw.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        if not stack or not n.isdigit():
            continue
        frames = stack.split(";")
        if not any("django/core/handlers" in f for f in frames):
            continue  # not serving a request: idle threads, the server's own loop
        count = int(n)
        total += count
        for f in set(frames):
            inclusive[f] += count
        by_cat[_category(frames)] += count
    if not total:
        return "  (no samples inside requests)"
    out = [f"  {total} samples inside requests; by the innermost frames:"]
    for label, n in by_cat.most_common():
        out.append(f"    {100 * n / total:5.1f} %  {label}")
    out.append("  functions with the most time inside them (inclusive):")
    for f, n in inclusive.most_common(top + 8):
        if "django/core/handlers" in f or "granian" in f or "<module>" in f:
            continue
        out.append(f"    {100 * n / total:5.1f} %  {f[:150]}")
        top -= 1
        if top == 0:
            break
    return "\n".join(out)


def py_spy() -> str | None:
    candidates = [shutil.which("py-spy"), str(Path(sys.executable).parent / "py-spy")]
    return next((c for c in candidates if c and Path(c).exists()), None)


# --- main ----------------------------------------------------------------------------------

def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--database-url", default=None)
    ap.add_argument("--duration", type=int, default=20, help="seconds per scenario")
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="granian worker processes (default: the number of cores)")
    ap.add_argument("--blocking-threads", type=int, default=1,
                    help="granian threads per worker (each holds a database connection)")
    ap.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    ap.add_argument("--scenarios", default="search,book,cancel,rush")
    ap.add_argument("--book-lines", type=int, default=60_000,
                    help="distinct affiliate/slot pairs for the booking scenario")
    ap.add_argument("--rush-tokens", type=int, default=25_000)
    ap.add_argument("--keep-bookings", action="store_true",
                    help="keep the bookings of earlier runs (default: free them first)")
    ap.add_argument("--no-raw", action="store_true", help="skip the pgbench runs")
    ap.add_argument("--pgbench-mode", choices=("auto", "simple", "prepared"), default="auto",
                    help="pgbench's query protocol; auto: the one the server uses (prepared "
                         "statements unless DATABASE_SERVER_SIDE_BINDING=0)")
    ap.add_argument("--profile", action="store_true",
                    help="sample the workers with py-spy during an extra booking run")
    ap.add_argument("--show-sql", action="store_true")
    ap.add_argument("--smoke", action="store_true",
                    help="a few seconds per scenario and few clients (CI)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workdir", default=None, help="where the workload files go")
    args = ap.parse_args(argv)
    if args.smoke:
        args.duration = min(args.duration, 2)
        args.connections = min(args.connections, 4)
        args.book_lines = min(args.book_lines, 300)
        args.rush_tokens = min(args.rush_tokens, 200)
    return args


def ratio(api: Result | None, raw: Result | None) -> float | None:
    if api is None or raw is None or not raw.rps:
        return None
    return api.rps / raw.rps


def main(argv=None) -> int:
    args = parse_args(argv)
    url = benchlib.database_url(args.database_url)
    benchlib.django_setup(url, production=True)
    import psycopg
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    # A database loaded by an earlier version: bring its schema up to this code's.
    call_command("migrate", verbosity=0, interactive=False)

    binding = settings.DATABASES["default"].get("OPTIONS", {}).get("server_side_binding")
    if args.pgbench_mode == "auto":
        args.pgbench_mode = "prepared" if binding else "simple"

    from ventanilla.countries.registry import get_pack

    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk"))
    if args.client == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="ventanilla-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    today = timezone.now().astimezone(get_pack("EC").tz).date()
    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]

    with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cur:
        loaded = cur.execute("SELECT to_regclass('bench_load') IS NOT NULL").fetchone()[0]
        sizes = (cur.execute("SELECT params FROM bench_load").fetchone() or [None])[0] \
            if loaded else None
        if not sizes:
            raise SystemExit("load the data first: uv run python bench/load_national.py")
        print(f"Database {benchlib.database_name(url)}: {json.dumps(sizes)}")
        if not args.keep_bookings:
            print(f"Freed {reset_bookings(cur):,} bookings of earlier runs")
        t0 = time.perf_counter()
        workload = build_workload(cur, workdir, book_lines=args.book_lines,
                                  rush_tokens=args.rush_tokens,
                                  profile_lines=args.book_lines // 4 if args.profile else 1,
                                  today=today, days=sizes["days"], rng=rng)
        print(f"Workload: {len(workload.tokens_by_person):,} booking tokens minted, files in "
              f"{workdir} ({time.perf_counter() - t0:.1f} s)")
    search_sql, per_request = capture_sql(workload, args.show_sql)
    print(f"SQL statements per request (captured): booking {per_request['booking']} "
          f"(incl. BEGIN/COMMIT), cancel {per_request['cancel']}, "
          f"search {per_request['search']}")

    raw_dir = workdir / "pgbench"
    raw_dir.mkdir(exist_ok=True)
    search_scripts = []
    for i, statement in enumerate(search_sql):
        path = raw_dir / f"search_{i}.sql"
        path.write_text(statement + ";\n")
        search_scripts.append(path)
    (raw_dir / "booking.sql").write_text(BOOKING_TRANSACTION)
    (raw_dir / "booking_full.sql").write_text(BOOKING_READS + BOOKING_TRANSACTION.split(
        "\\set sid random(:slot_lo, :slot_hi)\n", 1)[1])

    port = free_port()
    server = Server(url, workers=args.workers, threads=args.blocking_threads, port=port,
                    log=workdir / "server.log")
    client = None if use_wrk else PyClient(port)
    wrk_threads = min(2, args.connections)
    print(f"Server: {' '.join(server.command[2:])}")
    print(f"Client: {'wrk' if use_wrk else 'Python threads (wrk not found)'}, "
          f"{args.connections} connections, {args.duration} s per scenario; "
          f"pgbench -c {args.connections} -j {wrk_threads} -T {args.duration} "
          f"-M {args.pgbench_mode}; the server's statements: "
          f"{'prepared (server-side binding)' if binding else 'simple (client-side binding)'}")

    def api(name: str, scenario: str, files: dict[str, Path], duration: int | None = None
            ) -> Result:
        duration = duration or args.duration
        if use_wrk:
            result = run_wrk(name, f"{scenario}.lua", port=port, duration=duration,
                             connections=args.connections, threads=wrk_threads, files=files)
        else:
            result = client.run(name, scenario, duration=duration,
                                connections=args.connections, files=files)
        print(result.line(), flush=True)
        return result

    def raw(name: str, scripts: list[Path]) -> Result:
        result = run_pgbench(name, scripts, url=url, duration=args.duration,
                             connections=args.connections, threads=wrk_threads,
                             variables=workload.raw_vars, workdir=workdir,
                             mode=args.pgbench_mode)
        print(result.line(), flush=True)
        return result

    results: dict[str, Result] = {}
    profile_text = None
    server.start()
    try:
        api("warm-up (search)", "search", {"BENCH_FILE": workload.search},
            duration=max(1, min(3, args.duration)))
        if "search" in scenarios:
            results["search"] = api("API slot search", "search",
                                    {"BENCH_FILE": workload.search})
            if not args.no_raw:
                results["raw_search"] = raw("raw SQL slot search", search_scripts)
        if "book" in scenarios:
            results["book"] = api("API booking", "book", {"BENCH_FILE": workload.book})
            if not args.no_raw:
                results["raw_book"] = raw("raw SQL booking (tx)", [raw_dir / "booking.sql"])
                results["raw_book_full"] = raw("raw SQL booking (all)",
                                               [raw_dir / "booking_full.sql"])
        if "cancel" in scenarios:
            with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cur:
                path = cancel_file(cur, workload)
            results["cancel"] = api("API cancelling", "cancel", {"BENCH_FILE": path})
            results["cancel"].note = f"({len(path.read_text().splitlines())} bookings to cancel)"
        if "rush" in scenarios:
            results["rush"] = api("API 07:00 rush (mixed)", "rush",
                                  {"BENCH_FILE": workload.rush_searches,
                                   "BENCH_TOKENS": workload.rush_tokens})
        if args.profile:
            profile_text = profile_run(args, server, api, workload)
    finally:
        server.stop()

    with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cur:
        checks = integrity(cur)
    report(args, results, checks, per_request, profile_text)
    bad = checks["slots_over_capacity"] or checks["slots_counter_mismatch"] or any(
        r.server_error for k, r in results.items() if not k.startswith("raw"))
    return 1 if bad else 0


def profile_run(args, server: Server, api, workload: Workload) -> str:
    spy = py_spy()
    if spy is None:
        return ("  py-spy not found: install it into the venv for this run only with "
                "`uv pip install py-spy` (it is not a project dependency)")
    raw = workload.dir / "profile.txt"
    duration = max(3, args.duration)
    proc = subprocess.Popen([spy, "record", "--pid", str(server.proc.pid), "--subprocesses",
                             "--function", "--rate", "200", "--format", "raw", "--output",
                             str(raw), "--duration", str(duration + 1), "--nonblocking"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(1)
    result = api("API booking (profiled)", "book", {"BENCH_FILE": workload.profile_book},
                 duration=duration)
    _out, err = proc.communicate(timeout=120)
    if not raw.exists():
        return f"  py-spy failed: {err.strip()[-500:]}"
    # On-CPU samples only: on this box a worker "waiting for PostgreSQL" is mostly waiting
    # for a core, so wall-clock samples would blame the database for the CPU contention.
    return (f"  (py-spy, on-CPU samples at 200 Hz on every worker during {result.requests} "
            f"bookings; not counted above)\n" + summarise_profile(raw))


def report(args, results: dict[str, Result], checks: dict[str, int],
           per_request: dict[str, int], profile_text: str | None) -> None:
    print("\n=== Results (API through HTTP vs raw SQL through pgbench, same machine, same "
          f"concurrency {args.connections}, {args.duration} s each) ===")
    for r in results.values():
        print(r.line())
    print()
    rows = [("search", "raw_search", "search_ratio", "search_p99_ms"),
            ("book", "raw_book", "book_ratio", "book_p99_ms")]
    for api_key, raw_key, ratio_key, p99_key in rows:
        a, r = results.get(api_key), results.get(raw_key)
        q = ratio(a, r)
        if a is None:
            continue
        verdict = ""
        if q is not None:
            verdict = "meets" if q >= TARGETS[ratio_key] else "BELOW"
            print(f"RATIO {api_key:7s} API {a.rps:8.1f} req/s / raw {r.rps:8.1f} tx/s = "
                  f"{100 * q:5.1f} %  (target ≥ {100 * TARGETS[ratio_key]:.0f} %: {verdict})")
        p99_ok = "meets" if a.p99_ms < TARGETS[p99_key] else "ABOVE"
        print(f"P99   {api_key:7s} {a.p99_ms:7.2f} ms (target < {TARGETS[p99_key]:.0f} ms: "
              f"{p99_ok})")
    full = ratio(results.get("book"), results.get("raw_book_full"))
    if full is not None:
        print(f"RATIO booking against every statement of the request "
              f"({per_request['booking']} statements): {100 * full:5.1f} %")
    errors_5xx = sum(r.server_error for k, r in results.items() if not k.startswith("raw"))
    print(f"5XX   {errors_5xx} server errors in all API scenarios (target 0)")
    print(f"DOUBLE-BOOKINGS slots over capacity: {checks['slots_over_capacity']}, "
          f"slots whose booked_count differs from their active bookings: "
          f"{checks['slots_counter_mismatch']}, same person twice on a slot: "
          f"{checks['person_slot_duplicates']} (targets 0) — {checks['active_bookings']:,} "
          f"active bookings of {checks['bookings_total']:,}")
    if profile_text is not None:
        print("\n=== Where the time goes in a booking request ===")
        print(profile_text)


if __name__ == "__main__":
    sys.exit(main())
