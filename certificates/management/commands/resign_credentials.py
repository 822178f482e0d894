"""Sign again the credentials whose documents an earlier version issued (see
`certificates.services.resign_reasons`), so that every standard verifier accepts them."""

from django.core.management.base import BaseCommand, CommandError

from certificates.models import Credential
from certificates.services import (
    IssuingNotPossible,
    credential_resign,
    issuer_keys_create,
    resign_reasons,
)

from ._issuers import issuers_named


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
        issuers = issuers_named(options["issuer"])
        credentials = Credential.objects.exclude(ob3_credential={}).filter(issuer__in=issuers)
        if not options["dry_run"]:
            # Only issuers that issued before have credentials to re-sign: they get their
            # missing signing keys (RS256 for a site that signed VC-JWTs with ES256).
            for issuer in issuers.filter(credentials__isnull=False).distinct():
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
