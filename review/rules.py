"""Permissions of the review app (django-rules), and the permissions on an application that
depend on review's data — who is assigned, who moderates, who declared a conflict of
interest: seeing an application and its assessment transitions (named on the model's FSM
transitions, so `applications` uses them by name and never imports this module)."""

import rules

from applications.models import ApplicationState as S
from applications.rules import coordinates_application, is_own_application
from core.rules import is_assessor, is_auditor, is_coordinator


def has_conflict_with(user, application) -> bool:
    """The user declared a conflict of interest with the learner or one of their cohorts."""
    learner_cohorts = application.learner.cohorts.values("pk")
    return (
        user.conflicts_declared.filter(learner_id=application.learner_id).exists()
        or user.conflicts_declared.filter(cohort__in=learner_cohorts).exists()
    )


@rules.predicate
def is_assigned_assessor(user, application):
    """Actively assigned, not their own application and no declared conflict of interest."""
    if application is None or not user.is_authenticated or application.learner_id == user.pk:
        return False
    if not user.has_role("assessor"):
        return False
    if not application.assignments.filter(assessor_id=user.pk, is_active=True).exists():
        return False
    return not has_conflict_with(user, application)


@rules.predicate
def moderates_application(user, application):
    """Coordinators and named moderators of the badge's constellation, never for their own
    application nor one they declared a conflict with."""
    if application is None or not user.is_authenticated or application.learner_id == user.pk:
        return False
    constellation = application.badge_version.badge.constellation
    allowed = (
        constellation.coordinators.filter(pk=user.pk).exists()
        or constellation.moderators.filter(pk=user.pk).exists()
    )
    return allowed and not has_conflict_with(user, application)


@rules.predicate
def is_in_moderation(user, application):
    return application is not None and application.state == S.IN_MODERATION


@rules.predicate
def is_under_review(user, application):
    return application is not None and application.state == S.IN_REVIEW


can_see_application = (
    is_own_application
    | is_assigned_assessor
    | coordinates_application
    | moderates_application
    | is_auditor
)

rules.add_perm("applications.see_application", can_see_application)
# FSM transition permissions (named on the model's transitions) of assessors and moderators.
rules.add_perm("applications.start_review", is_assigned_assessor)
rules.add_perm(
    "applications.decide_application",
    (is_under_review & is_assigned_assessor) | (is_in_moderation & moderates_application),
)
rules.add_perm("applications.moderate_application", is_in_moderation & moderates_application)
rules.add_perm("applications.review_application", is_assigned_assessor)


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
