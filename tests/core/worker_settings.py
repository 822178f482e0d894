"""Settings for the worker processes the fault tests start: the test settings, with the
database task queue of production and short intervals (DATABASE_URL comes from the test)."""

from config.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TASK_HEARTBEAT_INTERVAL = 0.2
TASK_STALE_AFTER = 1.5
TASK_RETRY_BACKOFF = 0.1
TASK_RETRY_BACKOFF_MAX = 0.5
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
