"""Settings come from the environment; production refuses to start half-configured."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.tools.settings_loader import load_settings

SECRET = "x" * 64
PRODUCTION = {
    "SECRET_KEY": SECRET,
    "DATABASE_URL": "postgres://badges:pw@db.internal:5432/badges",
    "ALLOWED_HOSTS": "badges.example.org, www.badges.example.org",
    "SITE_URL": "https://badges.example.org/",
}


def test_development_defaults_to_sqlite_local_files_and_loopback():
    dev = load_settings("development", {})

    assert dev.DEBUG is True
    assert dev.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(dev.DATABASES["default"]["NAME"]) == dev.BASE_DIR / "db.sqlite3"
    assert dev.MEDIA_ROOT == dev.BASE_DIR / "media"
    assert dev.SITE_URL == "http://127.0.0.1:8000"
    assert dev.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert dev.MAILERS["default"]["BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert dev.TASKS["default"]["BACKEND"] == "django.tasks.backends.immediate.ImmediateBackend"


def test_development_honours_database_url_media_root_and_site_url(tmp_path):
    dev = load_settings(
        "development",
        {
            "DATABASE_URL": "postgres://me:secret@127.0.0.1:5433/badges_dev",
            "MEDIA_ROOT": str(tmp_path / "uploads"),
            "SITE_URL": "http://badges.test:8000/",
        },
    )

    database = dev.DATABASES["default"]
    assert (database["ENGINE"], database["NAME"], database["USER"], database["PORT"]) == (
        "django.db.backends.postgresql",
        "badges_dev",
        "me",
        5433,
    )
    media_root = dev.MEDIA_ROOT
    assert media_root == tmp_path / "uploads"
    assert dev.SITE_URL == "http://badges.test:8000"


def test_production_reads_everything_from_the_environment():
    prod = load_settings("production", PRODUCTION)

    assert prod.DEBUG is False
    assert prod.SECRET_KEY == SECRET
    assert prod.ALLOWED_HOSTS == ["badges.example.org", "www.badges.example.org"]
    assert prod.SITE_URL == "https://badges.example.org"
    assert prod.CSRF_TRUSTED_ORIGINS == ["https://badges.example.org"]
    assert prod.DATABASES["default"]["HOST"] == "db.internal"
    assert prod.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert (prod.SECURE_SSL_REDIRECT, prod.SESSION_COOKIE_SECURE, prod.CSRF_COOKIE_SECURE) == (
        True,
        True,
        True,
    )
    assert prod.SECURE_HSTS_SECONDS == 31536000


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without(missing):
    environ = {k: v for k, v in PRODUCTION.items() if k != missing}

    with pytest.raises(ImproperlyConfigured, match=f"{missing} must be set in production"):
        load_settings("production", environ)


def test_production_sends_mail_through_smtp():
    relay = load_settings("production", PRODUCTION).MAILERS["default"]
    assert relay["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (relay["OPTIONS"]["host"], relay["OPTIONS"]["port"], relay["OPTIONS"]["use_tls"]) == (
        "localhost",
        25,
        False,
    )

    provider = load_settings(
        "production",
        {
            **PRODUCTION,
            "EMAIL_HOST": "smtp.example.org",
            "EMAIL_HOST_USER": "badges",
            "EMAIL_HOST_PASSWORD": "pw",
            "DEFAULT_FROM_EMAIL": "badges@example.org",
        },
    )
    options = provider.MAILERS["default"]["OPTIONS"]
    assert (options["host"], options["port"], options["use_tls"], options["username"]) == (
        "smtp.example.org",
        587,
        True,
        "badges",
    )
    assert provider.DEFAULT_FROM_EMAIL == "badges@example.org"


def test_a_bucket_name_switches_uploads_to_private_s3_storage():
    prod = load_settings(
        "production",
        {
            **PRODUCTION,
            "AWS_STORAGE_BUCKET_NAME": "badges-media",
            "AWS_S3_ENDPOINT_URL": "https://s3.example.net",
            "AWS_ACCESS_KEY_ID": "key",
            "AWS_SECRET_ACCESS_KEY": "secret",
            "AWS_QUERYSTRING_EXPIRE": "120",
        },
    )

    storage = prod.STORAGES["default"]
    client = storage["OPTIONS"].pop("client_config")
    transfer = storage["OPTIONS"].pop("transfer_config")
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (client.s3, client.signature_version) == ({"addressing_style": "path"}, "s3v4")
    assert (client.connect_timeout, client.read_timeout) == (3.0, 10.0)
    assert client.retries == {"mode": "standard", "max_attempts": 2}
    assert transfer.num_download_attempts == 2
    assert storage["OPTIONS"] == {
        "bucket_name": "badges-media",
        "endpoint_url": "https://s3.example.net",
        "region_name": "us-east-1",
        "access_key": "key",
        "secret_key": "secret",
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 120,
        "file_overwrite": False,
        "location": "",
    }


def test_the_s3_timeouts_and_attempts_come_from_the_environment():
    options = load_settings(
        "production",
        {
            **PRODUCTION,
            "AWS_STORAGE_BUCKET_NAME": "badges-media",
            "AWS_S3_CONNECT_TIMEOUT": "1.5",
            "AWS_S3_READ_TIMEOUT": "4",
            "AWS_S3_MAX_ATTEMPTS": "5",
        },
    ).STORAGES["default"]["OPTIONS"]

    client = options["client_config"]
    assert (client.connect_timeout, client.read_timeout) == (1.5, 4.0)
    assert client.retries == {"mode": "standard", "max_attempts": 5}
    assert options["transfer_config"].num_download_attempts == 5


def test_passwords_are_hashed_with_argon2_first():
    assert load_settings("production", PRODUCTION).PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )


def test_the_content_security_policy_allows_only_our_own_origin():
    from django.utils.csp import CSP

    csp = load_settings("production", PRODUCTION).SECURE_CSP

    assert csp["default-src"] == [CSP.SELF]
    assert csp["script-src"] == [CSP.SELF, CSP.NONCE]
    assert csp["style-src"] == [CSP.SELF]
    assert csp["frame-ancestors"] == [CSP.NONE]
    assert csp["object-src"] == [CSP.NONE]


def test_loading_settings_leaves_the_running_configuration_alone(settings):
    load_settings("production", PRODUCTION)

    assert settings.SECRET_KEY == "test-secret-key"
    assert settings.SITE_URL == "https://badges.example.org"
