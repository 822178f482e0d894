"""What every frameworks service shares: the permission and draft checks."""

from django.utils.translation import gettext as _

from core.errors import PermissionDeniedError, WorkflowError

from ..models import (
    BadgeStatus,
    BadgeVersion,
)

RESERVED_SLUGS = {"new", "import"}  # path segments of the constellation pages


def _require(actor, permission: str, obj=None) -> None:
    """Check a rules permission. `actor=None` is the system (management commands, demo data)."""
    if actor is not None and not actor.has_perm(permission, obj):
        raise PermissionDeniedError()


def _check_fields(fields: dict, accepted, what: str) -> None:
    """A programming error, not a user's: a caller passed a field the service does not set."""
    unknown = set(fields) - set(accepted)
    if unknown:
        raise TypeError(f"Unknown {what} fields: {sorted(unknown)}")


def _require_draft(version: BadgeVersion) -> None:
    if version.status != BadgeStatus.DRAFT:
        raise WorkflowError(
            _(
                "Version %(version)s is %(status)s and can no longer be changed; edit a new draft version instead."
            )
            % {"version": version.version, "status": version.get_status_display().lower()}
        )
