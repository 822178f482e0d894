"""Load the frameworks, the EduSTA demo constellation and demo data for every role.

Idempotent: running it again changes nothing that is already there. Each app contributes
its part through `<app>.demo.seed(accounts)`, called in dependency order.
"""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

from demo.accounts import DEMO_PASSWORD, login_table, seed_accounts

STEPS = ["frameworks.demo", "review.demo", "certificates.demo", "quality.demo"]


class Command(BaseCommand):
    help = "Load frameworks, the demo constellation and demo accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")

    def handle(self, *args, **options):
        with transaction.atomic():
            accounts = seed_accounts()
        for name in STEPS:
            module = importlib.import_module(name)
            module.seed(accounts)
            self.stdout.write(f"  {name.split('.')[0]}: ready")
        if not options["quiet_logins"]:
            self.stdout.write(self.style.SUCCESS("Demo logins (password for all: %s)" % DEMO_PASSWORD))
            for email, name, roles in login_table():
                self.stdout.write(f"  {email:<28} {name:<20} {roles}")
