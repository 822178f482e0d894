"""Who may do what with an application (django-rules; the object is an `Application`).

One source of truth for views, FSM transitions (`permission=` on the model) and templates.
`applications` does not import `review`: assignments and conflicts of interest are read
through the reverse relations review's models declare (`application.assignments`,
`user.conflicts_declared`). What a user may *see* in lists is the selector
`review.selectors.applications_visible_to`; these predicates answer the same question for
one object.
"""

import rules

from core.rules import is_auditor, is_learner

from .models import ApplicationState as S


@rules.predicate
def is_own_application(user, application):
    return application is not None and user.is_authenticated and application.learner_id == user.pk


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
def coordinates_application(user, application):
    if application is None or not user.is_authenticated:
        return False
    constellation = application.badge_version.badge.constellation
    return constellation.coordinators.filter(pk=user.pk).exists()


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


@rules.predicate
def is_editable(user, application):
    return application is not None and application.is_editable_by_learner


can_see_application = (
    is_own_application
    | is_assigned_assessor
    | coordinates_application
    | moderates_application
    | is_auditor
)

rules.add_perm("applications.see_application", can_see_application)
rules.add_perm("applications.start_application", is_learner)
rules.add_perm("applications.edit_evidence", is_own_application & is_editable)
# FSM transition permissions (named on the model's transitions).
rules.add_perm("applications.submit_application", is_own_application)
rules.add_perm("applications.withdraw_application", is_own_application)
rules.add_perm("applications.start_review", is_assigned_assessor)
rules.add_perm(
    "applications.decide_application",
    (is_under_review & is_assigned_assessor) | (is_in_moderation & moderates_application),
)
rules.add_perm("applications.moderate_application", is_in_moderation & moderates_application)
rules.add_perm("applications.review_application", is_assigned_assessor)
