"""Fixtures every test module may use. App-specific fixtures live in tests/<app>/conftest.py.

Markers (see pyproject.toml):
- `@pytest.mark.postgres`: the test only makes sense on PostgreSQL. It is skipped on the
  SQLite pass of `make test` and runs in the PostgreSQL pass.
- `@pytest.mark.s3`: the test uses the `s3_storage` fixture, a real S3-compatible server
  (moto_server) on a loopback port. Skipped where moto_server is not installed.
- `@pytest.mark.browser`: drives Chromium (every test under tests/browser).
Under CI=true a skipped s3 or browser test, or a postgres test skipped on PostgreSQL, fails
the run: CI must exercise them all.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from core.roles import Role
from tests.factories.core import UserFactory
from tests.tools.settings_loader import load_settings

IN_CI = os.environ.get("CI", "").strip().lower() == "true"


def database_vendor() -> str:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    return "postgresql" if "postgresql" in engine else engine.rsplit(".", 1)[-1]


# --- markers and the CI guard ----------------------------------------------------------

_guarded_skips: list[str] = []


def pytest_collection_modifyitems(config, items):
    if database_vendor() == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL; runs in the PostgreSQL pass of `make test`")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def pytest_runtest_logreport(report):
    if not (IN_CI and report.skipped):
        return
    on_postgres = database_vendor() == "postgresql"
    guarded = "s3" in report.keywords or "browser" in report.keywords
    if guarded or ("postgres" in report.keywords and on_postgres):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        _guarded_skips.append(f"{report.nodeid}: {reason}")


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session, exitstatus):
    if _guarded_skips and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    if _guarded_skips:
        terminalreporter.section("skips not allowed under CI=true", sep="=", red=True)
        for line in _guarded_skips:
            terminalreporter.line(line, red=True)


# --- common fixtures -------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language():
    """Requests activate a language for the whole thread; each test starts in English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def learner(db):
    return UserFactory(roles=[Role.LEARNER], display_name="Lena Learner")


@pytest.fixture
def assessor(db):
    return UserFactory(roles=[Role.ASSESSOR], display_name="Ada Assessor")


@pytest.fixture
def coordinator(db):
    return UserFactory(roles=[Role.COORDINATOR], display_name="Cora Coordinator")


@pytest.fixture
def auditor(db):
    return UserFactory(roles=[Role.AUDITOR], display_name="Otto Auditor")


# --- S3-compatible storage on loopback -------------------------------------------------

S3_ACCESS_KEY = "badges-test-access"
S3_SECRET_KEY = "badges-test-secret"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _moto_server_executable() -> str | None:
    beside_python = Path(sys.executable).parent / "moto_server"
    if beside_python.is_file():
        return str(beside_python)
    return shutil.which("moto_server")


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A real S3-compatible server (moto_server) on 127.0.0.1; yields its endpoint URL."""
    executable = _moto_server_executable()
    if executable is None:
        pytest.skip("moto_server is not installed (pip install -r requirements-dev.txt)")
    port = _free_port()
    log_path = tmp_path_factory.mktemp("s3") / "moto_server.log"
    endpoint = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [executable, "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"moto_server exited at start:\n{log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{endpoint}/", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"moto_server did not answer on {endpoint} within 30 s")
            time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def s3_storage(s3_server, settings):
    """The `default` storage configured exactly as production does for an S3 bucket
    (settings read from the environment), pointing at a fresh bucket on the loopback server.
    Returns `django.core.files.storage.default_storage`."""
    import boto3
    from django.core.files.storage import default_storage

    bucket = f"badges-test-{uuid.uuid4().hex[:16]}"
    configured = load_settings(
        "base",
        {
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": s3_server,
            "AWS_ACCESS_KEY_ID": S3_ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": S3_SECRET_KEY,
            "AWS_S3_REGION_NAME": "us-east-1",
        },
    )
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id=S3_ACCESS_KEY,
        aws_secret_access_key=S3_SECRET_KEY,
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=bucket)
    client.close()
    settings.STORAGES = {**settings.STORAGES, "default": configured.STORAGES["default"]}
    return default_storage
