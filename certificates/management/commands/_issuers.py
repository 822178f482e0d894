"""The `--issuer` option the certificates commands share (not a command: Django skips
modules whose name starts with an underscore)."""

import uuid

from django.core.management.base import CommandError

from certificates.models import Issuer


def issuers_named(public_id: str | None):
    """Every issuer, or only the one whose public id is given; a clear error for an id that
    is malformed or names no issuer."""
    issuers = Issuer.objects.order_by("pk")
    if not public_id:
        return issuers
    try:
        uuid.UUID(public_id)
    except ValueError as error:
        raise CommandError("Unknown issuer.") from error
    issuers = issuers.filter(public_id=public_id)
    if not issuers.exists():
        raise CommandError("Unknown issuer.")
    return issuers
