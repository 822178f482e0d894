from django.core.management.base import BaseCommand, CommandError

from core.errors import ValidationFailed
from frameworks.services import framework_import

from ._common import describe, read_json_file


class Command(BaseCommand):
    help = "Import a competence framework from a JSON file (format: docs/frameworks.md)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        data = read_json_file(options["file"])
        try:
            result = framework_import(data=data, actor=None)
        except ValidationFailed as error:
            raise CommandError(describe(error)) from None
        framework = result.framework
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(f"Imported {framework.slug} version {framework.version}.")
            )
        else:
            self.stdout.write(
                f"{framework.slug} version {framework.version} is unchanged; nothing imported."
            )
