from django.core.management.base import BaseCommand

from certificates.services import credentials_mark_stale_pdfs, credentials_remind_expiring


class Command(BaseCommand):
    help = (
        "Daily (cron): remind holders of credentials that expire within "
        "CREDENTIAL_EXPIRY_REMINDER_DAYS (once per credential), and store the marked PDFs "
        "of credentials that expired (or were revoked) since their PDFs were rendered. "
        "Safe to run any number of times."
    )

    def handle(self, *args, **options):
        reminded = credentials_remind_expiring()
        marked = credentials_mark_stale_pdfs()
        self.stdout.write(f"reminded {reminded}, documents to mark {marked}")
