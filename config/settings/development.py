"""Development settings: the default. SQLite and local files unless the environment says
otherwise (DATABASE_URL, MEDIA_ROOT and SITE_URL override the defaults)."""

from .base import *  # noqa: F403

DEBUG = True
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
