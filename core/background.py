"""Background work that survives faults: the retry policy every task declares, and the
reads and writes on the task queue that workers, the operator's page and the commands share.

A task opts in by being declared with `core.background.task` instead of
`django.tasks.task` (same arguments, plus `max_attempts`)::

    from core.background import task

    @task
    def send_password_reset_mail(user_id: int) -> None: ...

    @task(max_attempts=3)  # fewer attempts than TASK_MAX_ATTEMPTS
    def something_expensive(pk: int) -> None: ...

Declaring it so is a promise that the task is idempotent: running it twice has the effect
of running it once. The worker (`manage.py run_worker`, core.worker) then runs it again
after a failure, with exponential backoff, up to `max_attempts` attempts, on the same queue
row (the attempts are the row's worker ids, as in Django's `TaskResult.attempts`); a run
whose worker died is recovered the same way. A task declared with `django.tasks.task` is
run once: a failure is final, and a run whose worker died is marked failed, for an
operator to retry (`tasks_retry`, or the *Background tasks* page).

Only the database backend (django-tasks-db) keeps a queue; with the immediate backend
(development, tests) a task runs inside the request that enqueued it and is not retried.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.tasks import TaskResultStatus, task_backends
from django.tasks import task as django_task
from django.tasks.signals import task_finished
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .models import TaskWorker

logger = logging.getLogger(__name__)

_POLICIES: dict[str, RetryPolicy] = {}


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int | None  # None: settings.TASK_MAX_ATTEMPTS

    @property
    def attempts(self) -> int:
        return max(1, self.max_attempts or settings.TASK_MAX_ATTEMPTS)


def task(function: Callable | None = None, *, max_attempts: int | None = None, **options: Any):
    """`django.tasks.task`, for an idempotent task the worker may run again (see above)."""

    def declare(func: Callable):
        _POLICIES[f"{func.__module__}.{func.__qualname__}"] = RetryPolicy(max_attempts)
        return django_task(func, **options)

    return declare(function) if function is not None else declare


def retry_policy(task_path: str) -> RetryPolicy | None:
    """The policy of the task at `task_path` (importing its module), or None: run once."""
    if task_path not in _POLICIES:
        module = task_path.rsplit(".", 1)[0]
        try:
            __import__(module)
        except ImportError:
            return None
    return _POLICIES.get(task_path)


def backoff(attempts: int) -> timedelta:
    """How long to wait before attempt `attempts + 1`: doubling from TASK_RETRY_BACKOFF
    seconds, at most TASK_RETRY_BACKOFF_MAX."""
    seconds = settings.TASK_RETRY_BACKOFF * 2 ** max(0, attempts - 1)
    return timedelta(seconds=min(seconds, settings.TASK_RETRY_BACKOFF_MAX))


def attempts_left(row: DBTaskResult) -> bool:
    policy = retry_policy(row.task_path)
    return policy is not None and len(row.worker_ids) < policy.attempts


def _error_fields(error: BaseException | str) -> dict[str, str]:
    if isinstance(error, BaseException):
        from traceback import format_exception  # noqa: PLC0415 - only on the failure path

        kind = type(error)
        return {
            "exception_class_path": f"{kind.__module__}.{kind.__qualname__}",
            "traceback": "".join(format_exception(error)),
        }
    return {"exception_class_path": "core.background.WorkerLost", "traceback": error}


class WorkerLost(Exception):
    """The worker running a task stopped (killed, crashed, lost its database)."""


def requeue_or_fail(
    row: DBTaskResult, error: BaseException | str, *, immediately: bool = False
) -> bool:
    """Settle a run that did not finish: back to the queue (after the backoff, or at once
    for a run whose worker died) while attempts are left, else failed. Compare-and-set on
    the run's start, so two workers never settle the same run twice. Returns True if this
    call settled it."""
    now = timezone.now()
    fields = _error_fields(error)
    current = DBTaskResult.objects.filter(
        pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
    )
    if attempts_left(row):
        run_after = now if immediately else now + backoff(len(row.worker_ids))
        settled = current.update(status=TaskResultStatus.READY, run_after=run_after, **fields)
        if settled:
            logger.warning(
                "Task %s (%s) attempt %d did not finish; queued again for %s",
                row.pk,
                row.task_path,
                len(row.worker_ids),
                run_after.isoformat(),
            )
        return bool(settled)
    settled = current.update(
        status=TaskResultStatus.FAILED, finished_at=now, return_value=None, **fields
    )
    if settled:
        logger.error("Task %s (%s) failed for good", row.pk, row.task_path)
        announce_failure(row.pk)
    return bool(settled)


def announce_failure(row_id) -> None:
    """Send Django's `task_finished` for a run that failed for good, as the worker does, so
    that receivers (an export job's status, …) learn of it."""
    row = DBTaskResult.objects.get(pk=row_id)
    try:
        result = row.task_result
    except Exception:  # the task's code is gone: nobody can be listening for it
        logger.exception("Task %s: cannot announce its failure", row_id)
        return
    task_finished.send(sender=DatabaseBackend, task_result=result)


# --- workers and stale runs ------------------------------------------------------------


def worker_heartbeat(*, worker_id: str, hostname: str, pid: int) -> None:
    TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": hostname, "pid": pid, "last_seen": timezone.now()},
        create_defaults={
            "hostname": hostname,
            "pid": pid,
            "last_seen": timezone.now(),
            "started_at": timezone.now(),
        },
    )


def worker_stopped(*, worker_id: str) -> None:
    TaskWorker.objects.filter(worker_id=worker_id).delete()


def stale_runs(now: datetime | None = None) -> list[DBTaskResult]:
    """Running tasks whose worker has not been seen for TASK_STALE_AFTER seconds (or never
    reported: then the run itself must be that old)."""
    now = now or timezone.now()
    limit = now - timedelta(seconds=settings.TASK_STALE_AFTER)
    seen = dict(TaskWorker.objects.values_list("worker_id", "last_seen"))
    stale = []
    for row in DBTaskResult.objects.running().order_by("started_at"):
        worker = row.worker_ids[-1] if row.worker_ids else ""
        # A worker that never reported (e.g. plain db_worker): judge by the run's age.
        silent = seen[worker] < limit if worker in seen else (row.started_at or now) <= limit
        if silent:
            stale.append(row)
    return stale


def recover_stale_runs(now: datetime | None = None) -> int:
    """Queue again (or fail, when no attempts are left) every run whose worker died; forget
    workers silent for a day. Returns how many runs were settled."""
    now = now or timezone.now()
    settled = 0
    for row in stale_runs(now):
        worker = (row.worker_ids or ["?"])[-1]
        settled += requeue_or_fail(
            row,
            f"The worker {worker} stopped responding while running this task.",
            immediately=True,
        )
    TaskWorker.objects.filter(last_seen__lt=now - timedelta(days=1)).delete()
    return settled


def requeue_own_runs(*, worker_id: str) -> int:
    """At a worker's (re)start: runs still marked as its own did not finish."""
    settled = 0
    for row in DBTaskResult.objects.running():
        if row.worker_ids and row.worker_ids[-1] == worker_id:
            settled += requeue_or_fail(
                row, f"The worker {worker_id} lost this run (restart).", immediately=True
            )
    return settled


# --- what the operator sees and does ---------------------------------------------------


@dataclass(frozen=True)
class RunView:
    """One queue row as the operator reads it."""

    id: str
    name: str
    arguments: str
    attempts: int
    max_attempts: int
    enqueued_at: datetime | None
    started_at: datetime | None
    run_after: datetime | None
    finished_at: datetime | None
    error: str

    @classmethod
    def of(cls, row: DBTaskResult) -> RunView:
        policy = retry_policy(row.task_path)
        arguments = ", ".join(
            [repr(a) for a in row.args_kwargs.get("args", [])]
            + [f"{k}={v!r}" for k, v in row.args_kwargs.get("kwargs", {}).items()]
        )
        lines = (row.traceback or "").strip().splitlines()
        return cls(
            id=str(row.pk),
            name=row.task_path,
            arguments=arguments,
            attempts=len(row.worker_ids),
            max_attempts=policy.attempts if policy else 1,
            enqueued_at=row.enqueued_at,
            started_at=row.started_at,
            run_after=row.run_after if row.run_after and row.run_after.year < 9999 else None,
            finished_at=row.finished_at,
            error=lines[-1] if lines else "",
        )


def uses_database_queue() -> bool:
    return isinstance(task_backends["default"], DatabaseBackend)


@dataclass(frozen=True)
class QueueOverview:
    queued: list[RunView]
    running: list[RunView]
    stale: list[RunView]
    failed: list[RunView]
    workers: list[TaskWorker]

    def as_json(self) -> dict:
        def run(view: RunView) -> dict:
            return {
                key: value.isoformat() if isinstance(value, datetime) else value
                for key, value in view.__dict__.items()
            }

        return {
            "queued": [run(v) for v in self.queued],
            "running": [run(v) for v in self.running],
            "stale": [run(v) for v in self.stale],
            "failed": [run(v) for v in self.failed],
            "workers": [
                {
                    "worker_id": w.worker_id,
                    "hostname": w.hostname,
                    "pid": w.pid,
                    "last_seen": w.last_seen.isoformat(),
                }
                for w in self.workers
            ],
        }


def queue_overview(*, limit: int = 200) -> QueueOverview:
    stale = stale_runs()
    stale_ids = {row.pk for row in stale}
    return QueueOverview(
        queued=[
            RunView.of(r)
            for r in DBTaskResult.objects.filter(status=TaskResultStatus.READY)[:limit]
        ],
        running=[
            RunView.of(r) for r in DBTaskResult.objects.running()[:limit] if r.pk not in stale_ids
        ],
        stale=[RunView.of(r) for r in stale[:limit]],
        failed=[
            RunView.of(r) for r in DBTaskResult.objects.failed().order_by("-finished_at")[:limit]
        ],
        workers=list(TaskWorker.objects.order_by("hostname", "pid")),
    )


def retryable(ids: list[str] | None = None) -> QuerySet[DBTaskResult]:
    """Failed runs (all of them, or those named)."""
    rows = DBTaskResult.objects.failed()
    return rows.filter(pk__in=ids) if ids is not None else rows


def task_retry(*, ids: list[str] | None = None) -> int:
    """Queue failed runs again now, with a fresh count of attempts. Returns how many."""
    with transaction.atomic():
        return retryable(ids).update(
            status=TaskResultStatus.READY,
            run_after=timezone.now(),
            finished_at=None,
            worker_ids=[],
        )
