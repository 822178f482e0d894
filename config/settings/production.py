"""Production settings: everything from environment variables; PostgreSQL, S3-compatible
storage, the database task backend, HTTPS everywhere."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env("SECRET_KEY")  # noqa: F405
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")  # noqa: F405
if not env("DATABASE_URL"):  # noqa: F405
    raise ImproperlyConfigured("DATABASE_URL must be set in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])  # noqa: F405

# Mail always goes out through SMTP in production (EMAIL_HOST, default: a relay on localhost).
MAILERS = {"default": smtp_mailer()}  # noqa: F405

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
# X-Forwarded-Proto is believed only from a proxy the deployment says is there: without one,
# a client could claim HTTPS over plain HTTP.
if TRUSTED_PROXY_COUNT:  # noqa: F405
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000") or 31536000)  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
# TRUSTED_PROXY_COUNT has no production default: a proxy assumed but absent would let clients
# choose their address and dodge sign-in throttling. `check --deploy` warns while it is unset.
# The audit checkpoint key is never created on its own in production (see core.checkpoints
# and `check --deploy`); only the task workers need the file.
AUDIT_CHECKPOINT_KEY_FILE = env("AUDIT_CHECKPOINT_KEY_FILE", "") or ""  # noqa: F405
AUDIT_CHECKPOINT_KEY_CREATE = False
