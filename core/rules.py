"""Role predicates shared by every app's rules.py."""

import rules

from .roles import Role


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
