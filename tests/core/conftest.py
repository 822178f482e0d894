"""Fixtures of the core tests that start real processes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite database file with the whole schema, migrated once per session; tests that
    start servers or workers copy it (see copy_database)."""
    path = tmp_path_factory.mktemp("migrated") / "db.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"sqlite:///{path}",
        },
        check=True,
        timeout=600,
    )
    return path


def copy_database(source: Path, folder: Path) -> Path:
    target = folder / "db.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            target.with_name(f"db.sqlite3{suffix}").write_bytes(
                Path(f"{source}{suffix}").read_bytes()
            )
    return target
