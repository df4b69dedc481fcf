"""How long an ICD-10 search takes (issue 13, item 7: under 5 ms a query once warm).

    uv run python bench/icd10_search.py              # 500 rounds of each query
    uv run python bench/icd10_search.py --rounds 50

Prints the time to build the index (the first search), then per query the median and the
95th percentile of a round, in milliseconds, and how many items it found (at most 20).
No database: the search reads only the packaged data.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import benchlib  # noqa: F401 (puts the project on sys.path)

QUERIES = [
    "j06",
    "J06.9",
    "j0",
    "faringitis",
    "faringitis aguda",
    "infeccion aguda",
    "pharyngitis",
    "diabetes tipo 2",
    "fractura femur",
    "zika",
    "a",
    "de",
    "er",
    "ica",
    "cion",
    "no especificada",
    "xyzzy",
]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=500)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.config.settings.test")
    import django

    django.setup()
    from ventanilla.certificates.icd10 import icd10_search

    start = time.perf_counter()
    icd10_search("warm", "es")
    print(f"index built in {(time.perf_counter() - start) * 1000:.0f} ms")
    worst = 0.0
    for q in QUERIES:
        times = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            found = icd10_search(q, "es")
            times.append((time.perf_counter() - start) * 1000)
        p95 = statistics.quantiles(times, n=20)[-1]
        worst = max(worst, p95)
        print(
            f"{q!r:22} median {statistics.median(times):5.2f} ms   p95 {p95:5.2f} ms   "
            f"{len(found):2d} found"
        )
    print(f"slowest p95: {worst:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
