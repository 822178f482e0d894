"""Load the frameworks, the EduSTA demo constellation and demo data for every role.

Idempotent: running it again changes nothing that is already there. Each app contributes
its part through `<app>.demo.seed(accounts)`, called in dependency order.
"""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from core.checkpoints import CheckpointKeyMissing, checkpoint_write
from demo.accounts import DEMO_PASSWORD, login_table, seed_accounts

# (module, function): the issuer and its keys exist before any approval issues a credential.
STEPS = [
    ("frameworks.demo", "seed"),
    ("certificates.demo", "seed_issuer"),
    ("review.demo", "seed"),
    ("certificates.demo", "seed"),
    ("quality.demo", "seed"),
    ("certificates.demo", "seed_revocation"),
    ("home.demo", "seed"),
]


class Command(BaseCommand):
    help = "Load frameworks, the demo constellation and demo accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")

    def handle(self, *args, **options):
        # Demo history goes through the real services, which notify people by mail; demo
        # people are not real, so their mail is discarded.
        with override_settings(
            MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
        ):
            with transaction.atomic():
                accounts = seed_accounts()
            for module_name, function in STEPS:
                getattr(importlib.import_module(module_name), function)(accounts)
                self.stdout.write(f"  {module_name}.{function}: done")
        # The whole demo history under a signed checkpoint (Audit trail → Verify the chain).
        try:
            checkpoint = checkpoint_write()
        except CheckpointKeyMissing as error:
            self.stdout.write(f"  no audit checkpoint: {error}")
        else:
            if checkpoint is not None:
                self.stdout.write(f"  audit checkpoint: {checkpoint.event_count} events signed")
        if not options["quiet_logins"]:
            self.stdout.write(
                self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})")
            )
            for email, name, roles in login_table():
                self.stdout.write(f"  {email:<28} {name:<20} {roles}")
