from django.core.management.base import BaseCommand, CommandError

from frameworks.models import Constellation
from frameworks.services import constellation_export

from ._common import dump


class Command(BaseCommand):
    help = "Print a badge constellation as JSON (each badge at its newest version that is not retired)."

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, *args, **options):
        constellation = Constellation.objects.filter(slug=options["slug"]).first()
        if constellation is None:
            raise CommandError(f"No constellation with slug {options['slug']!r}.")
        self.stdout.write(dump(constellation_export(constellation)))
