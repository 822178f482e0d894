"""The background worker operators run (`manage.py run_worker`): django-tasks-db's
`db_worker`, made to survive faults.

- A failed run of a task declared with `core.background.task` is queued again with
  backoff while attempts are left (core.background.requeue_or_fail).
- A heartbeat thread reports the worker every TASK_HEARTBEAT_INTERVAL seconds (also while
  a long task runs) and recovers the runs of workers that went silent (killed, crashed,
  their machine gone): queued again, or failed when no attempts are left.
- A lost database does not end the worker: it closes its connections, waits (doubling up
  to DATABASE_RECONNECT_MAX seconds), reconnects, and first settles the run it lost.
"""

import contextlib
import logging
import os
import socket
import threading
import time

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.tasks import TaskContext
from django.tasks.signals import task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker

from .background import recover_stale_runs, requeue_or_fail, requeue_own_runs, worker_heartbeat
from .background import worker_stopped as forget_worker

logger = logging.getLogger("core.worker")

DATABASE_RECONNECT_MAX = 30.0


class Heartbeat(threading.Thread):
    """Reports the worker and recovers stale runs, on its own database connection."""

    def __init__(self, *, worker_id: str, interval: float) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.stopping = threading.Event()

    def beat(self) -> None:
        try:
            worker_heartbeat(
                worker_id=self.worker_id, hostname=socket.gethostname(), pid=os.getpid()
            )
            recovered = recover_stale_runs()
            if recovered:
                logger.warning("Recovered %d task run(s) of workers that stopped", recovered)
        except DatabaseError as error:
            logger.warning("Heartbeat: database unavailable (%s)", error)
        finally:
            connections.close_all()  # this thread's connections; a restarted server is fine

    def run(self) -> None:
        self.beat()
        while not self.stopping.wait(self.interval):
            self.beat()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=self.interval + 5)


class ResilientWorker(Worker):
    def __init__(self, *, heartbeat_interval: float, **options) -> None:
        super().__init__(**options)
        self.heartbeat = Heartbeat(worker_id=self.worker_id, interval=heartbeat_interval)

    def run(self) -> None:
        self.heartbeat.start()
        try:
            self._run_reconnecting()
        finally:
            self.heartbeat.stop()
            with contextlib.suppress(DatabaseError):  # the others recover from the silence
                forget_worker(worker_id=self.worker_id)
            connections.close_all()

    def _run_reconnecting(self) -> None:
        delay = 0.5
        while self.running:
            try:
                # A run still marked ours was cut short by the outage: settle it first.
                requeue_own_runs(worker_id=self.worker_id)
                delay = 0.5
                super().run()
                return
            except (OperationalError, InterfaceError) as error:
                logger.warning(
                    "Database unavailable (%s); reconnecting in %.1f s", str(error).strip(), delay
                )
                connections.close_all()
                time.sleep(delay)
                delay = min(delay * 2, DATABASE_RECONNECT_MAX)
                self.startup_delay = False

    def run_task(self, db_task_result) -> None:
        """Run one task; a failure is queued again while attempts are left."""
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = type(task.get_backend())
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                value = task.call(
                    TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs
                )
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            db_task_result.set_successful(value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except BaseException as error:
            logger.warning(
                "Task %s (%s) raised %r", db_task_result.pk, db_task_result.task_path, error
            )
            # If the database is gone this raises too: the worker reconnects, then settles
            # the run (requeue_own_runs).
            requeue_or_fail(db_task_result, error)
        finally:
            self.running_task = False
            self._run_tasks += 1
