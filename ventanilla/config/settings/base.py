"""Settings shared by every environment. Environment-specific files import from here."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]  # the ventanilla package
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("VENTANILLA_VAR_DIR", PROJECT_DIR / "var"))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS: list[str] = [
    h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # Django's widget templates, included by the admin's (date inputs)
    "axes",
    "ninja",
    "django_tasks_db",
    "ventanilla.core",
    "ventanilla.accounts",
    "ventanilla.countries",
    "ventanilla.people",
    "ventanilla.scheduling",
    "ventanilla.cases",
    "ventanilla.registration",
    "ventanilla.affiliation",
    "ventanilla.contributions",
    "ventanilla.dependants",
    "ventanilla.notifications",
    "ventanilla.whatsapp",
    "ventanilla.certificates",
    "ventanilla.channels",
    "ventanilla.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # outside SessionMiddleware: it reads whether the session was used (see its docstring)
    "ventanilla.core.middleware.PersonalDataCacheMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ventanilla.core.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
    "ventanilla.core.middleware.ApiNulRefusalMiddleware",
]
# /api/ (ventanilla.config.wsgi): the same chain without what only pages need.
API_MIDDLEWARE = [m for m in MIDDLEWARE if m not in (
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # outside SessionMiddleware: it reads whether the session was used (see its docstring)
    "ventanilla.core.middleware.PersonalDataCacheMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
)]

ROOT_URLCONF = "ventanilla.config.urls"
WSGI_APPLICATION = "ventanilla.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ventanilla.core.context_processors.site",
                "ventanilla.channels.context_processors.help_contacts",
            ],
            # One date format per language in every template (ventanilla.core.dates).
            "builtins": ["ventanilla.core.templatetags.dates"],
        },
    },
]
FORM_RENDERER = "ventanilla.core.forms.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ventanilla.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web process and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }


def server_side_binding(databases: dict, *, default: str) -> None:
    """DATABASE_SERVER_SIDE_BINDING=1 (the default, so tests run as production does):
    psycopg binds parameters on the server and prepares a statement after its fifth use on
    a connection, so PostgreSQL stops parsing and planning the hot statements on every
    request (docs/scheduling.md, "Performance"). Set it to 0 behind a pooler that cannot
    keep prepared statements (PgBouncer in transaction mode before 1.21)."""
    db = databases["default"]
    if (os.environ.get("DATABASE_SERVER_SIDE_BINDING", default) == "1"
            and db["ENGINE"] == "django.db.backends.postgresql"):
        # Django's default prepare_threshold is "never"; psycopg's own is 5.
        db.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)


server_side_binding(DATABASES, default="1")


def connection_pool(databases: dict, *, default: str) -> None:
    """DATABASE_POOL=1 (the default on PostgreSQL outside tests): each process takes its
    connections from a bounded pool (psycopg_pool, through Django's ``pool`` option) of at
    most DATABASE_POOL_SIZE connections, by default the number of threads of a web worker
    (VENTANILLA_WEB_THREADS), so connections never outnumber what PostgreSQL allows however
    many requests arrive (docs/deploy.md has the formula). A connection is checked when it
    is taken from the pool, so one killed on the server fails no request; only a request
    using it at that moment may fail. A request that waits DATABASE_POOL_TIMEOUT seconds
    for a connection gets 503."""
    db = databases["default"]
    if (os.environ.get("DATABASE_POOL", default) != "1"
            or db["ENGINE"] != "django.db.backends.postgresql"):
        return
    size = max(1, int(os.environ.get("DATABASE_POOL_SIZE")
                      or os.environ.get("VENTANILLA_WEB_THREADS") or "8"))
    db["CONN_MAX_AGE"] = 0            # required by the pool, which keeps them instead
    db["CONN_HEALTH_CHECKS"] = True   # the pool checks a connection before handing it out
    db.setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1, "max_size": size, "name": "ventanilla",
        "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
        "max_idle": 300, "max_lifetime": 3600}


connection_pool(DATABASES, default="1")
# PostgreSQL: the role the service connects as, when migrations run as another (the owner):
# every migrate grants it its privileges, without UPDATE, DELETE or TRUNCATE on the audit log
# (core.dbroles; docs/deploy.md). Empty: one role does both (development, tests).
DATABASE_APP_ROLE = os.environ.get("DATABASE_APP_ROLE", "")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "ventanilla.accounts.throttle.ThrottleBackend",  # refuses a name that must wait
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"

# Sign-in throttling (django-axes): lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ventanilla.core.lockout.lockout_response"
# axes keeps the form of a failed sign-in: never the ID number, a code or the clave in it
AXES_SENSITIVE_PARAMETERS = ["id_number", "code", "password", "new_password",
                             "phone_last_digits", "date_of_birth"]
# The proxies in front (addresses or networks, "127.0.0.1,10.0.0.0/8"): from them the
# client's address is read from X-Forwarded-For (core.middleware.client_ip), for rate limits,
# lock-outs and the audit log. Empty: REMOTE_ADDR is the client.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",")
                   if p.strip()]
AXES_CLIENT_IP_CALLABLE = "ventanilla.core.middleware.client_ip"
# Failures of one ID number or username from every address together (accounts.throttle):
# from the SIGNIN_DELAY_AFTER-th failure within SIGNIN_WINDOW_HOURS each further try waits
# SIGNIN_DELAY_FIRST_SECONDS, doubling (30 s, 1 min, 2 min…); at SIGNIN_LOCK_AFTER failures
# the name is locked for SIGNIN_LOCK_HOURS, or until a new clave is set, and its owner is
# told by e-mail. 30 addresses × 5 tries no longer give 150 guesses: they give 10 a day.
SIGNIN_DELAY_AFTER = int(os.environ.get("SIGNIN_DELAY_AFTER", "5"))
SIGNIN_DELAY_FIRST_SECONDS = int(os.environ.get("SIGNIN_DELAY_FIRST_SECONDS", "30"))
SIGNIN_LOCK_AFTER = int(os.environ.get("SIGNIN_LOCK_AFTER", "10"))
SIGNIN_LOCK_HOURS = int(os.environ.get("SIGNIN_LOCK_HOURS", "24"))
SIGNIN_WINDOW_HOURS = int(os.environ.get("SIGNIN_WINDOW_HOURS", "24"))

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# DATE_FORMAT / DATETIME_FORMAT per language, the same as ventanilla.core.dates.
FORMAT_MODULE_PATH = ["ventanilla.config.formats"]
TIME_ZONE = "America/Guayaquil"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private"), "base_url": None},
    },
    "staticfiles": {"BACKEND": "ventanilla.core.storage.StaticStorage"},
}
# Uploaded documents are health data: they are never served as static media, only through
# views that check who is asking (staff document view, audited). No URL route serves this
# prefix; it only has to be a path (Django's live test server expects one).
MEDIA_URL = "/private-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
# Largest image accepted, in pixels, read from the file's header before anything is decoded
# (registration.uploads). 64 MP takes every phone's 48-50 MP mode; a 108/200 MP photo is
# refused with a message to take it at a lower resolution. A PNG or HEIC at the cap needs
# 4 bytes a pixel (256 MB) to decode; JPEG is decoded at reduced scale (about 12 MP at most).
# Pillow's own limit (89 MP) stays above it, so Pillow never refuses first.
UPLOAD_MAX_PIXELS = int(os.environ.get("UPLOAD_MAX_PIXELS", str(64_000_000)))
# Every PDF is rewritten without active content in a child process with these limits
# (address space and CPU seconds); a file that needs more is refused.
UPLOAD_PDF_MAX_MEMORY = int(os.environ.get("UPLOAD_PDF_MAX_MEMORY", str(512 * 1024 * 1024)))
UPLOAD_PDF_MAX_SECONDS = int(os.environ.get("UPLOAD_PDF_MAX_SECONDS", "20"))

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
RATELIMIT_USE_CACHE = "default"
# One policy for every channel (core.ratelimit.limit, called by the services): attempts per
# client address unless the group says otherwise, as "count/period" (s, m, h, d).
# RATE_LIMITS="cases.lookup=20/m,registration.start=40/h" overrides some.
RATE_LIMITS = {
    "registration.start": "20/h",          # applications started (each sends a code)
    "registration.email_code": "5/h",      # new e-mail codes asked for, per address
    "registration.email_code.application": "5/h",  # … and per application
    "registration.resume_link": "10/h",    # links to continue an application
    "cases.lookup": os.environ.get("CASE_LOOKUP_RATE", "10/m"),  # reference + ID pairs
    "affiliation.plan_status": "10/m",     # public SIS status by DNI
    "accounts.signin": "30/m",             # sign-in attempts (the portal and the API)
    "accounts.clave_code": "20/h",         # counter codes turned into a clave
    "accounts.clave_online": "20/h",       # online clave requests, per address
    "accounts.clave_online.id": "5/h",     # … and per ID number
    "accounts.visitor_code": "20/h",       # office-visit codes by e-mail
    "scheduling.booking_copy": "5/h",      # copies of a booking, per person
}
RATE_LIMITS.update(
    (group.strip(), rate.strip()) for group, _eq, rate in
    (item.partition("=") for item in os.environ.get("RATE_LIMITS", "").split(",") if item))

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A task found running for longer than this is taken for one whose worker died (killed, the
# machine lost): the worker runs it again. Every task of the project is idempotent.
TASK_STALE_SECONDS = int(os.environ.get("TASK_STALE_SECONDS", "900"))

# The outbox (notifications): every e-mail and WhatsApp message is retried with backoff
# (first after NOTIFICATION_RETRY_FIRST_SECONDS, doubling up to ..._MAX_SECONDS) for
# NOTIFICATION_RETRY_HOURS, then marked undeliverable (admin: "Outgoing messages", with a
# resend action). A worker that claims a message has NOTIFICATION_LEASE_SECONDS to send it
# before another may try (it must exceed the SMTP and WhatsApp timeouts, 10 s).
NOTIFICATION_RETRY_HOURS = int(os.environ.get("NOTIFICATION_RETRY_HOURS", "24"))
NOTIFICATION_RETRY_FIRST_SECONDS = int(os.environ.get("NOTIFICATION_RETRY_FIRST_SECONDS", "30"))
NOTIFICATION_RETRY_MAX_SECONDS = int(os.environ.get("NOTIFICATION_RETRY_MAX_SECONDS", "3600"))
NOTIFICATION_LEASE_SECONDS = int(os.environ.get("NOTIFICATION_LEASE_SECONDS", "120"))
# Send right after the commit in the process that queued it (tests); else the worker does.
NOTIFICATION_DELIVER_INLINE = False

# Real e-mail goes through SMTP (Django 6.1 mailers).
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "127.0.0.1"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": os.environ.get("EMAIL_USE_TLS", "") == "1",
            "timeout": 10,
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL",
                                    "Ventanilla <no-reply@ventanilla.example>")
# Absolute base for links in e-mails and QR codes (no request exists in a background task).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

SESSION_COOKIE_HTTPONLY = True
# A session ends after an hour without activity; pages warn 2 minutes before (UX guide).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60)))
# Affiliates' API bearer tokens (signed, die when the clave changes)
AFFILIATE_TOKEN_TTL = int(os.environ.get("AFFILIATE_TOKEN_TTL", str(60 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The govuk-frontend "supported" snippet is the only inline script; it is allowed by hash.
GOVUK_SUPPORTED_SNIPPET_HASH = "'sha256-GUQ5ad8JK5KmEWmROf3LZd9ge94daqNvd8xy9YS1iDw='"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, GOVUK_SUPPORTED_SNIPPET_HASH],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

NINJA_PAGINATION_PER_PAGE = 50

# A banner on every page during an outage, e.g. "Las citas por teléfono funcionan: 131".
OUTAGE_BANNER = os.environ.get("OUTAGE_BANNER", "")

# How long one-time codes and links live.
EMAIL_CODE_TTL_MINUTES = 15
EMAIL_CODE_MAX_ATTEMPTS = 5
RESUME_LINK_TTL_HOURS = 72

# R-APT-11 (IESS since September 2025): most medical appointments of first-level
# specialties a person may hold in any window of N consecutive days, across all channels,
# as {days: most}; exceeding one blocks the channel used for 30 days (for good on a second
# offence; APPOINTMENT_CHANNEL_BLOCK_DAYS overrides the 30).
APPOINTMENT_QUOTAS = {1: 2, 7: 4, 30: 10}
# Choosing a time on the web holds its last free place for the person this many minutes
# while they check and confirm (scheduling.services.slot_hold; UX.md "Booking").
SLOT_HOLD_MINUTES = 10
# Slots are generated this many days ahead every day (scheduling.tasks.slots_generate_ahead);
# the booking flow's empty state names it ("in the next N days").
SLOTS_AHEAD_DAYS = 28
# "Notify me" (scheduling.alerts) watches for a free time this many days, then stops; the
# person sees until when and can ask again.
SLOT_ALERT_DAYS = 60

# WhatsApp Business Cloud API (R-APT-07): the webhook's handshake token and app secret
# (X-Hub-Signature-256), and the sender's endpoint, number id and access token. Empty
# secrets refuse every webhook request; an empty access token keeps replies unsent (demo).
WHATSAPP_ENABLED = os.environ.get("WHATSAPP_ENABLED") == "1"
WHATSAPP_VERIFY_TOKEN = os.environ.get("WHATSAPP_VERIFY_TOKEN", "")
WHATSAPP_APP_SECRET = os.environ.get("WHATSAPP_APP_SECRET", "")
WHATSAPP_ACCESS_TOKEN = os.environ.get("WHATSAPP_ACCESS_TOKEN", "")
WHATSAPP_PHONE_NUMBER_ID = os.environ.get("WHATSAPP_PHONE_NUMBER_ID", "")
WHATSAPP_API_URL = os.environ.get(
    "WHATSAPP_API_URL", "https://graph.facebook.com/v21.0/{phone_number_id}/messages")
# A conversation forgets who was identified after this many minutes without messages.
WHATSAPP_CONVERSATION_MINUTES = int(os.environ.get("WHATSAPP_CONVERSATION_MINUTES", "30"))
# The WhatsApp simulator page (/demo/whatsapp/); local and test settings turn it on.
DEMO_WHATSAPP = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's default config gives "django" its own console handler: one line, not two.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

COUNTRY_PACKS = [
    "ventanilla.countries.ec.EcuadorPack",
    "ventanilla.countries.pe.PeruPack",
]
