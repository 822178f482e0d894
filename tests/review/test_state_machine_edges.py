"""State-machine edges that hold: the round cap in moderation, rubric levels below passing,
a second submission of the same round."""

import pytest

from applications import services as app_services
from applications.models import ApplicationState
from core.errors import StaleObjectError, ValidationFailed, WorkflowError
from review import services
from review.models import Recommendation
from review.services import JudgementInput
from tests.factories.frameworks import RubricLevelFactory
from tests.factories.review import judgements_for, scenario

S = ApplicationState
pytestmark = pytest.mark.django_db


def test_the_moderator_cannot_request_changes_at_the_round_cap():
    sc = scenario(double=True, max_rounds=1)
    app = sc.to(S.IN_MODERATION)
    with pytest.raises(WorkflowError):
        services.moderation_decide(
            actor=sc.moderator,
            application=app,
            judgements=judgements_for(app, not_met=(0,)),
            recommendation=Recommendation.REQUEST_CHANGES,
            submit=True,
        )
    assert sc.refresh().state == S.IN_MODERATION


def test_approval_is_refused_when_a_rubric_level_below_passing_was_chosen():
    sc = scenario(criteria=1)
    criterion = sc.application.badge_version.criteria.get()
    low = RubricLevelFactory(criterion=criterion, order=1, is_passing=False)
    RubricLevelFactory(criterion=criterion, order=2, is_passing=True)
    app = sc.to(S.IN_REVIEW)
    with pytest.raises(ValidationFailed):
        services.review_save(
            actor=sc.assessor,
            application=app,
            judgements=[
                JudgementInput(criterion_id=criterion.pk, outcome="met", rubric_level_id=low.pk)
            ],
            recommendation=Recommendation.APPROVE,
            submit=True,
        )
    assert sc.refresh().state == S.IN_REVIEW


def test_a_second_submission_of_the_same_round_is_refused():
    sc = scenario()
    stale = sc.application
    sc.submit()
    with pytest.raises((StaleObjectError, WorkflowError)):
        app_services.application_submit(actor=sc.learner, application=stale)
    assert sc.refresh().round_count == 1
