"""Shared pieces of the benchmark scripts: database URLs, Django set-up, Ecuador's provinces.

Nothing here is imported by the application; the scripts in ``bench/`` run as
``uv run python bench/<script>.py`` and import this module from their own folder.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/ventanilla_bench"
# Databases the benchmark must never create, drop or write to (shared with the test suite).
PROTECTED_DATABASES = frozenset({"postgres", "test", "test_test", "template0", "template1"})
# Tokens minted by the runner are checked by the server: both sign with this key.
BENCH_SECRET_KEY = "bench-only-" + "k" * 60
BENCH_PASSWORD = "Ventanilla-bench-2026"  # the clave of every generated affiliate

if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))


def database_url(url: str | None = None) -> str:
    url = url or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(f"the benchmark needs PostgreSQL, not {url!r}")
    name = database_name(url)
    if name in PROTECTED_DATABASES:
        raise SystemExit(f"refusing to use the database {name!r}: choose a name of your own")
    return url


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def pg_conninfo(url: str) -> dict[str, str]:
    """host/port/user/dbname for pgbench and psql (trust auth on loopback)."""
    parts = urlsplit(url)
    out = {"host": parts.hostname or "127.0.0.1", "port": str(parts.port or 5432),
           "user": parts.username or "postgres", "dbname": database_name(url)}
    if parts.password:
        out["password"] = parts.password
    return out


def ensure_database(url: str) -> bool:
    """Create the database when missing (connecting to template1, never to "postgres").
    Returns True when it was created."""
    import psycopg
    from psycopg import sql

    name = database_name(url)
    with psycopg.connect(with_database(url, "template1"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              (name,)).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = database_name(url)
    if name in PROTECTED_DATABASES:
        raise SystemExit(f"refusing to drop {name!r}")
    with psycopg.connect(with_database(url, "template1"), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                     .format(sql.Identifier(name)))


def django_setup(url: str, *, production: bool = False) -> None:
    """Configure Django for this database. ``production`` uses the production settings
    (DEBUG off, persistent connections) with the benchmark's secret key, as the server does."""
    os.environ["DATABASE_URL"] = url
    if production:
        os.environ.update(server_environment(url))
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.config.settings.local")
        os.environ.setdefault("DJANGO_DEBUG", "0")
    import django

    django.setup()


def server_environment(url: str, *, conn_max_age: int = 600) -> dict[str, str]:
    """Production settings through environment variables, as a deployment sets them, minus
    HTTPS (the benchmark speaks plain HTTP on loopback)."""
    return {
        "DJANGO_SETTINGS_MODULE": "ventanilla.config.settings.production",
        "DJANGO_SECRET_KEY": BENCH_SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": str(conn_max_age),
        "LOG_LEVEL": "WARNING",
        "AFFILIATE_TOKEN_TTL": str(6 * 3600),
    }


class Timer:
    """Prints ``label ... N rows in S s`` lines and keeps the totals."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.steps: list[tuple[str, float]] = []

    @contextmanager
    def step(self, label: str):
        print(f"  {label} ...", end="", flush=True)
        t0 = time.perf_counter()
        info: dict = {}
        yield info
        elapsed = time.perf_counter() - t0
        self.steps.append((label, elapsed))
        rows = f" {info['rows']:,} rows" if "rows" in info else ""
        print(f"{rows} in {elapsed:.1f} s", flush=True)

    @property
    def total(self) -> float:
        return time.perf_counter() - self.started


# The 24 provinces of Ecuador: geography code, capital canton (code ``XX01``), population
# of the 2022 census in thousands (INEC, rounded) and the capital's approximate coordinates.
# Centres are spread by population; their coordinates are the capital's, jittered.
PROVINCES: tuple[tuple[str, str, int, float, float], ...] = (
    ("01", "Cuenca", 801, -2.9005, -79.0045),
    ("02", "Guaranda", 199, -1.5926, -79.0010),
    ("03", "Azogues", 228, -2.7397, -78.8486),
    ("04", "Tulcán", 172, 0.8119, -77.7173),
    ("05", "Latacunga", 470, -0.9352, -78.6155),
    ("06", "Riobamba", 471, -1.6636, -78.6546),
    ("07", "Machala", 715, -3.2581, -79.9554),
    ("08", "Esmeraldas", 553, 0.9682, -79.6517),
    ("09", "Guayaquil", 4391, -2.1894, -79.8891),
    ("10", "Ibarra", 469, 0.3517, -78.1223),
    ("11", "Loja", 485, -3.9931, -79.2042),
    ("12", "Babahoyo", 898, -1.8022, -79.5344),
    ("13", "Portoviejo", 1593, -1.0546, -80.4545),
    ("14", "Macas", 192, -2.3087, -78.1114),
    ("15", "Tena", 133, -0.9938, -77.8129),
    ("16", "Puyo", 111, -1.4924, -77.9985),
    ("17", "Quito", 3089, -0.1807, -78.4678),
    ("18", "Ambato", 563, -1.2491, -78.6168),
    ("19", "Zamora", 110, -4.0670, -78.9567),
    ("20", "Puerto Baquerizo Moreno", 28, -0.9017, -89.6103),
    ("21", "Nueva Loja", 199, 0.0847, -76.8828),
    ("22", "Francisco de Orellana", 182, -0.4665, -76.9872),
    ("23", "Santo Domingo", 492, -0.2530, -79.1754),
    ("24", "Santa Elena", 385, -2.2262, -80.8587),
)

# Share of doctors per default specialty (R-APT-02): general medicine is the busiest.
SPECIALTY_WEIGHTS = {
    "general_medicine": 30, "family_medicine": 14, "pediatrics": 12, "dentistry": 12,
    "gynecology": 10, "psychology": 8, "ophthalmology": 7, "traumatology": 7,
}
POPULAR_SPECIALTY = "general_medicine"
