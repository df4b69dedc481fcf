"""Local default (`ventanilla serve`): SQLite, demo data, e-mail written to var/mail/ (the demo
mailbox), and otherwise as production: DEBUG off, compressed and hashed static files
(collected into var/static/ by `serve`). DJANGO_DEBUG=1 turns debugging on, with static files
served from the source folders."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
SECRET_KEY = (os.environ.get("DJANGO_SECRET_KEY")
              or "local-only-insecure-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", *ALLOWED_HOSTS]  # noqa: F405
if not os.environ.get("EMAIL_HOST"):
    # No SMTP server configured: e-mails are written to var/mail/ and shown on the demo
    # mailbox page, so a newcomer can read the one-time codes.
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                           "OPTIONS": {"file_path": str(VAR_DIR / "mail")}}}
if DEBUG:
    STORAGES = {
        **STORAGES,  # noqa: F405
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
# The demo mailbox page lets a newcomer read the one-time codes the service sent.
DEMO_MAILBOX = True
# WhatsApp demo: the simulator page signs its webhook payloads with these values.
WHATSAPP_VERIFY_TOKEN = os.environ.get("WHATSAPP_VERIFY_TOKEN") or "demo-verify-token"
WHATSAPP_APP_SECRET = os.environ.get("WHATSAPP_APP_SECRET") or "demo-app-secret"
DEMO_WHATSAPP = True

for _sub in ("", "mail", "private"):
    (VAR_DIR / _sub).mkdir(parents=True, exist_ok=True)
