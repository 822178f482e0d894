"""`manage.py tasks_retry (ID ... | --failed | --stale)`: queue failed tasks again (with a
fresh count of attempts), or settle stale runs now (queued again, or failed when no attempts
are left) instead of waiting for a worker's heartbeat to do it."""

import uuid

from django.core.management.base import BaseCommand, CommandError

from core import background


class Command(BaseCommand):
    help = "Queue failed background tasks again (by id, or --failed for all); --stale settles stale runs."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", help="ids of failed tasks (see tasks_status)")
        parser.add_argument("--failed", action="store_true", help="every failed task")
        parser.add_argument("--stale", action="store_true", help="settle stale runs now")

    def handle(self, *args, ids, failed, stale, **options):
        if not (ids or failed or stale):
            raise CommandError("Name task ids, or use --failed or --stale.")
        try:
            ids = [str(uuid.UUID(value)) for value in ids]
        except ValueError as error:
            raise CommandError(f"Not a task id: {error}") from error
        if stale:
            self.stdout.write(f"stale runs settled: {background.recover_stale_runs()}")
        if ids or failed:
            count = background.task_retry(ids=ids or None)
            self.stdout.write(f"queued again: {count}")
            if ids and count != len(ids):
                raise CommandError(f"{len(ids) - count} of the ids are not failed tasks.")
