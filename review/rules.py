"""Permissions of the review app (django-rules). Object-level rules on an application are
in `applications.rules` (shared with the FSM transitions)."""

import rules

from applications.rules import coordinates_application, has_conflict_with
from core.rules import is_assessor, is_coordinator


@rules.predicate
def is_moderator_anywhere(user):
    return user.is_authenticated and user.moderated_constellations.exists()


@rules.predicate
def is_impartial(user, application):
    """Not the learner of the application and no declared conflict of interest with them."""
    if application is None or not user.is_authenticated or application.learner_id == user.pk:
        return False
    return not has_conflict_with(user, application)


rules.add_perm("review.view_queue", is_assessor)
rules.add_perm("review.declare_conflict", is_assessor)
rules.add_perm("review.coordinate", is_coordinator)
# Choosing assessors is never up to the learner nor to someone with a conflict of interest.
rules.add_perm("review.assign", is_coordinator & coordinates_application & is_impartial)
