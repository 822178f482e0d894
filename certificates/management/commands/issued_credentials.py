import json

from django.core.management.base import BaseCommand

from certificates.models import Credential
from certificates.openbadges.urls_public import credential_urls

FIELDS = [
    "verification_url",
    "ob2_assertion_url",
    "ob3_credential_url",
    "ob3_jwt_url",
    "baked_png_url",
    "baked_svg_url",
    "baked_ob2_png_url",
    "baked_ob2_svg_url",
    "certificate_pdf_url",
    "report_pdf_url",
]


def rows():
    credentials = Credential.objects.select_related("badge_version__badge", "recipient").order_by(
        "pk"
    )
    for credential in credentials.iterator(chunk_size=500):
        urls = credential_urls(credential)
        if credential.application_id is None:
            # Milestone and meta credentials have no assessment of their own, so no report.
            urls["report_pdf_url"] = None
        yield {
            "id": str(credential.public_id),
            "badge": credential.badge_version.title,
            "kind": credential.badge_version.badge.kind,
            "recipient": credential.recipient.email,
            "status": credential.status,
            **{field: urls[field] for field in FIELDS},
            "revocation_reason": credential.revocation_reason,
        }


class Command(BaseCommand):
    help = "List every issued credential with its absolute URLs."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print a JSON array.")

    def handle(self, *args, **options):
        if options["json"]:
            self.stdout.write(json.dumps(list(rows()), ensure_ascii=False, indent=2))
            return
        for row in rows():
            self.stdout.write(
                f"{row['id']}  {row['status']:8} {row['kind']:9} {row['recipient']:28} {row['badge']}"
            )
