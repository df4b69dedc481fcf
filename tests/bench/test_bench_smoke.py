"""The benchmark scripts still run (issue 4, "Speed"): a tiny load and a few seconds of each
scenario against a throw-away PostgreSQL database, without wrk if it is not installed.

Not a timed test: it checks that every figure line is printed, that the API answered without
5xx and that no slot was double-booked. Skipped on SQLite, like the concurrency tests.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")


@pytest.fixture
def smoke_database_url():
    if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
        pytest.skip("the benchmark runs on PostgreSQL (set DATABASE_URL)")
    parts = urlsplit(DATABASE_URL)
    name = f"ventanilla_bench_smoke_{os.getpid()}"
    url = urlunsplit(parts._replace(path=f"/{name}"))
    yield url
    import psycopg

    with psycopg.connect(urlunsplit(parts._replace(path="/template1")),
                         autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(args: list[str], url: str, timeout: int) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = url
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)


def test_bench_smoke_loads_runs_and_finds_no_double_booking(smoke_database_url):
    # Given a tiny national load
    load = _run(["bench/load_national.py", "--persons", "2000", "--doctors", "10",
                 "--centres", "2", "--days", "3", "--reset"], smoke_database_url, 120)
    assert load.returncode == 0, load.stdout + load.stderr
    assert re.search(r"people_person\s+2,000", load.stdout)
    assert re.search(r"scheduling_doctor\s+10\b", load.stdout)
    assert "200/200 cédulas and registration numbers valid" in load.stdout
    assert "slots_generate on ec-bench-0001 created 0, closed 0" in load.stdout

    # When every scenario runs for a few seconds (pgbench beside it when installed)
    args = ["bench/run.py", "--smoke"]
    if shutil.which("pgbench") is None:
        args.append("--no-raw")
    run = _run(args, smoke_database_url, 150)
    out = run.stdout

    # Then every figure is printed, nothing failed and no slot holds too many bookings
    assert run.returncode == 0, out + run.stderr
    for name in ("API slot search", "API booking", "API cancelling", "API 07:00 rush"):
        assert re.search(rf"^{re.escape(name)}.* req/s +p50 +[\d.]+ ms +p99 +[\d.]+ ms", out,
                         re.MULTILINE), name
    if "--no-raw" not in args:
        assert re.search(r"^raw SQL slot search .* tx/s", out, re.MULTILINE)
        assert re.search(r"^raw SQL booking \(tx\) .* tx/s", out, re.MULTILINE)
        assert re.search(r"^RATIO search .* = +[\d.]+ %", out, re.MULTILINE)
        assert re.search(r"^RATIO book .* = +[\d.]+ %", out, re.MULTILINE)
    assert "5XX   0 server errors" in out
    assert ("DOUBLE-BOOKINGS slots over capacity: 0, slots whose booked_count differs from "
            "their active bookings: 0, same person twice on a slot: 0") in out
    booked = re.search(r"^API booking .* 2xx=(\d+) ", out, re.MULTILINE)
    assert booked and int(booked.group(1)) > 0
