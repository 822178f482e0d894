"""The one write of the home app: a person marks what their home page shows as seen."""

from datetime import datetime

from django.utils import timezone

from .models import SeenMark


def seen_mark_set(*, user, when: datetime | None = None) -> SeenMark:
    """From now on, "new since" on the user's home page counts from `when` (default: now).

    Not an audit event: it changes nothing anyone else sees, only where one person's
    "new" starts."""
    mark, _created = SeenMark.objects.update_or_create(
        user=user, defaults={"seen_at": when or timezone.now()}
    )
    return mark
