"""The quality report without a browser, for scheduled exports.

    python manage.py quality_report SLUG --format json|csv|xlsx|pdf --out FILE
        [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--pseudonymise]

A PDF is written with its accompanying CSV exports next to it (FILE-applications.csv,
FILE-judgements.csv, FILE-credentials.csv), whose SHA-256 the PDF's manifest lists.
"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.params import DATE_MAX, DATE_MIN
from frameworks.models import Constellation
from quality.selectors import Filters
from quality.services import write_report


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            f"{name} must be a date as YYYY-MM-DD, not {value!r}.", returncode=2
        ) from error
    if not DATE_MIN <= parsed <= DATE_MAX:
        raise CommandError(
            f"{name} must be between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}.",
            returncode=2,
        )
    return parsed


class Command(BaseCommand):
    help = "Write the quality report of one constellation as JSON, CSV, XLSX or PDF."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The constellation's slug.")
        parser.add_argument("--format", choices=["json", "csv", "xlsx", "pdf"], required=True)
        parser.add_argument("--out", required=True, help="The file to write.")
        parser.add_argument("--from", dest="date_from", help="First day of the period.")
        parser.add_argument("--to", dest="date_to", help="Last day of the period.")
        parser.add_argument(
            "--pseudonymise",
            action="store_true",
            help="Replace learner names and emails with stable codes.",
        )

    def handle(self, *args, **options):
        constellation = Constellation.objects.filter(slug=options["slug"]).first()
        if constellation is None:
            raise CommandError(f"No constellation with the slug {options['slug']!r}.", returncode=2)
        date_from = _date(options["date_from"], "--from")
        date_to = _date(options["date_to"], "--to")
        if date_from and date_to and date_from > date_to:
            raise CommandError("--from is after --to.", returncode=2)
        out = Path(options["out"])
        if not out.parent.exists():
            raise CommandError(f"The folder {out.parent} does not exist.", returncode=2)
        if out.is_dir():
            raise CommandError(f"{out} is a folder: name the file to write.", returncode=2)
        filters = Filters(constellation=constellation, date_from=date_from, date_to=date_to)
        produced = write_report(
            out, fmt=options["format"], filters=filters, pseudonymise=options["pseudonymise"]
        )
        for item in produced:
            self.stdout.write(f"{item.sha256}  {item.path}")
