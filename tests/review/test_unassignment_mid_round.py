"""An assessor taken off an application mid-round."""

import pytest

from applications.models import ApplicationState
from core.roles import Role
from review import selectors, services
from review.models import Recommendation, Review
from tests.factories.core import UserFactory
from tests.factories.review import scenario

S = ApplicationState
pytestmark = pytest.mark.django_db


def _double_with_first_review_then_unassigned():
    sc = scenario(double=True)
    sc.to(S.IN_REVIEW)
    first, second = sc.assigned()
    sc.decide(Recommendation.REJECT, assessor=first)
    services.assignment_end(
        actor=sc.coordinator, assignment=sc.application.assignments.get(assessor=first)
    )
    return sc, first, second


def test_the_review_of_an_unassigned_assessor_is_not_shown_as_deciding_the_round():
    sc, first, second = _double_with_first_review_then_unassigned()
    third = UserFactory(roles=[Role.ASSESSOR], display_name="Assessor 3")
    sc.application.badge_version.badge.constellation.assessors.add(third)
    services.assignment_create(actor=sc.coordinator, application=sc.application, assessor=third)
    sc.start_review(third)
    sc.decide(Recommendation.APPROVE, assessor=second)
    app = sc.decide(Recommendation.APPROVE, assessor=third)
    assert app.state == S.APPROVED
    round_ = app.rounds.get()
    shown = selectors.decisive_reviews(round_, selectors.reviews_of_round(round_))
    assert sorted(r.assessor.display_name for r in shown) == ["Assessor 2", "Assessor 3"]
    kept = Review.objects.get(round=round_, assessor=first)
    assert (kept.is_submitted, kept.recommendation) == (False, Recommendation.REJECT)


def test_an_assessor_assigned_again_can_submit_again_and_the_round_is_decided():
    sc, first, second = _double_with_first_review_then_unassigned()
    assert sc.decide(Recommendation.APPROVE, assessor=second).state == S.IN_REVIEW
    services.assignment_create(actor=sc.coordinator, application=sc.application, assessor=first)
    app = sc.decide(Recommendation.APPROVE, assessor=first)
    assert app.state == S.APPROVED


def test_an_unassignment_during_moderation_keeps_the_reviews_the_moderator_weighs():
    sc = scenario(double=True)
    sc.to(S.IN_MODERATION)
    first = sc.assigned()[0]
    services.assignment_end(
        actor=sc.coordinator, assignment=sc.application.assignments.get(assessor=first)
    )
    assert Review.objects.get(round__application=sc.application, assessor=first).is_submitted
