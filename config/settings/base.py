"""Settings shared by every environment.

Environment-specific modules import * from here and override. Values that differ between
machines come from environment variables (see README, "Configuration").
"""

import os
import re
from pathlib import Path
from typing import overload

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


@overload
def env(name: str, default: str) -> str: ...
@overload
def env(name: str, default: None = None) -> str | None: ...
def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = env(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "development-only-secret-key-never-use-in-production")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

# The secret from which the key encrypting issuers' private signing keys is derived; empty:
# SECRET_KEY. Set it separately in production so SECRET_KEY can rotate without losing keys.
ISSUER_KEY_SECRET = env("ISSUER_KEY_SECRET", "") or ""

# The public base URL, used in every absolute link (credentials, mails, verification).
SITE_URL = (env("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_tasks_db",
    "core",
    "frameworks",
    "applications",
    "review",
    "certificates",
    "quality",
    "home",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.DomainErrorMiddleware",
    "core.middleware.StorageUnavailableMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Axes last, as its documentation requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0") or 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent users on the embedded database: readers never block the writer (WAL), a
    # write transaction takes the lock when it begins (IMMEDIATE, so two never deadlock
    # upgrading a read lock), and a writer waits up to SQLITE_BUSY_TIMEOUT seconds for
    # the lock instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": float(env("SQLITE_BUSY_TIMEOUT", "20") or 20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out credentials before any other backend runs.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling: 5 failures per account and address lock for an hour.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5") or 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "en"
# The switcher lists each by its own name (svenska, suomi, norsk (bokmål), dansk, Deutsch).
# Adding one: locale/README.md.
LANGUAGES = [
    ("en", _("English")),
    ("sv", _("Swedish")),
    ("fi", _("Finnish")),
    ("nb", _("Norwegian Bokmål")),
    ("da", _("Danish")),
    ("de", _("German")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates as European readers write them (day month year, 24-hour clock).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env("TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")) or "")

# Storage: local files by default; S3-compatible object storage when AWS_STORAGE_BUCKET_NAME
# is set. Objects are private, served through short-lived signed URLs, never overwritten.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    from boto3.s3.transfer import TransferConfig
    from botocore.config import Config as BotoConfig

    _s3_attempts = int(env("AWS_S3_MAX_ATTEMPTS", "2") or 2)
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL"),
            "region_name": env("AWS_S3_REGION_NAME", "us-east-1"),
            "access_key": env("AWS_ACCESS_KEY_ID"),
            "secret_key": env("AWS_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": int(env("AWS_QUERYSTRING_EXPIRE", "300") or 300),
            "file_overwrite": False,
            "location": env("AWS_LOCATION", ""),
            # Timeouts and retries, so that a store that hangs fails a request in seconds
            # (a 503 page) instead of the web server killing its worker.
            "client_config": BotoConfig(
                s3={"addressing_style": env("AWS_S3_ADDRESSING_STYLE", "path")},
                signature_version=env("AWS_S3_SIGNATURE_VERSION", "s3v4"),
                connect_timeout=float(env("AWS_S3_CONNECT_TIMEOUT", "3") or 3),
                read_timeout=float(env("AWS_S3_READ_TIMEOUT", "10") or 10),
                retries={"mode": "standard", "max_attempts": _s3_attempts},
            ),
            "transfer_config": TransferConfig(num_download_attempts=_s3_attempts),
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"allow_overwrite": False},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Background work: Django's tasks framework. Immediate in development and tests; the
# database backend (django-tasks-db, `manage.py run_worker`, see core.background) in production.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# The worker (`manage.py run_worker`, see core.background): attempts per task, the backoff
# between them (doubling from TASK_RETRY_BACKOFF seconds, at most TASK_RETRY_BACKOFF_MAX),
# how often a worker reports, and after how many silent seconds its running task is
# presumed lost and queued again.
TASK_MAX_ATTEMPTS = int(env("TASK_MAX_ATTEMPTS", "5") or 5)
TASK_RETRY_BACKOFF = float(env("TASK_RETRY_BACKOFF", "30") or 30)
TASK_RETRY_BACKOFF_MAX = float(env("TASK_RETRY_BACKOFF_MAX", "3600") or 3600)
TASK_HEARTBEAT_INTERVAL = float(env("TASK_HEARTBEAT_INTERVAL", "10") or 10)
TASK_STALE_AFTER = float(env("TASK_STALE_AFTER", "120") or 120)

# Credentials: how many days ahead of its expiry the holder is reminded (once), by the
# daily `manage.py credentials_daily`.
CREDENTIAL_EXPIRY_REMINDER_DAYS = int(env("CREDENTIAL_EXPIRY_REMINDER_DAYS", "30") or 30)

# Mail (Django 6.1's MAILERS). Without EMAIL_HOST, development prints mail to the console;
# production always sends through SMTP (a local mail relay on localhost:25 by default).
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "badges@localhost")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)


def smtp_mailer(default_host: str = "localhost") -> dict:
    """The SMTP mailer from EMAIL_* variables (TLS on port 587 unless told otherwise)."""
    use_ssl = env_bool("EMAIL_USE_SSL", False)
    use_tls = env_bool("EMAIL_USE_TLS", not use_ssl and bool(env("EMAIL_HOST")))
    default_port = 465 if use_ssl else (587 if use_tls else 25)
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env("EMAIL_HOST", default_host),
            "port": int(env("EMAIL_PORT", str(default_port)) or default_port),
            "username": env("EMAIL_HOST_USER", ""),
            "password": env("EMAIL_HOST_PASSWORD", ""),
            "use_tls": use_tls,
            "use_ssl": use_ssl,
            "timeout": int(env("EMAIL_TIMEOUT", "30") or 30),
        },
    }


if env("EMAIL_HOST"):
    MAILERS = {"default": smtp_mailer()}
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Evidence uploads: caps per file and per application, in bytes.
EVIDENCE_MAX_FILE_SIZE = int(env("EVIDENCE_MAX_FILE_SIZE", str(20 * 1024 * 1024)) or 0)
EVIDENCE_MAX_APPLICATION_SIZE = int(
    env("EVIDENCE_MAX_APPLICATION_SIZE", str(100 * 1024 * 1024)) or 0
)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Content Security Policy (Django's built-in CSP): everything from our own origin only.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

SESSION_COOKIE_HTTPONLY = True
# The language cookie is read by the server only (core.views sets it with these).
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (4xx) is one line without a traceback; 5xx keep theirs. On the
    # django.request logger too, so that Django's own handlers (DEBUG console) see it so.
    "filters": {"one_line_client_errors": {"()": "core.log_filters.OneLineClientErrors"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["one_line_client_errors"]}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.request": {"filters": ["one_line_client_errors"]},
        # One line per finished task is noise in the console; failures still show.
        "django.tasks": {"level": "WARNING"},
        # WeasyPrint logs every rendering step at INFO; only its warnings matter here.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Signed checkpoints of the audit chain (core.checkpoints). The Ed25519 key lives in a file
# outside the database; development creates one under var/ on first use.
AUDIT_CHECKPOINT_KEY_FILE = env(
    "AUDIT_CHECKPOINT_KEY_FILE", str(BASE_DIR / "var" / "audit-checkpoint-key.pem")
)
AUDIT_CHECKPOINT_KEY_CREATE = True
# Public keys (PEM files) of earlier checkpoint keys, still accepted when verifying.
AUDIT_CHECKPOINT_PUBLIC_KEYS = env_list("AUDIT_CHECKPOINT_PUBLIC_KEYS")
# A file outside the database each checkpoint is appended to (one JSON line); empty: none.
AUDIT_CHECKPOINT_FILE = env("AUDIT_CHECKPOINT_FILE", "") or ""
# A checkpoint is written every this many audit events (0: only by the command).
AUDIT_CHECKPOINT_EVERY = int(env("AUDIT_CHECKPOINT_EVERY", "100") or 0)

AXES_LOCKOUT_CALLABLE = "core.views.lockout"
# Every spelling of an e-mail address counts as that one account (see core.throttling).
AXES_USERNAME_CALLABLE = "core.throttling.username_key"
# Reverse proxies in front of the site that append to X-Forwarded-For (see core.client_ip).
# Unset (None): no proxy is believed, and `check --deploy` warns (core.W001) until the
# deployment states the number, 0 included.
_proxies = env("TRUSTED_PROXY_COUNT")
if _proxies is not None and not re.fullmatch(r"\s*[0-9]{1,2}\s*", _proxies):
    raise ImproperlyConfigured(
        f"TRUSTED_PROXY_COUNT must be a whole number (0 without a proxy), not {_proxies!r}."
    )
TRUSTED_PROXY_COUNT = int(_proxies) if _proxies is not None else None
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
