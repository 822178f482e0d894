"""Permissions of the review app (django-rules). Object-level rules on an application are
in `applications.rules` (shared with the FSM transitions)."""

import rules

from applications.rules import coordinates_application
from core.rules import is_assessor, is_coordinator


@rules.predicate
def is_moderator_anywhere(user):
    return user.is_authenticated and user.moderated_constellations.exists()


rules.add_perm("review.view_queue", is_assessor)
rules.add_perm("review.declare_conflict", is_assessor)
rules.add_perm("review.coordinate", is_coordinator)
rules.add_perm("review.assign", is_coordinator & coordinates_application)
