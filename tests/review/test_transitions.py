"""Every transition from every state: allowed ones move the application, refused ones raise
a domain error and change nothing."""

import pytest

from applications import services as app_services
from applications.models import ApplicationState
from core.errors import DomainError
from review import services
from review.models import Recommendation
from tests.factories.review import judgements_for, scenario

S = ApplicationState
ALL_STATES = list(S.values)

# action -> {source state: resulting state}
ALLOWED = {
    "submit": {S.DRAFT: S.SUBMITTED, S.CHANGES_REQUESTED: S.SUBMITTED},
    "withdraw": dict.fromkeys(
        (S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED, S.IN_MODERATION), S.WITHDRAWN
    ),
    # In review, a (second) assessor opens their own review without a transition.
    "start_review": {S.SUBMITTED: S.IN_REVIEW, S.IN_REVIEW: S.IN_REVIEW},
    "request_changes": {S.IN_REVIEW: S.CHANGES_REQUESTED, S.IN_MODERATION: S.CHANGES_REQUESTED},
    "approve": {S.IN_REVIEW: S.APPROVED, S.IN_MODERATION: S.APPROVED},
    "reject": {S.IN_REVIEW: S.REJECTED, S.IN_MODERATION: S.REJECTED},
}


def act(sc, action):
    app = sc.application
    if action == "submit":
        app_services.application_submit(actor=sc.learner, application=app)
    elif action == "withdraw":
        app_services.application_withdraw(actor=sc.learner, application=app)
    elif action == "start_review":
        services.review_start(
            actor=sc.assigned()[0] if sc.assigned() else sc.assessors[0], application=app
        )
    else:
        recommendation = {
            "request_changes": Recommendation.REQUEST_CHANGES,
            "approve": Recommendation.APPROVE,
            "reject": Recommendation.REJECT,
        }[action]
        kwargs = {
            "application": app,
            "judgements": judgements_for(app, not_met=(0,) if action == "request_changes" else ()),
            "recommendation": recommendation,
            "reason": "Reason." if action == "reject" else "",
            "submit": True,
        }
        if app.state == S.IN_MODERATION:
            services.moderation_decide(actor=sc.coordinator, **kwargs)
        else:
            actor = sc.assigned()[0] if sc.assigned() else sc.assessors[0]
            services.review_save(actor=actor, **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(ALLOWED))
@pytest.mark.parametrize("state", ALL_STATES)
def test_every_transition_from_every_state(state, action):
    sc = scenario(double=state == S.IN_MODERATION)
    sc.to(state)
    assert sc.application.state == state
    expected = ALLOWED[action].get(state)
    if expected is None:
        with pytest.raises(DomainError):
            act(sc, action)
        assert sc.refresh().state == state
    else:
        act(sc, action)
        assert sc.refresh().state == expected


MODEL_TRANSITIONS = {
    "submit": {S.DRAFT, S.CHANGES_REQUESTED},
    "withdraw": {S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED, S.IN_MODERATION},
    "start_review": {S.SUBMITTED},
    "request_changes": {S.IN_REVIEW, S.IN_MODERATION},
    "approve": {S.IN_REVIEW, S.IN_MODERATION},
    "reject": {S.IN_REVIEW, S.IN_MODERATION},
    "send_to_moderation": {S.IN_REVIEW},
}


@pytest.mark.django_db
@pytest.mark.parametrize("state", ALL_STATES)
def test_the_state_machine_offers_exactly_the_documented_transitions(state):
    from django_fsm import can_proceed

    sc = scenario(double=state == S.IN_MODERATION)
    app = sc.to(state)
    offered = {name for name in MODEL_TRANSITIONS if can_proceed(getattr(app, name))}
    assert offered == {name for name, sources in MODEL_TRANSITIONS.items() if state in sources}


@pytest.mark.django_db
def test_the_state_field_cannot_be_written_directly():
    from applications.models import Application

    app = scenario().application
    with pytest.raises(AttributeError):
        app.state = S.APPROVED
    assert Application.objects.get(pk=app.pk).state == S.DRAFT
