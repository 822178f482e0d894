from django.core.management.base import BaseCommand, CommandError

from frameworks.models import Framework
from frameworks.services import framework_export

from ._common import dump


class Command(BaseCommand):
    help = "Print a competence framework as JSON (the newest version unless --framework-version is given)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--framework-version", dest="framework_version", type=int, default=None)

    def handle(self, *args, **options):
        frameworks = Framework.objects.filter(slug=options["slug"])
        if options["framework_version"]:
            frameworks = frameworks.filter(version=options["framework_version"])
        framework = frameworks.order_by("-version").first()
        if framework is None:
            raise CommandError(f"No framework with slug {options['slug']!r}.")
        self.stdout.write(dump(framework_export(framework)))
