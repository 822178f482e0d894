"""Who may choose assessors and whose reviews decide, around assignment and conflicts of
interest."""

import pytest

from applications.models import ApplicationState
from core.errors import PermissionDeniedError
from core.roles import Role, grant_role
from review import services
from review.models import Recommendation
from tests.factories.applications import draft_application
from tests.factories.core import CohortFactory
from tests.factories.review import scenario

S = ApplicationState
pytestmark = pytest.mark.django_db


def test_a_coordinator_cannot_choose_the_assessor_of_their_own_application():
    sc = scenario(assessors=2)
    coordinator = sc.coordinator
    grant_role(coordinator, Role.LEARNER)
    own = draft_application(learner=coordinator, badge_version=sc.application.badge_version)
    from applications import services as app_services

    app_services.application_submit(actor=coordinator, application=own)
    friend = next(a for a in sc.assessors if not own.assignments.filter(assessor=a).exists())
    assert not coordinator.has_perm("review.assign", own)
    with pytest.raises(PermissionDeniedError):
        services.assignment_create(actor=coordinator, application=own, assessor=friend)
    assignment = own.assignments.get(is_active=True)
    with pytest.raises(PermissionDeniedError):
        services.assignment_end(actor=coordinator, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.is_active is True


def test_a_review_of_an_assessor_who_became_conflicted_does_not_decide():
    """The learner joins a cohort the assessor declared a conflict with after the assessor
    submitted: that review no longer counts towards the decision."""
    sc = scenario(double=True)
    first, second = sc.to(S.IN_REVIEW) and sc.assigned()
    sc.decide(Recommendation.APPROVE, assessor=first)
    cohort = CohortFactory(members=[])
    services.conflict_declare(assessor=first, cohort=cohort)
    cohort.members.add(sc.learner)
    app = sc.decide(Recommendation.APPROVE, assessor=second)
    assert app.state == S.IN_REVIEW


def test_a_cohort_conflict_declared_after_assignment_ends_the_assignment_and_access():
    sc = scenario(assessors=2)
    cohort = CohortFactory(members=[sc.learner])
    sc.to(S.IN_REVIEW)
    first = sc.assessor
    services.conflict_declare(assessor=first, cohort=cohort)
    app = sc.refresh()
    assert not first.has_perm("applications.see_application", app)
    assert first not in sc.assigned()


def test_a_moderator_of_one_constellation_cannot_decide_in_another():
    sc = scenario(double=True)
    other = scenario(double=True)
    app = other.to(S.IN_MODERATION)
    assert app.state == S.IN_MODERATION
    assert not sc.moderator.has_perm("applications.moderate_application", app)
    assert not sc.coordinator.has_perm("applications.moderate_application", app)
