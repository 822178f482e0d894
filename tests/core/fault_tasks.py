"""Tasks that exist only for the fault tests of the task pipeline. They coordinate through
files, so that nothing depends on timing: a test decides when a task may finish."""

import time
from pathlib import Path

from django.tasks import task as run_once_task

from core.background import task


def _append(path: str, line: str) -> int:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    return len(Path(path).read_text(encoding="utf-8").splitlines())


@task
def block_until_released(started: str, release: str, done: str) -> str:
    """Note the start, wait until the file `release` exists, then note the completion."""
    _append(started, "started")
    deadline = time.monotonic() + 120
    while not Path(release).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{release} never appeared")
        time.sleep(0.05)
    _append(done, "done")
    return "released"


@task
def fail_until_attempt(counter: str, succeed_on: int) -> int:
    """Fail on every attempt before `succeed_on` (counted in the file `counter`)."""
    attempt = _append(counter, "attempt")
    if attempt < succeed_on:
        raise RuntimeError(f"attempt {attempt} fails on purpose")
    return attempt


@task(max_attempts=2)
def always_fails(counter: str) -> None:
    _append(counter, "attempt")
    raise RuntimeError("fails on purpose")


@run_once_task
def fails_once_declared_plainly(counter: str) -> None:
    _append(counter, "attempt")
    raise RuntimeError("fails on purpose")


@task
def record(done: str, line: str) -> str:
    _append(done, line)
    return line
