"""Create, rotate or list issuers' signing keys. Private keys are never printed."""

from django.core.management.base import BaseCommand, CommandError

from certificates.services import issuer_keys_create, issuer_keys_rotate

from ._issuers import issuers_named


class Command(BaseCommand):
    help = "Create (--create) or rotate (--rotate) the signing keys of the issuer(s); list them."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--create", action="store_true", help="Create missing active keys.")
        group.add_argument(
            "--rotate", action="store_true", help="Retire active keys, create new ones."
        )
        parser.add_argument("--issuer", help="Public id of one issuer (default: all).")

    def handle(self, *args, **options):
        issuers = issuers_named(options["issuer"])
        if not issuers.exists():
            raise CommandError("No issuer exists; create one in the coordinator pages first.")
        for issuer in issuers:
            if options["create"]:
                created = issuer_keys_create(issuer=issuer)
                self.stdout.write(f"{issuer.name}: {len(created)} key(s) created")
            elif options["rotate"]:
                created = issuer_keys_rotate(issuer=issuer)
                self.stdout.write(f"{issuer.name}: rotated, {len(created)} new key(s)")
            for key in issuer.keys.defer("private_key_encrypted").order_by(
                "algorithm", "-created_at"
            ):
                state = "active" if key.active else f"retired {key.retired_at:%Y-%m-%d}"
                self.stdout.write(f"  {key.algorithm:8} {key.key_id}  {state}")
