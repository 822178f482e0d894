"""Re-compute every audit event's hash and link; exit 1 naming the first broken link."""

from django.core.management.base import BaseCommand

from core.audit import verify_audit_chain


class Command(BaseCommand):
    help = (
        "Verify the audit trail: every event's hash and its link to the event before it. "
        "Exits 0 when intact, 1 naming the first broken link."
    )

    def handle(self, *args, **options):
        report = verify_audit_chain()
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {report.checked} events"))
            return
        self.stderr.write(
            self.style.ERROR(
                f"Audit trail broken at event {report.first_broken_id}: {report.problem} "
                f"({report.checked} events before it are intact)"
            )
        )
        raise SystemExit(1)
