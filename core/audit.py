"""The audit trail: append-only events chained by SHA-256, anchored by signed checkpoints.

`audit_record` must be called inside the transaction of the change it records, so that
the event exists exactly when the change does. `verify_audit_chain` re-computes every hash,
names the first broken link, and checks the chain against every signed checkpoint
(core.checkpoints), which is what detects deleted newest events and a re-chained rewrite.
"""

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import tasks
from .checkpoints import (
    Statement,
    checkpoint_due,
    known_statements,
    signature_valid,
    verification_keys,
)
from .models import AuditEvent
from .workflow import enqueue_on_commit


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
    previous_id, previous = AuditEvent.objects.order_by("-id").values_list(
        "id", "hash"
    ).first() or (
        None,
        "",
    )
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
    if checkpoint_due(previous_id, event.id):
        enqueue_on_commit(tasks.write_audit_checkpoint)
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    problem: str = ""
    checkpoints: int = 0  # signed checkpoints that were checked
    anchored: int = 0  # events covered by the newest of them
    anchored_at: str = ""  # when that one was signed (for messages)


def _broken(checked: int, event_id: int | None, problem: str) -> ChainReport:
    return ChainReport(False, checked, event_id, problem)


def verify_audit_chain(
    *, chunk_size: int = 2000, statements: list[Statement] | None = None
) -> ChainReport:
    """Walk the chain in id order; report the first event whose hash or link is wrong, a
    checkpoint that is not genuinely signed, and any checkpoint the chain no longer matches.

    `statements` adds checkpoints kept outside the database (an auditor's copy, the log).
    """
    checkpoints = known_statements(statements)
    keys = verification_keys()
    for statement in checkpoints:
        if not signature_valid(statement, keys):
            return _broken(
                0,
                None,
                _(
                    "the checkpoint of %(time)s covering %(count)s events is not signed with a "
                    "key this installation trusts (it was forged or altered, or its public "
                    "key is missing from AUDIT_CHECKPOINT_PUBLIC_KEYS)"
                )
                % {"time": statement.when(), "count": statement.event_count},
            )
    expected: dict[int, list[Statement]] = {}
    for statement in checkpoints:
        expected.setdefault(statement.event_count, []).append(statement)
    previous = ""
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        if event.previous_hash != previous:
            return _broken(
                checked,
                event.id,
                _(
                    "event %(id)s does not link to the event before it "
                    "(an event was removed, inserted or reordered)"
                )
                % {"id": event.id},
            )
        if event.compute_hash() != event.hash:
            return _broken(
                checked,
                event.id,
                _("event %(id)s was altered after it was recorded (its hash does not match)")
                % {"id": event.id},
            )
        previous = event.hash
        checked += 1
        for statement in expected.get(checked, ()):
            if (event.id, event.hash) != (statement.head_id, statement.head_hash):
                return _broken(
                    checked - 1,
                    event.id,
                    _(
                        "the events up to %(id)s no longer match the checkpoint signed at "
                        "%(time)s (the trail was rewritten and re-chained)"
                    )
                    % {"id": event.id, "time": statement.when()},
                )
    newest = max(checkpoints, key=lambda s: s.event_count, default=None)
    if newest is not None and newest.event_count > checked:
        return _broken(
            checked,
            None,
            _(
                "the trail has %(checked)s events, but the checkpoint signed at "
                "%(time)s covers %(count)s: events were deleted"
            )
            % {"checked": checked, "time": newest.when(), "count": newest.event_count},
        )
    return ChainReport(
        True,
        checked,
        checkpoints=len(checkpoints),
        anchored=newest.event_count if newest else 0,
        anchored_at=newest.when() if newest else "",
    )


def events_for(obj):
    object_type, object_id, _repr = _label(obj)
    return AuditEvent.objects.filter(object_type=object_type, object_id=object_id).select_related(
        "actor"
    )
