"""Test settings: the database comes from DATABASE_URL (SQLite in a temp dir by default)."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import STORAGES

SECRET_KEY = "test-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["*"]
_tmp = Path(tempfile.mkdtemp(prefix="ventanilla-test-"))
STORAGES = {
    **STORAGES,
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(_tmp / "private"), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PASSWORD_HASHERS = [
    # Argon2 stays the production hasher; tests that check it import it explicitly.
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Messages go out right after the commit, in the test's process (the worker's loop is
# tested on its own, and end to end in tests/chaos/).
NOTIFICATION_DELIVER_INLINE = True
DEMO_MAILBOX = True
WHATSAPP_VERIFY_TOKEN = "test-verify-token"
WHATSAPP_APP_SECRET = "test-app-secret"
WHATSAPP_ACCESS_TOKEN = ""  # tests that send start a local server and set it
DEMO_WHATSAPP = True
if os.environ.get("DATABASE_URL", "").startswith("postgres"):
    # One connection per test thread, closed after each test: no pool (the fault tests in
    # tests/chaos/ run the server with production settings, pool included).
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
    DATABASES["default"].get("OPTIONS", {}).pop("pool", None)  # noqa: F405

# Every API answer of every test is held to the OpenAPI document (core.api_contract).
_GUARD = "ventanilla.core.api_contract.ContractGuardMiddleware"
MIDDLEWARE = [_GUARD, *MIDDLEWARE]  # noqa: F405
API_MIDDLEWARE = [_GUARD, *API_MIDDLEWARE]  # noqa: F405
