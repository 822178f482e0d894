"""`manage.py tasks_status [--json]`: what the background queue holds and who works on it.
Exits 1 when tasks failed or are stale, so monitoring can call it."""

import json

from django.core.management.base import BaseCommand

from core import background


class Command(BaseCommand):
    help = "Show queued, running, stale and failed background tasks and the workers (exit 1 on failed or stale)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, **options):
        if not background.uses_database_queue():
            self.stdout.write("Tasks run immediately here (no task queue is configured).")
            return
        overview = background.queue_overview()
        if options["json"]:
            self.stdout.write(json.dumps(overview.as_json(), indent=2))
        else:
            self.stdout.write(
                f"workers {len(overview.workers)}, queued {len(overview.queued)}, "
                f"running {len(overview.running)}, stale {len(overview.stale)}, "
                f"failed {len(overview.failed)}"
            )
            for label, runs in (("STALE", overview.stale), ("FAILED", overview.failed)):
                for run in runs:
                    self.stdout.write(
                        f"{label} {run.id} {run.name}({run.arguments}) "
                        f"attempts {run.attempts}/{run.max_attempts}: {run.error}"
                    )
        if overview.failed or overview.stale:
            raise SystemExit(1)
