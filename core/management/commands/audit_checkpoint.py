"""Sign the audit chain's head now (run from cron, e.g. hourly, besides the automatic ones)."""

from django.core.management.base import BaseCommand, CommandError

from core.checkpoints import (
    CheckpointKeyMissing,
    checkpoint_write,
    create_signing_key,
    key_id,
    public_key_pem,
    signing_key,
)


class Command(BaseCommand):
    help = (
        "Write a signed checkpoint of the audit chain (the number of events and the hash of "
        "the newest), with the key in AUDIT_CHECKPOINT_KEY_FILE. --create-key creates that "
        "key file if it is missing; --public-key prints the public key to keep elsewhere."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--create-key", action="store_true", help="create the key file if it is missing"
        )
        parser.add_argument(
            "--public-key", action="store_true", help="print the public key (PEM) and stop"
        )

    def handle(self, *args, create_key=False, public_key=False, **options):
        try:
            if create_key:
                path = create_signing_key()
                self.stdout.write(f"Checkpoint key: {path}")
            key = signing_key()
        except CheckpointKeyMissing as error:
            raise CommandError(str(error)) from error
        if public_key or create_key:
            self.stdout.write(public_key_pem(key), ending="")
            return
        checkpoint = checkpoint_write()
        if checkpoint is None:
            self.stdout.write("No audit events yet: nothing to sign.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Checkpoint {checkpoint.pk}: {checkpoint.event_count} events up to event "
                f"{checkpoint.head_id}, signed with key {key_id(key.public_key())}"
            )
        )
