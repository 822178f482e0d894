from django.core.management.base import BaseCommand

from certificates.services import issue_pending_credentials


class Command(BaseCommand):
    help = "Issue the credentials of approved applications that have none (the periodic retry)."

    def handle(self, *args, **options):
        result = issue_pending_credentials()
        self.stdout.write(f"issued {result['issued']}, failed {result['failed']}")
