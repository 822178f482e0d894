"""Re-compute every audit event's hash and link, and check the chain against every signed
checkpoint; exit 1 naming the first problem."""

from django.core.management.base import BaseCommand, CommandError

from core.audit import verify_audit_chain
from core.checkpoints import statements_from_file
from core.errors import ValidationFailed


class Command(BaseCommand):
    help = (
        "Verify the audit trail: every event's hash, its link to the event before it, and the "
        "signed checkpoints (from the database, AUDIT_CHECKPOINT_FILE and any --checkpoints "
        "file). Exits 0 when intact, 1 naming the first problem."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoints",
            action="append",
            default=[],
            metavar="FILE",
            help="checkpoints kept outside the database (JSON lines, e.g. the log); repeatable",
        )

    def handle(self, *args, checkpoints=(), **options):
        statements = []
        for path in checkpoints:
            try:
                statements += statements_from_file(path)
            except OSError as error:
                raise CommandError(f"{path}: {error.strerror or error}") from error
            except ValidationFailed as error:
                raise CommandError(f"{path}: {error}") from error
        report = verify_audit_chain(statements=statements)
        if report.ok:
            if report.checkpoints:
                anchor = (
                    f"the first {report.anchored} anchored by {report.checkpoints} signed "
                    f"checkpoint(s), the newest of {report.anchored_at}"
                )
            else:
                anchor = "no signed checkpoint yet (manage.py audit_checkpoint)"
            self.stdout.write(
                self.style.SUCCESS(f"Audit trail intact: {report.checked} events; {anchor}")
            )
            return
        where = f" at event {report.first_broken_id}" if report.first_broken_id else ""
        self.stderr.write(
            self.style.ERROR(
                f"Audit trail broken{where}: {report.problem} "
                f"({report.checked} events before it are intact)"
            )
        )
        raise SystemExit(1)
