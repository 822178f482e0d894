"""The audit trail: append-only events chained by SHA-256.

`audit_record` must be called inside the transaction of the change it records, so that
the event exists exactly when the change does. `verify_audit_chain` re-computes every hash
and names the first broken link.
"""

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditEvent


def _label(obj) -> tuple[str, str, str]:
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}", str(obj.pk), str(obj)[:300]


def audit_record(
    *,
    actor,
    action: str,
    obj,
    from_state: str = "",
    to_state: str = "",
    round_number: int | None = None,
    comment: str = "",
    data: dict | None = None,
) -> AuditEvent:
    """Append one event to the chain. Requires an open transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside transaction.atomic().")
    object_type, object_id, object_repr = _label(obj)
    if connection.vendor == "postgresql":
        # Serialise writers on the chain head: one transaction at a time appends.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x4155444954])
    previous = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or ""
    actor_obj = actor if getattr(actor, "pk", None) else None
    event = AuditEvent(
        created_at=timezone.now(),
        actor=actor_obj,
        actor_label=(actor_obj.email if actor_obj else (str(actor) if actor else "system")),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        from_state=from_state or "",
        to_state=to_state or "",
        round_number=round_number,
        comment=comment or "",
        data=data or {},
        previous_hash=previous,
    )
    event.hash = event.compute_hash()
    event.save()
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    problem: str = ""


def verify_audit_chain(*, chunk_size: int = 2000) -> ChainReport:
    """Walk the chain in id order; report the first event whose hash or link is wrong."""
    previous = ""
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        if event.previous_hash != previous:
            return ChainReport(
                False,
                checked,
                event.id,
                _(
                    "event %(id)s does not link to the event before it "
                    "(an event was removed, inserted or reordered)"
                )
                % {"id": event.id},
            )
        if event.compute_hash() != event.hash:
            return ChainReport(
                False,
                checked,
                event.id,
                _("event %(id)s was altered after it was recorded (its hash does not match)")
                % {"id": event.id},
            )
        previous = event.hash
        checked += 1
    return ChainReport(True, checked)


def events_for(obj):
    object_type, object_id, _repr = _label(obj)
    return AuditEvent.objects.filter(object_type=object_type, object_id=object_id).select_related(
        "actor"
    )
