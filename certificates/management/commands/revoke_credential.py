from django.core.management.base import BaseCommand, CommandError

from certificates.models import Credential
from certificates.services import credential_revoke
from core.errors import DomainError


class Command(BaseCommand):
    help = "Revoke a credential (by its id or public UUID) with a reason."

    def add_arguments(self, parser):
        parser.add_argument("credential", help="Credential id or public UUID.")
        parser.add_argument("--reason", required=True)

    def handle(self, *args, **options):
        ref = options["credential"].strip()
        lookup = {"pk": int(ref)} if ref.isdigit() else {"public_id": ref}
        try:
            credential = Credential.objects.get(**lookup)
        except (Credential.DoesNotExist, ValueError, Exception) as error:
            raise CommandError(f"No credential {ref!r}.") from error
        try:
            revoked = credential_revoke(actor=None, credential=credential, reason=options["reason"])
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        for item in revoked:
            self.stdout.write(f"revoked {item.pk} {item.public_id} ({item.badge_version.title})")
