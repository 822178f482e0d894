"""The task pipeline against real faults, with the real pieces: `manage.py run_worker`
processes on a database of their own (a SQLite file; a PostgreSQL cluster of its own for
the restart), killed by PID or cut off from their database. Tasks coordinate through files
(tests/core/fault_tasks.py) and every wait polls for a condition with a generous deadline."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.core.conftest import copy_database
from tests.tools import pgcluster

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.core.worker_settings"
TABLE = "django_tasks_database_dbtaskresult"
DEADLINE = 90.0

pytestmark = pytest.mark.slow


def wait_for(condition, what: str, timeout: float = DEADLINE):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what} after {timeout:.0f} s")
        time.sleep(0.1)


class QueueSite:
    """A database with the schema, and the commands that act on it, in subprocesses."""

    def __init__(self, folder: Path, database_url: str) -> None:
        self.folder = folder
        self.database_url = database_url
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DATABASE_URL": database_url,
            "PYTHONUNBUFFERED": "1",
        }
        self.workers: list[subprocess.Popen] = []

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )

    def enqueue(self, task_name: str, *args) -> str:
        script = (
            "import json, sys, django; django.setup();"
            "from tests.core import fault_tasks;"
            "print(getattr(fault_tasks, sys.argv[1]).enqueue(*json.loads(sys.argv[2])).id)"
        )
        done = subprocess.run(
            [sys.executable, "-c", script, task_name, json.dumps(args)],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout.strip().splitlines()[-1]

    def start_worker(self, name: str) -> subprocess.Popen:
        log = (self.folder / f"{name}.log").open("wb")
        worker = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "run_worker",
                "--no-startup-delay",
                "--interval=0.1",
                f"--worker-id={name}",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        log.close()
        self.workers.append(worker)
        return worker

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def run(self, task_id: str) -> tuple[str, list[str]] | None:
        raise NotImplementedError

    def stop_workers(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.kill()
            worker.wait(timeout=30)


class SQLiteSite(QueueSite):
    def __init__(self, folder: Path) -> None:
        self.path = folder / "db.sqlite3"
        super().__init__(folder, f"sqlite:///{self.path}")

    def run(self, task_id):
        with sqlite3.connect(self.path, timeout=30) as db:
            row = db.execute(
                f"SELECT status, worker_ids FROM {TABLE} WHERE id = ?",  # noqa: S608 - constant
                (task_id.replace("-", ""),),
            ).fetchone()
        return (row[0], json.loads(row[1])) if row else None


class PostgresSite(QueueSite):
    def run(self, task_id):
        import psycopg

        with psycopg.connect(self.database_url.replace("postgres://", "postgresql://")) as db:
            row = db.execute(
                f"SELECT status, worker_ids FROM {TABLE} WHERE id = %s",  # noqa: S608 - constant
                (task_id,),
            ).fetchone()
        return (row[0], row[1]) if row else None


@pytest.fixture
def sqlite_site(migrated_sqlite, tmp_path):
    copy_database(migrated_sqlite, tmp_path)
    site = SQLiteSite(tmp_path)
    yield site
    site.stop_workers()


def succeeded(site: QueueSite, task_id: str):
    run = site.run(task_id)
    return run if run and run[0] == "SUCCESSFUL" else None


def test_a_task_whose_worker_was_killed_is_recovered_and_completes_exactly_once(sqlite_site):
    started, release, done = (sqlite_site.folder / n for n in ("started", "release", "done"))
    task_id = sqlite_site.enqueue("block_until_released", str(started), str(release), str(done))
    first = sqlite_site.start_worker("first")
    wait_for(started.exists, "the first worker to start the task")
    assert sqlite_site.run(task_id) == ("RUNNING", ["first"])

    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    release.touch()
    sqlite_site.start_worker("second")

    assert wait_for(lambda: succeeded(sqlite_site, task_id), "the task to complete") == (
        "SUCCESSFUL",
        ["first", "second"],
    )
    assert started.read_text().splitlines() == ["started", "started"]
    assert done.read_text().splitlines() == ["done"]


def test_a_failing_task_is_retried_by_the_worker_until_it_succeeds(sqlite_site):
    counter = sqlite_site.folder / "counter"
    task_id = sqlite_site.enqueue("fail_until_attempt", str(counter), 3)
    worker = sqlite_site.start_worker("retrier")

    assert wait_for(lambda: succeeded(sqlite_site, task_id), "the third attempt") == (
        "SUCCESSFUL",
        ["retrier", "retrier", "retrier"],
    )
    assert counter.read_text().splitlines() == ["attempt"] * 3
    assert worker.poll() is None


@pytest.fixture
def postgres_site():
    if pgcluster.find_bin_dir() is None:
        pytest.skip("PostgreSQL's initdb was not found (set PG_BIN)")
    # The server runs as an unprivileged user when this runs as root: a folder it can reach.
    folder = Path(tempfile.mkdtemp(prefix="badges-pg-faults-"))
    folder.chmod(0o755)
    try:
        url = pgcluster.start(folder / "cluster")
        site = PostgresSite(folder, url.rsplit("/", 1)[0] + "/postgres")
        site.manage("migrate", "--noinput", "-v0")
        yield site, folder / "cluster"
        site.stop_workers()
    finally:
        pgcluster.stop(folder / "cluster")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.postgres
def test_a_worker_survives_a_database_restart_and_completes_queued_work(postgres_site):
    site, cluster = postgres_site
    done = site.folder / "done"
    before = site.enqueue("record", str(done), "before")
    worker = site.start_worker("survivor")
    wait_for(lambda: succeeded(site, before), "the task before the restart")

    pgcluster.halt(cluster)
    wait_for(lambda: "Database unavailable" in site.log("survivor"), "the worker to notice")
    assert worker.poll() is None
    pgcluster.resume(cluster)
    after = site.enqueue("record", str(done), "after")

    assert wait_for(lambda: succeeded(site, after), "the task after the restart") == (
        "SUCCESSFUL",
        ["survivor"],
    )
    assert done.read_text().splitlines() == ["before", "after"]
    assert worker.poll() is None
