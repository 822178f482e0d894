"""What every service around a state transition does, written once (CONVENTIONS.md,
"Workflow and state"): lock the row and refuse a stale copy, check that the transition is
possible and permitted, save it (a lost race becomes StaleObjectError), and do side effects
only after the transaction commits.

Used by every app; it knows no model of ours.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from .errors import PermissionDeniedError, StaleObjectError, WorkflowError


def lock(instance, *, field: str = "state") -> None:
    """Lock the instance's row for the rest of the transaction and refuse a stale copy.

    Two people acting on one object at once: the second waits for the first to commit
    (PostgreSQL), then finds `field` moved on and gets StaleObjectError. On top of this,
    `ConcurrentTransitionMixin` refuses to save a transition from a state that is no longer
    the one in the database.
    """
    current = (
        type(instance)
        .objects.select_for_update()
        .filter(pk=instance.pk)
        .values_list(field, flat=True)
        .first()
    )
    if current is None or current != getattr(instance, field):
        raise StaleObjectError()


def require_transition(bound_method, user) -> None:
    """The transition must be possible now (state, conditions) and allowed to the user."""
    if not can_proceed(bound_method):
        raise WorkflowError()
    if not has_transition_perm(bound_method, user):
        raise PermissionDeniedError()


def save_transition(instance) -> None:
    """Save a transition; a concurrent one that won first becomes StaleObjectError."""
    try:
        instance.save()
    except ConcurrentTransition as error:
        raise StaleObjectError() from error


def enqueue_on_commit(task, *args) -> None:
    """Enqueue a background task once the current transaction commits (at once outside
    one), so that a rolled-back change never sends mail, renders or issues anything."""
    transaction.on_commit(lambda: task.enqueue(*args))


def now_or(when: datetime | None) -> datetime:
    """The moment of an action: the one given (tests, imports) or now."""
    return when or timezone.now()


def plain_input(value: str | None, *, max_length: int | None = None) -> str:
    """Plain text as typed, without control characters (templates escape it on output)."""
    text = "".join(ch for ch in (value or "") if ch in "\n\t" or ch.isprintable()).strip()
    return text[:max_length] if max_length else text
