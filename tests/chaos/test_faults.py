"""Issue 11, "Staying up": the production stack (``ventanilla run``: granian with respawned
workers and the supervised task worker, production settings, the connection pool, Redis, a
real SMTP server, the application's database role) under booking and registration load
while a web worker is killed, the task worker is killed, every database connection of the
service is terminated and the mail server is down for a while (``bench/faults.py``,
shortened). Only requests in flight at a fault may fail; nothing acknowledged is lost;
every acknowledged registration's e-mail arrives exactly once. PostgreSQL only."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.alone]

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")


@pytest.fixture
def database():
    if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
        pytest.skip("the fault run needs PostgreSQL (set DATABASE_URL)")
    name = f"ventanilla_faults_{os.getpid()}"
    yield name
    import psycopg

    parts = urlsplit(DATABASE_URL)
    with psycopg.connect(urlunsplit(parts._replace(path="/template1")),
                         autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_service_stays_up_and_loses_nothing_through_each_fault(database):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    out = subprocess.run([sys.executable, "bench/faults.py", "--smoke", "--database", database],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
                         check=False)
    report = out.stdout
    print(report)
    figures = dict(re.findall(r"^([A-Z-]+) (\d+)", report, flags=re.M))
    assert out.returncode == 0, report + out.stderr[-3000:]
    assert figures["LOST-WRITES"] == "0" and figures["MISSING-EMAILS"] == "0"
    assert figures["DOUBLED-EMAILS"] == "0" and figures["FAILED-NOT-IN-FLIGHT"] == "0"
    rows = {m[0].strip(): m for m in re.findall(
        r"^(steady|web worker killed|task worker killed|database connections killed|"
        r"mail server down)\s+(\d+)\s+(\d+)\s+(\d+)", report, flags=re.M)}
    assert len(rows) == 5
    for name, (_n, requests, acked, _failed) in rows.items():
        assert int(requests) > 50 and int(acked) > 50, (name, report)  # it kept answering
    assert int(re.search(r"registrations (\d+)", report).group(1)) > 20
