from django.core.management.base import BaseCommand, CommandError

from core.errors import ValidationFailed
from core.models import User
from frameworks.services import constellation_import

from ._common import describe, read_json_file


class Command(BaseCommand):
    help = "Import a badge constellation from a JSON file. Badges become drafts unless --publish."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--publish", action="store_true", help="Publish every badge (all or nothing)."
        )
        parser.add_argument(
            "--coordinator", help="Email of a user who will coordinate the constellation."
        )

    def handle(self, *args, **options):
        data = read_json_file(options["file"])
        coordinator = None
        if options["coordinator"]:
            coordinator = User.objects.filter(email__iexact=options["coordinator"]).first()
            if coordinator is None:
                raise CommandError(f"No user with email {options['coordinator']!r}.")
        try:
            constellation = constellation_import(data=data, actor=None, publish=options["publish"])
        except ValidationFailed as error:
            raise CommandError(describe(error)) from None
        if coordinator is not None:
            constellation.coordinators.add(coordinator)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported constellation {constellation.slug} with {constellation.badges.count()} badges."
            )
        )
