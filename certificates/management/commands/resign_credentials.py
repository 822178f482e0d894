"""Sign again the credentials whose documents an earlier version issued (see
`certificates.services.resign_reasons`), so that every standard verifier accepts them."""

from django.core.management.base import BaseCommand, CommandError

from certificates.models import Credential, Issuer
from certificates.services import (
    IssuingNotPossible,
    credential_resign,
    issuer_keys_create,
    resign_reasons,
)


class Command(BaseCommand):
    help = (
        "Re-sign credentials issued in an earlier format (same credential id, new proof, "
        "RS256 VC-JWT, baked images and certificate again; an audit event each). Creates the "
        "issuers' missing signing keys first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Re-sign every credential, current or not."
        )
        parser.add_argument("--issuer", help="Public id of one issuer (default: all).")
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be re-signed, change nothing."
        )

    def handle(self, *args, **options):
        credentials = Credential.objects.exclude(ob3_credential={}).select_related("issuer")
        issuers = Issuer.objects.order_by("pk")
        if options["issuer"]:
            try:
                issuers = issuers.filter(public_id=options["issuer"])
                found = issuers.exists()
            except Exception as error:  # a malformed UUID
                raise CommandError("Unknown issuer.") from error
            if not found:
                raise CommandError("Unknown issuer.")
            credentials = credentials.filter(issuer__in=issuers)
        if not options["dry_run"]:
            for issuer in issuers:
                for key in issuer_keys_create(issuer=issuer):
                    self.stdout.write(f"{issuer.name}: created {key.algorithm} key {key.key_id}")
        done = current = failed = 0
        for credential in credentials.order_by("pk").iterator(chunk_size=200):
            reasons = resign_reasons(credential)
            if not reasons and not options["all"]:
                current += 1
                continue
            label = f"{credential.pk} {credential.public_id}"
            if options["dry_run"]:
                self.stdout.write(f"would re-sign {label}: {', '.join(reasons) or 'requested'}")
                done += 1
                continue
            try:
                reasons = credential_resign(credential_id=credential.pk, force=options["all"])
            except IssuingNotPossible as error:
                self.stderr.write(f"not re-signed {label}: {error.message}")
                failed += 1
                continue
            self.stdout.write(f"re-signed {label}: {', '.join(reasons)}")
            done += 1
        verb = "would re-sign" if options["dry_run"] else "re-signed"
        self.stdout.write(f"{verb} {done}, already current {current}, failed {failed}")
        if failed:
            raise CommandError(f"{failed} credential(s) could not be re-signed.")
