"""The embedded default (SQLite) under concurrent writers: a real server (gunicorn, two
processes with many threads) on a migrated SQLite file, and forty sign-in attempts posted
at the same moment, each of which writes (the login throttle records every failure).
None may fail with "database is locked"."""

import http.cookiejar
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.core.conftest import ROOT, copy_database

pytestmark = pytest.mark.slow

REQUESTS = 40


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(migrated_sqlite, tmp_path):
    database = copy_database(migrated_sqlite, tmp_path)
    port = free_port()
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--threads=20",
            "--worker-class=gthread",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"sqlite:///{database}",
        },
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    log.close()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        if process.poll() is not None:
            pytest.fail((tmp_path / "server.log").read_text()[-3000:])
        try:
            with urllib.request.urlopen(f"{base}/accounts/login/", timeout=5):  # noqa: S310
                break
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                pytest.fail("the server did not answer within 90 s")
            time.sleep(0.1)
    yield base, database
    process.terminate()
    process.wait(timeout=30)


def test_forty_simultaneous_writing_requests_all_succeed(server):
    base, database = server
    url = f"{base}/accounts/login/"
    statuses: list[int] = []
    ready = threading.Barrier(REQUESTS)

    def sign_in(number: int) -> None:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        with opener.open(url, timeout=60) as page:
            token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.read())
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.group(1).decode(),
                "username": f"person{number}@example.org",
                "password": "not-the-password",
            }
        ).encode()
        request = urllib.request.Request(url, data=body, headers={"Referer": url})  # noqa: S310 - loopback server
        ready.wait(timeout=60)
        try:
            with opener.open(request, timeout=60) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
            error.close()

    threads = [threading.Thread(target=sign_in, args=(n,)) for n in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert statuses == [200] * REQUESTS
    with sqlite3.connect(database) as db:
        recorded = db.execute("SELECT COUNT(*) FROM axes_accessattempt").fetchone()[0]
        journal = db.execute("PRAGMA journal_mode").fetchone()[0]
    assert (recorded, journal) == (REQUESTS, "wal")
