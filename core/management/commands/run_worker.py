"""`manage.py run_worker`: the background worker to run in production (see core.worker).

The options are db_worker's (except --reload, which it ignores: restart it after a code
change), plus --heartbeat. Stop it with SIGTERM or Ctrl-C: it finishes the task it is
running, then exits (a second signal stops the task; it is queued again).
"""

from django.conf import settings
from django.core.management.base import CommandError
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand
from django_tasks_db.management.commands.db_worker import valid_interval

from core.worker import ResilientWorker


class Command(DBWorkerCommand):
    help = (
        "Run a background worker that retries failed tasks, recovers the tasks of workers "
        "that stopped, and survives database restarts."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(reload=False)
        parser.add_argument(
            "--heartbeat",
            type=valid_interval,
            default=None,
            help="Seconds between reports of this worker (default: TASK_HEARTBEAT_INTERVAL).",
        )

    def handle(self, *, verbosity, queue_name, exclude_queues, heartbeat, reload, batch, **options):
        self.configure_logging(verbosity)
        if reload:
            self.stderr.write("run_worker does not reload on code changes; restart it instead.")
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            heartbeat_interval=heartbeat or settings.TASK_HEARTBEAT_INTERVAL,
            queue_names=queue_names,
            excluded_queue_names=excluded,
            interval=options["interval"],
            batch=batch,
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
        )
        worker.configure_signals()
        worker.run()
