"""Role predicates shared by every app's rules.py."""

import rules

from .roles import Role


def ids_cached_on_user(user, key: str, ids) -> frozenset[int]:
    """The ids `ids(user)` returns (one query), cached on the user object under `key` for
    the rest of the request, as scoped rules ask the same question many times per page."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = user.__dict__.get(key)
    if cached is None:
        cached = frozenset(ids(user))
        user.__dict__[key] = cached
    return cached


def forget_ids_cached_on_user(user, key: str) -> None:
    """After a change of what `ids_cached_on_user(user, key, ...)` returns."""
    if user is not None:
        user.__dict__.pop(key, None)


@rules.predicate
def is_learner(user):
    return user.is_authenticated and user.has_role(Role.LEARNER)


@rules.predicate
def is_assessor(user):
    return user.is_authenticated and user.has_role(Role.ASSESSOR)


@rules.predicate
def is_coordinator(user):
    return user.is_authenticated and user.has_role(Role.COORDINATOR)


@rules.predicate
def is_auditor(user):
    return user.is_authenticated and user.has_role(Role.AUDITOR)


is_signed_in = rules.is_authenticated

rules.add_perm("core.view_audit_trail", is_auditor | is_coordinator)

# The background task queue (core.background): staff run it, auditors read it.
rules.add_perm("core.view_task_queue", rules.is_staff | is_auditor)
rules.add_perm("core.retry_tasks", rules.is_staff)
