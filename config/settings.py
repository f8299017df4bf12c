"""Rekan's settings, read from the environment (see README for the table).

The embedded defaults (SQLite under var/, kombu's filesystem transport,
console email) let `make run` work with no server installed. With DEBUG off
the settings refuse an insecure configuration.
"""

from __future__ import annotations

import zoneinfo
from datetime import timedelta
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("REKAN_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", default=False)

# Only a development run may use this key; production refuses it below.
DEVELOPMENT_SECRET_KEY = "rekan-development-only-secret-key-never-use-in-production-0123456789"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
if not DEBUG and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when "
        "DEBUG is off (for example: python -c 'import secrets; "
        "print(secrets.token_urlsafe(64))')."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "simple_history",
    "accounts",
    "partners",
    "engagements",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for phones on slow networks; below WhiteNoise, which
    # answers static files itself with the copies it compressed at build time.
    # Django pads each compressed body with random bytes against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Logs out a session idle too long or open too long (SESSION_*_TIMEOUT below).
    "accounts.middleware.SessionTimeoutMiddleware",
    # Names the signed-in user as the author of every change the request saves.
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes must come last so that it sees the outcome of every log-in attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "accounts.context_processors.roles",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'rekan.sqlite3'}")
try:
    # Kept connections are checked before a request uses them, so that a restarted server costs no failed request.
    _database = dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0), conn_health_checks=True
    )
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {error}") from None
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the Celery worker and beat share one SQLite file in
    # `make run`: WAL and IMMEDIATE transactions make writers wait for each
    # other instead of failing with "database is locked".
    _database["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif _database["ENGINE"] == "django.db.backends.postgresql":
    _database["CONN_HEALTH_CHECKS"] = True
    # No JIT compilation: a page's queries read a few rows each, but the
    # planner's estimates for a union or a count over a large portfolio cross
    # jit_above_cost, and compiling then costs more than the query (measured:
    # 50 ms of JIT for a 19 ms query on Today at 2,000 partnerships).
    _options = _database.setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
else:
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL or SQLite.")
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Broker, cache ---------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured("REDIS_URL must start with redis:// or rediss://.")

CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
if not REDIS_URL:
    _broker_dir = VAR_DIR / "celery" / "broker"
    _processed_dir = VAR_DIR / "celery" / "processed"
    _control_dir = VAR_DIR / "celery" / "control"
    for _folder in (_broker_dir, _processed_dir, _control_dir):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_processed_dir),
        "control_folder": str(_control_dir),
        "store_processed": False,
    }
else:
    # A task whose worker died is delivered again after this long; it must
    # exceed the longest task so a slow task is not run twice.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "rekan")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Tests and one-off scripts may run tasks in-process (pretix does the same
# when no broker is configured).
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "rekan",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# How long a page built from many statements (Today, a partnership, the trust
# log) is kept for the person who asked (accounts.page_cache); any write gives
# a new data version, so a kept page is never behind the data. Off without
# Redis: a cache of one process would not hear of the other processes' writes.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300 if REDIS_URL else 0)

# --- Accounts and log-in ---------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Sessions end after this long without a request, and this long after the log-in whatever happens.
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("SESSION_IDLE_TIMEOUT_MINUTES", 8 * 60))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env_int("SESSION_ABSOLUTE_TIMEOUT_HOURS", 14 * 24))
if SESSION_IDLE_TIMEOUT < timedelta(minutes=1) or SESSION_ABSOLUTE_TIMEOUT < timedelta(hours=1):
    raise ImproperlyConfigured(
        "SESSION_IDLE_TIMEOUT_MINUTES must be at least 1 and SESSION_ABSOLUTE_TIMEOUT_HOURS at least 1."
    )
# The cookie does not outlive the session it names.
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())

# Log-in throttling: five failures for one username from one address lock
# that pair out for fifteen minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Keeps the recorded username within axes' column (the log-in forms refuse longer ones first).
AXES_USERNAME_CALLABLE = "accounts.login_throttle.axes_username"
AXES_VERBOSE = False

# --- Languages and time --------------------------------------------------

LANGUAGES = [("en", "English"), ("id", "Bahasa Indonesia")]
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE must be one of {list(dict(LANGUAGES))}.")
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# Numbers people read are grouped (2.650 in Indonesian, 2,650 in English);
# numbers machines read (ids, SVG, CSS) are written with |unlocalize.
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Jakarta")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"TIME_ZONE={TIME_ZONE!r} is not a known time zone.") from None
CELERY_TIMEZONE = TIME_ZONE

# --- Static files ----------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# WhiteNoise warns about a missing folder before the first collectstatic.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# The web app manifest (static/manifest.webmanifest), which WhiteNoise does not know by its extension.
WHITENOISE_MIMETYPES = {".webmanifest": "application/manifest+json"}

# --- Email -----------------------------------------------------------------

# Development prints email to the console; production sends it by SMTP.
EMAIL_BACKEND_NAME = env_choice("EMAIL_BACKEND", ["console", "file", "smtp"], "console" if DEBUG else "smtp")
if EMAIL_BACKEND_NAME == "smtp":
    _smtp_options = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_str("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", default=False),
        "use_ssl": env_bool("EMAIL_USE_SSL", default=False),
        "timeout": 30,
    }
    if _smtp_options["use_tls"] and _smtp_options["use_ssl"]:
        raise ImproperlyConfigured("Set at most one of EMAIL_USE_TLS and EMAIL_USE_SSL.")
    _mailer = {"BACKEND": "config.mail.EmailBackend", "OPTIONS": _smtp_options}
elif EMAIL_BACKEND_NAME == "file":
    _mailer = {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))},
    }
else:
    _mailer = {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
MAILERS = {"default": _mailer}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Rekan <rekan@localhost>")
# Where people reach Rekan: links in emails and calendar feeds start with it.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("SITE_URL must start with http:// or https://.")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Message-IDs of reminders end with this (stable per outbox row, so a receiver can drop a copy).
EMAIL_MESSAGE_ID_DOMAIN = urlsplit(SITE_URL).hostname or "localhost"
# How long a reminder that meets temporary mail failures (4xx, no connection) keeps being retried.
REMINDER_RETRY_HOURS = env_int("REMINDER_RETRY_HOURS", 48)
# How many delivery tasks a sweep queues at once: each runs in a worker
# process of its own, and they share the outbox (claims skip locked rows).
# The worker's concurrency (make run: 2) is the most that pays.
REMINDER_DELIVERY_TASKS = env_int("REMINDER_DELIVERY_TASKS", 2)
if REMINDER_DELIVERY_TASKS < 1:
    raise ImproperlyConfigured("REMINDER_DELIVERY_TASKS must be at least 1.")
# --- WhatsApp (optional) -------------------------------------------------------
# The WhatsApp Cloud API as a second channel of the reminder outbox: set the
# token and the phone number id to turn it on. Contacts who agreed to
# WhatsApp reminders then get them there (email where WhatsApp fails).
WHATSAPP_TOKEN = env_str("WHATSAPP_TOKEN")
WHATSAPP_PHONE_NUMBER_ID = env_str("WHATSAPP_PHONE_NUMBER_ID")
# Signs the delivery statuses Meta posts to /webhooks/whatsapp/ (X-Hub-Signature-256).
WHATSAPP_APP_SECRET = env_str("WHATSAPP_APP_SECRET")
# What Meta must send back when it verifies the webhook's address (hub.verify_token).
WHATSAPP_VERIFY_TOKEN = env_str("WHATSAPP_VERIFY_TOKEN")
WHATSAPP_API_URL = env_str("WHATSAPP_API_URL", "https://graph.facebook.com/v23.0").rstrip("/")
# The approved message template reminders use; its body takes two
# parameters: the reminder's line (what is due, of which partnership, when)
# and the address to open.
WHATSAPP_TEMPLATE = env_str("WHATSAPP_TEMPLATE", "rekan_reminder")
# The approved template invitations use; its body takes three parameters:
# the partnership's title, the single-use link, and the day it stops working.
WHATSAPP_INVITATION_TEMPLATE = env_str("WHATSAPP_INVITATION_TEMPLATE", "rekan_invitation")
WHATSAPP_ENABLED = bool(WHATSAPP_TOKEN and WHATSAPP_PHONE_NUMBER_ID)
if WHATSAPP_ENABLED and not (WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN):
    raise ImproperlyConfigured(
        "WhatsApp reminders need WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN too: "
        "without them, delivery statuses cannot be received."
    )
if not WHATSAPP_API_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("WHATSAPP_API_URL must start with http:// or https://.")

# How often beat works out every partnership's flags and health score again (engagements.models.standing).
STANDING_REFRESH_SECONDS = env_int("STANDING_REFRESH_SECONDS", 10 * 60)

# --- Security ----------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The CSRF token reaches htmx through the page (hx-headers), never through
# JavaScript reading the cookie, so the cookie can be HttpOnly.
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
# Annotated as Django types it: set_cookie() takes only these values.
LANGUAGE_COOKIE_SAMESITE: Literal["Lax", "Strict", "None", False] | None = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # The load balancer and docker's health checks speak plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
if env_bool("TRUST_X_FORWARDED_PROTO", default=False):
    # Only behind a proxy that sets this header itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# --- Logging -----------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Axes logs every successful log-in at INFO; lock-outs stay visible.
    "loggers": {"axes": {"level": "WARNING"}},
}
