"""The project's own deployment checks (``ventanilla check --deploy``).

Django's checks look at Django's settings; these look at what Ventanilla needs to run as
promised: a cache shared by every process (rate limits and lock-outs must not live in one
process's memory), every configured backend importable with the packages installed (a
production install has no development packages), and the secrets of each enabled channel.
"""

from __future__ import annotations

import importlib

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
# The client library each cache backend needs (imported lazily by Django, at first use).
CACHE_CLIENTS = {
    "django.core.cache.backends.redis.RedisCache": "redis",
    "django.core.cache.backends.memcached.PyMemcacheCache": "pymemcache",
}
WHATSAPP_SECRETS = ("WHATSAPP_VERIFY_TOKEN", "WHATSAPP_APP_SECRET", "WHATSAPP_ACCESS_TOKEN",
                    "WHATSAPP_PHONE_NUMBER_ID")


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache(app_configs=None, **kwargs):
    backend = settings.CACHES["default"]["BACKEND"]
    if backend in PROCESS_LOCAL_CACHES:
        return [checks.Error(
            f"The default cache is {backend.rsplit('.', 1)[-1]}, private to each process: "
            "rate limits would be counted per process and reset on every restart.",
            hint="Set REDIS_URL (docs/deploy.md).", id="ventanilla.E001")]
    return []


def _importable(path: str, what: str, check_id: str) -> list[checks.CheckMessage]:
    try:
        if "." in path:
            import_string(path)
        else:
            importlib.import_module(path)
    except ImportError as exc:
        return [checks.Error(f"{what} {path!r} cannot be imported: {exc}",
                             hint="Install the production dependencies: uv sync --frozen "
                                  "--no-dev (pyproject.toml lists every one).", id=check_id)]
    return []


@checks.register(deploy=True)
def backends_importable(app_configs=None, **kwargs):
    errors: list[checks.CheckMessage] = []
    for alias, cache in settings.CACHES.items():
        errors += _importable(cache["BACKEND"], f"Cache {alias!r}", "ventanilla.E002")
        client = CACHE_CLIENTS.get(cache["BACKEND"])
        if client:
            errors += _importable(client, f"The client of cache {alias!r}", "ventanilla.E002")
    for alias, db in settings.DATABASES.items():
        errors += _importable(f"{db['ENGINE']}.base.DatabaseWrapper", f"Database {alias!r}",
                              "ventanilla.E002")
        if db.get("OPTIONS", {}).get("pool"):
            errors += _importable("psycopg_pool.ConnectionPool",
                                  f"The connection pool of database {alias!r}",
                                  "ventanilla.E002")
    for alias, mailer in getattr(settings, "MAILERS", {}).items():
        errors += _importable(mailer.get("BACKEND", "django.core.mail.backends.smtp."
                                                    "EmailBackend"),
                              f"Mailer {alias!r}", "ventanilla.E002")
    for alias, task in settings.TASKS.items():
        errors += _importable(task["BACKEND"], f"Task backend {alias!r}", "ventanilla.E002")
    for alias, storage in settings.STORAGES.items():
        errors += _importable(storage["BACKEND"], f"Storage {alias!r}", "ventanilla.E002")
    for path in settings.MIDDLEWARE:
        errors += _importable(path, "Middleware", "ventanilla.E002")
    return errors


@checks.register(deploy=True)
def channel_secrets(app_configs=None, **kwargs):
    errors: list[checks.CheckMessage] = []
    if getattr(settings, "WHATSAPP_ENABLED", False):
        missing = [name for name in WHATSAPP_SECRETS if not getattr(settings, name, "")]
        if missing:
            errors.append(checks.Error(
                "WhatsApp is enabled but these are not set: " + ", ".join(missing),
                hint="Set them in the environment (docs/whatsapp.md).", id="ventanilla.E003"))
    if not settings.SITE_URL.startswith("https://"):
        errors.append(checks.Error(
            f"SITE_URL is {settings.SITE_URL!r}: links in e-mails and QR codes must be https.",
            hint="export SITE_URL=https://<your host>", id="ventanilla.E004"))
    if getattr(settings, "DEMO_MAILBOX", False) or getattr(settings, "DEMO_WHATSAPP", False):
        errors.append(checks.Error(
            "A demo page (the mailbox or the WhatsApp simulator) is on: it shows one-time "
            "codes and acts for anyone.", id="ventanilla.E005"))
    return errors
