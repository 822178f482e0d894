"""A workflow scenario: a constellation with a coordinator and assessors, a learner's
application, and helpers that drive it to any state through the services."""

from dataclasses import dataclass, field

from applications import services as app_services
from applications.models import Application, ApplicationState
from core.roles import Role
from review import services
from review.models import JudgementOutcome, Recommendation
from review.services import JudgementInput
from tests.factories.applications import badge_version_in_constellation, draft_application
from tests.factories.core import UserFactory

S = ApplicationState


def judgements_for(
    application: Application, *, not_met: tuple = (), changes=("Add a lesson plan.",)
):
    """Every criterion judged: met, except the criteria (by index) in `not_met`."""
    result = []
    for index, criterion in enumerate(application.badge_version.criteria.order_by("order", "id")):
        missing = index in not_met
        result.append(
            JudgementInput(
                criterion_id=criterion.pk,
                outcome=JudgementOutcome.NOT_YET if missing else JudgementOutcome.MET,
                feedback=f"Feedback on {criterion.code}",
                required_changes=list(changes) if missing else [],
            )
        )
    return result


@dataclass
class Scenario:
    application: Application
    learner: object
    coordinator: object
    assessors: list = field(default_factory=list)
    moderator: object = None

    def refresh(self) -> Application:
        self.application = Application.objects.get(pk=self.application.pk)
        return self.application

    @property
    def assessor(self):
        """The (first) assessor assigned to the application."""
        assignment = self.application.assignments.filter(is_active=True).order_by("id").first()
        return assignment.assessor if assignment else self.assessors[0]

    def assigned(self) -> list:
        return [
            a.assessor for a in self.application.assignments.filter(is_active=True).order_by("id")
        ]

    # --- steps ---------------------------------------------------------------------------

    def submit(self, **kwargs):
        app_services.application_submit(actor=self.learner, application=self.application, **kwargs)
        return self.refresh()

    def start_review(self, assessor=None):
        services.review_start(actor=assessor or self.assessor, application=self.application)
        return self.refresh()

    def decide(self, recommendation, *, assessor=None, not_met=(), reason=""):
        if recommendation == Recommendation.REQUEST_CHANGES and not not_met:
            not_met = (0,)
        if recommendation == Recommendation.REJECT and not reason:
            reason = "The evidence does not show the competence."
        services.review_save(
            actor=assessor or self.assessor,
            application=self.application,
            judgements=judgements_for(self.application, not_met=not_met),
            overall_feedback="Overall feedback.",
            recommendation=recommendation,
            reason=reason,
            submit=True,
        )
        return self.refresh()

    def to(self, state: str) -> Application:
        """Drive the application from draft to `state` (double scenarios for in_moderation)."""
        if state == S.DRAFT:
            return self.application
        if state == S.WITHDRAWN:
            app_services.application_withdraw(actor=self.learner, application=self.application)
            return self.refresh()
        self.submit()
        if state == S.SUBMITTED:
            return self.application
        for assessor in self.assigned():
            self.start_review(assessor)
        if state == S.IN_REVIEW:
            return self.application
        if state == S.IN_MODERATION:
            first, second = self.assigned()
            self.decide(Recommendation.APPROVE, assessor=first)
            return self.decide(Recommendation.REJECT, assessor=second)
        recommendation = {
            S.CHANGES_REQUESTED: Recommendation.REQUEST_CHANGES,
            S.APPROVED: Recommendation.APPROVE,
            S.REJECTED: Recommendation.REJECT,
        }[state]
        for assessor in self.assigned():
            self.decide(recommendation, assessor=assessor)
        return self.application


def scenario(
    *, double: bool = False, criteria: int = 2, assessors: int | None = None, **version_kwargs
) -> Scenario:
    coordinator = UserFactory(roles=[Role.COORDINATOR], display_name="Cora Coordinator")
    count = assessors if assessors is not None else (2 if double else 1)
    people = [
        UserFactory(roles=[Role.ASSESSOR], display_name=f"Assessor {i + 1}") for i in range(count)
    ]
    moderator = UserFactory(roles=[Role.ASSESSOR], display_name="Mona Moderator")
    if double:
        version_kwargs.setdefault("double_assessment", "all")
    version = badge_version_in_constellation(
        coordinators=[coordinator],
        assessors=people,
        moderators=[moderator],
        criteria=criteria,
        **version_kwargs,
    )
    learner = UserFactory(roles=[Role.LEARNER], display_name="Lena Learner")
    application = draft_application(learner=learner, badge_version=version)
    return Scenario(
        application=application,
        learner=learner,
        coordinator=coordinator,
        assessors=people,
        moderator=moderator,
    )
