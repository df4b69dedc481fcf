"""Production: PostgreSQL, Redis cache, HTTPS only. Everything secret comes from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 50 and not os.environ.get("VENTANILLA_CHECK_ONLY"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to a long random value")
if not SECRET_KEY:
    SECRET_KEY = "check-only-" + "x" * 60  # `check --deploy` in CI; never served
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
DEMO_MAILBOX = False
DEMO_WHATSAPP = False
# WhatsApp (R-APT-07): secrets only from the environment (base.py reads them, no defaults).
# With WHATSAPP_ENABLED=1 every one of them is required; without it the webhook refuses
# every request (empty secrets) and replies stay unsent.
if os.environ.get("WHATSAPP_ENABLED") == "1" and not os.environ.get("VENTANILLA_CHECK_ONLY"):
    _missing = [name for name in ("WHATSAPP_VERIFY_TOKEN", "WHATSAPP_APP_SECRET",
                                  "WHATSAPP_ACCESS_TOKEN", "WHATSAPP_PHONE_NUMBER_ID")
                if not os.environ.get(name)]
    if _missing:
        raise ImproperlyConfigured("WhatsApp is enabled but these are not set: "
                                   + ", ".join(_missing))

# Database connections come from a bounded pool (base.connection_pool, DATABASE_POOL=1 by
# default). With DATABASE_POOL=0 (behind PgBouncer, say), connections persist for
# DATABASE_CONN_MAX_AGE seconds and are checked before reuse unless
# DATABASE_CONN_HEALTH_CHECKS=0.
if "pool" not in DATABASES["default"].get("OPTIONS", {}):  # noqa: F405
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = (  # noqa: F405
        os.environ.get("DATABASE_CONN_HEALTH_CHECKS", "1") == "1")
