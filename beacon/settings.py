"""Django settings for Beacon.

Everything a deployment changes comes from the environment:

- ``BEACON_HOME``: the data folder (SQLite database, uploads, secret key);
  defaults to ``beacon-data`` in the working directory.
- ``BEACON_DATABASE_URL``: a database URL (``postgresql://…``) that replaces SQLite.
- ``BEACON_DEBUG``: ``1`` for development only.
- ``BEACON_ALLOWED_HOSTS``: comma-separated host names.
- ``BEACON_HTTPS``: ``0`` when browsers reach Beacon over plain HTTP (``beacon demo``);
  otherwise, with DEBUG off, HTTPS is required (docs/security-api.md).
"""

import os
import secrets
from pathlib import Path

import csp.constants as csp
import dj_database_url
from django.utils.translation import gettext_lazy as _

from beacon.analytics import sheets
from beacon.core.passwords import PasswordProfile

BASE_DIR = Path(__file__).resolve().parent
BEACON_HOME = Path(os.environ.get("BEACON_HOME") or Path.cwd() / "beacon-data").resolve()


def _secret_key() -> str:
    if os.environ.get("BEACON_SECRET_KEY"):
        return os.environ["BEACON_SECRET_KEY"]
    BEACON_HOME.mkdir(parents=True, exist_ok=True)
    path = BEACON_HOME / "secret_key"
    if not path.exists():
        # Created with 0600 from the first byte, so the key is never readable by others.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("BEACON_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("BEACON_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "auditlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "beacon.core",
    "beacon.jobs",
    "beacon.registry",
    "beacon.evaluation",
    "beacon.promotion",
    "beacon.chains",
    "beacon.supervision",
    "beacon.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "beacon.core.mfa.SecondFactorMiddleware",
    "beacon.core.middleware.SessionTimeoutMiddleware",
    "beacon.core.middleware.PasswordExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "beacon.core.changelog.ChangeLogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "beacon.urls"
WSGI_APPLICATION = "beacon.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "beacon.core.context_processors.navigation",
                "beacon.core.account.last_login",
            ],
        },
    }
]
# inputs and selects drawn in Python, as Django's widget templates draw them
FORM_RENDERER = "beacon.core.renderers.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("BEACON_DATABASE_URL") or f"sqlite:///{BEACON_HOME / 'beacon.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while an import writes; IMMEDIATE avoids lock upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# The cache is in the database (core.CacheEntry), so every worker process and every app
# host against the same database sees the same entries; a per-process or per-host cache
# would answer differently depending on which process serves a request.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "beacon_cache",
        # one entry per list, filter and scope counted (core/counts.py): 300 by default
        # would be culled within minutes of fifty users' work
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "beacon.core.permissions.RoleBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Password rules: MLPS level 3 (`mlps3`) or OWASP ASVS level 2 (`asvs`), each number settable
# on its own (BEACON_PASSWORD_MIN_LENGTH, _MIN_CLASSES, _HISTORY, _MAX_AGE_DAYS).
_PASSWORDS = PasswordProfile.named(os.environ.get("BEACON_PASSWORD_PROFILE", "mlps3"), os.environ)
BEACON_PASSWORD_PROFILE = _PASSWORDS.name
BEACON_PASSWORD_MAX_AGE_DAYS = _PASSWORDS.max_age_days
AUTH_PASSWORD_VALIDATORS = _PASSWORDS.validators()
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Session timeouts (MLPS level 3): idle expiry by the session's (and cookie's) age, renewed
# by SessionTimeoutMiddleware at most once per SESSION_RENEWAL_SECONDS rather than by a write
# on every request, so a session ends up to that much before its idle time, never after;
# absolute expiry enforced by the same middleware.
SESSION_IDLE_TIMEOUT = int(os.environ.get("BEACON_SESSION_IDLE_SECONDS", 30 * 60))
SESSION_ABSOLUTE_TIMEOUT = int(os.environ.get("BEACON_SESSION_ABSOLUTE_SECONDS", 12 * 3600))
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
SESSION_RENEWAL_SECONDS = min(60, SESSION_IDLE_TIMEOUT // 10)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the cookie-free meta tag instead


# HTTPS, on by default in production: TLS ends at a proxy in front of `beacon serve`
# (gunicorn speaks plain HTTP), which must say so in a header Django trusts only when
# BEACON_PROXY_SSL_HEADER names it; otherwise every request looks insecure and is
# redirected again. `BEACON_HTTPS=0` is for plain HTTP on one machine (`beacon demo`).
# Anything but "0" keeps HTTPS on: a mistyped value does not turn it off.
BEACON_HTTPS = os.environ.get("BEACON_HTTPS", "0" if DEBUG else "1") != "0"
BEACON_HSTS_SECONDS = int(os.environ.get("BEACON_HSTS_SECONDS", 365 * 24 * 3600))


def https_settings(https: bool) -> dict[str, bool | int]:
    """The settings that depend on browsers reaching Beacon over HTTPS only: a plain-HTTP
    request is redirected, browsers are told to use nothing else (HSTS) and the session
    and CSRF cookies are never sent without TLS. `beacon demo` and the tests serve plain
    HTTP on this machine with ``https_settings(False)``."""
    return {
        "SECURE_SSL_REDIRECT": https,
        "SECURE_HSTS_SECONDS": BEACON_HSTS_SECONDS if https else 0,
        "SESSION_COOKIE_SECURE": https,
        "CSRF_COOKIE_SECURE": https,
    }


globals().update(https_settings(BEACON_HTTPS))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = os.environ.get("BEACON_HSTS_PRELOAD", "1") != "0"
if os.environ.get("BEACON_PROXY_SSL_HEADER"):
    # e.g. X-Forwarded-Proto: the proxy sets it to "https" and removes any sent by a client.
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + os.environ["BEACON_PROXY_SSL_HEADER"].upper().replace("-", "_"),
        "https",
    )
# The client's address behind a proxy (beacon.core.addresses): the header the proxy sets,
# believed only from the proxies listed; the login log, the lockout and the change log use it.
BEACON_PROXY_ADDRESS_HEADER = os.environ.get("BEACON_PROXY_ADDRESS_HEADER", "")
BEACON_TRUSTED_PROXIES = os.environ.get("BEACON_TRUSTED_PROXIES", "127.0.0.1,::1").split(",")
AXES_CLIENT_IP_CALLABLE = "beacon.core.addresses.client_address"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# API tokens expire; `beacon token create --days N` issues one for longer or shorter.
BEACON_TOKEN_DAYS = int(os.environ.get("BEACON_TOKEN_DAYS", 90))

# A second factor (authenticator app) for privileged roles; `beacon demo` turns it off.
BEACON_MFA_REQUIRED = os.environ.get("BEACON_MFA_REQUIRED", "1") != "0"
OTP_TOTP_ISSUER = "Beacon"

# Lockout after repeated failed logins: a username at an address, and an address across all
# usernames (beacon.core.lockout); every attempt, good or bad, is kept in the login log.
AXES_HANDLER = "beacon.core.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("BEACON_LOGIN_FAILURE_LIMIT", 5))
BEACON_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("BEACON_LOGIN_ADDRESS_FAILURE_LIMIT", 20))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Axes counts failures and locks; the login log is Beacon's own, append-only
# (beacon.core.loginlog): axes' logs would rewrite and trim their rows.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["beacon.formats"]
TIME_ZONE = os.environ.get("BEACON_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = BEACON_HOME / "media"
MEDIA_URL = "media/"

# Uploads: files above this are refused before they are read.
BEACON_UPLOAD_MAX_BYTES = int(os.environ.get("BEACON_UPLOAD_MAX_BYTES", 50 * 1024 * 1024))
# What one spreadsheet may hold (beacon.analytics.sheets): data rows, columns, cells with a
# value, and an XLSX file's declared unpacked size, checked before it is opened. The batch
# commands, which run without these settings, read the same variables.
_SHEET_LIMITS = sheets.Limits.from_environ()
BEACON_IMPORT_MAX_ROWS = _SHEET_LIMITS.rows
BEACON_IMPORT_MAX_COLUMNS = _SHEET_LIMITS.columns
BEACON_IMPORT_MAX_CELLS = _SHEET_LIMITS.cells
BEACON_XLSX_MAX_UNPACKED_BYTES = _SHEET_LIMITS.unpacked_bytes
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "beacon.core.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["beacon.core.api.permissions.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "beacon.core.api.pagination.StrictLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "beacon.core.api.schema.BeaconAutoSchema",
    "EXCEPTION_HANDLER": "beacon.core.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["beacon.core.api.throttling.ApiRateThrottle"],
}
# Requests per token (when one is used) and per user (a browser's session), as
# N/second|minute|hour|day; one more in the window gets 429 with Retry-After.
BEACON_API_RATE_TOKEN = os.environ.get("BEACON_API_RATE_TOKEN", "300/minute")
BEACON_API_RATE_USER = os.environ.get("BEACON_API_RATE_USER", "120/minute")

# Content-Security-Policy on every response (docs/csp.md): scripts and styles only from
# Beacon's own static files, so markup smuggled into data can run nothing; a template that
# must have an inline script gives it nonce="{{ request.csp_nonce }}".
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF],
        # Tabler draws its select arrows and check marks as data: SVG images
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    }
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Beacon API",
    "DESCRIPTION": _("The registry of a development zone: parks, land, enterprises, figures."),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its documentation pages are for users of the API: a session or a token.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # A lead's stage and a stage change's previous stage are one list of stages.
    "ENUM_NAME_OVERRIDES": {"StageEnum": "beacon.promotion.choices.Stage"},
}

DJANGO_TABLES2_TEMPLATE = "core/table.html"

# Every model is recorded, registered from one place (beacon.core.changelog), in Beacon's
# own entry model, which keeps each entry's history parent in an indexed column.
AUDITLOG_LOGENTRY_MODEL = "core.ChangeLogEntry"
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# Background jobs (beacon.jobs): the queue is a table of Beacon's own database, read by
# `beacon worker` (docs/architecture.md, "Background jobs"). A worker whose heartbeat is older
# than BEACON_WORKER_TIMEOUT seconds is taken for dead and its running job is shown failed.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
BEACON_JOB_FILES = BEACON_HOME / "jobs"
# A list export of more rows than this is written by a worker, and downloaded from its job.
BEACON_EXPORT_INLINE_ROWS = int(os.environ.get("BEACON_EXPORT_INLINE_ROWS", 20_000))
# An upload of more data rows than this is imported by a worker: the page queues it at once.
BEACON_IMPORT_INLINE_ROWS = int(os.environ.get("BEACON_IMPORT_INLINE_ROWS", 5_000))
BEACON_WORKER_HEARTBEAT = int(os.environ.get("BEACON_WORKER_HEARTBEAT", 10))
BEACON_WORKER_TIMEOUT = int(os.environ.get("BEACON_WORKER_TIMEOUT", 120))

# Reminders are emailed only when a mail server is named (`beacon remind`).
EMAIL_HOST = os.environ.get("BEACON_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("BEACON_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("BEACON_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("BEACON_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("BEACON_EMAIL_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("BEACON_EMAIL_FROM", "beacon@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"axes": {"level": "WARNING"}, "django": {"level": "WARNING"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
