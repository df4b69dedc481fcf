"""The certificates benchmark still runs (issue 13, "Scale"): a tiny load and a few requests
of every scenario, in the test database (SQLite or PostgreSQL), in a few seconds.

Not a timed test: it checks that the loader loads what it says and that every figure line
is printed; the figures themselves come from ``bench/certificates.py`` on a full load
(README, "Benchmarks").
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
BENCH = Path(__file__).resolve().parents[2] / "bench"
SCENARIOS = ("first page", "filter by kind", "filter by centre (contains)", "overdue only",
             "deep page", "deep page, plain OFFSET (before)", "counts", "open one certificate")


def bench_module():
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_certificates",
                                                  BENCH / "certificates.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module    # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_certificates_bench_smoke_loads_and_prints_every_figure(roles):
    from ventanilla.certificates.models import Certificate

    bench = bench_module()
    lines: list[str] = []
    results = bench.run(certificates=200, decided=50, requests=3, check_calls=30,
                        out=lines.append)   # in the test database: no page, no endpoint
    out = "\n".join(lines)

    assert re.search(r"^Loaded 200 pending and 50 decided certificates of 50 patients", out,
                     re.MULTILINE), out
    pending = Certificate.objects.filter(status="submitted", source="private")
    assert pending.count() == 200
    assert set(pending.values_list("country", flat=True)) == {"EC", "PE"}
    assert set(pending.values_list("kind", flat=True)) == {
        "illness", "accident", "hospitalisation", "maternity"}
    for country in ("EC", "PE"):
        for name in SCENARIOS:
            assert re.search(rf"^QUEUE {country} {re.escape(name)} +p50 +[\d.]+ ms +p95 +[\d.]+ "
                             r"ms +p99 +[\d.]+ ms +max +[\d.]+ ms +n=3$", out, re.MULTILINE), name
    assert re.search(r"^P99   the slowest queue scenario: QUEUE .* ms \(target < 200 ms: "
                     r"(meets|ABOVE)\)$", out, re.MULTILINE)
    assert re.search(r"^CHECKS services\.certificate_check +[\d.]+ /s  \(30 calls in ", out,
                     re.MULTILINE)
    assert re.search(r"^CHECKS checks\.certificate_checks +[\d.]+ /s", out, re.MULTILINE)
    assert re.search(r"^RATE  automatic checks [\d.]+ /s on one core \(target ≥ 200 /s: "
                     r"(meets|BELOW)\)$", out, re.MULTILINE)
    assert results["checks"]["service"] > 0
    # one in ten typed certificates has a wrong code and name: the checks say so
    assert re.search(r"; 3 with findings that refuse\)", out)


def test_certificates_bench_measures_the_desk_and_the_check_endpoint(roles):
    bench = bench_module()
    lines: list[str] = []
    results = bench.run(certificates=120, decided=30, requests=2, check_calls=20,
                        out=lines.append)
    out = "\n".join(lines)

    assert "are not in this checkout" not in out
    for country in ("EC", "PE"):
        for name in ("view: first page", "view: filter by kind", "view: filter by centre",
                     "view: deep page", "view: open one certificate"):
            assert re.search(rf"^QUEUE {country} {name} +p50 .* n=2$", out,
                             re.MULTILINE), (country, name)
    assert "adjust" not in out
    answered = re.search(r"^CHECKS POST /api/v1/certificates/check +([\d.]+) /s  "
                         r"\((\d+) requests, statuses \{200: (\d+)\}\)$", out, re.MULTILINE)
    assert answered and answered.group(2) == answered.group(3) and int(answered.group(2)) > 0
    assert results["checks"]["api"] == pytest.approx(float(answered.group(1)), abs=0.1)
    assert re.search(r"^RATE  automatic checks [\d.]+ /s on one core", out, re.MULTILINE)
