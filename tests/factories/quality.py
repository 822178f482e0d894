"""Builders for the quality tests: applications, reviews and credentials in known
configurations, at chosen times.

They drive the model's transition methods (never write the state field) so that each test
can fix every timestamp and every judgement, and compute the expected figures by hand.
"""

from datetime import datetime, timedelta

from applications.models import Application, Round
from certificates.models import Credential, Issuer
from core.roles import Role
from review.models import Assignment, ConflictOfInterest, Judgement, Review
from tests.factories.core import UserFactory


def learner(**kwargs):
    return UserFactory(roles=[Role.LEARNER], **kwargs)


def submitted(version, *, at: datetime, learner_user=None, review_days: int = 14) -> Application:
    """A new application for `version`, submitted at `at` (round 1)."""
    app = Application.objects.create(learner=learner_user or learner(), badge_version=version)
    submit(app, at=at, review_days=review_days)
    return app


def draft(version, *, learner_user=None) -> Application:
    return Application.objects.create(learner=learner_user or learner(), badge_version=version)


def submit(app: Application, *, at: datetime, review_days: int = 14) -> Round:
    app.submit(when=at, due_at=at + timedelta(days=review_days))
    app.save()
    return Round.objects.create(application=app, number=app.round_count, submitted_at=at)


def start_review(app: Application, *, at: datetime) -> None:
    app.start_review(when=at)
    app.save()


def review(
    app: Application,
    *,
    assessor,
    at: datetime,
    recommendation: str,
    outcomes: list[str] | None = None,
    levels: list | None = None,
    moderation: bool = False,
) -> Review:
    """A submitted review of the application's current round. `outcomes` (met/not_yet) or
    rubric `levels` per criterion, in criterion order."""
    if app.state == "submitted":
        start_review(app, at=at)
    round_obj = app.rounds.get(number=app.round_count)
    obj = Review.objects.create(
        round=round_obj,
        assessor=assessor,
        recommendation=recommendation,
        is_submitted=True,
        submitted_at=at,
        is_moderation=moderation,
        reason="Not shown" if recommendation == "reject" else "",
    )
    criteria = list(app.badge_version.criteria.order_by("order", "id"))
    for index, criterion in enumerate(criteria):
        outcome = outcomes[index] if outcomes else ""
        level = levels[index] if levels else None
        Judgement.objects.create(
            review=obj, criterion=criterion, outcome=outcome, rubric_level=level
        )
    return obj


def approve(app: Application, *, by, at: datetime) -> None:
    app.approve(by=by, when=at)
    app.save()


def reject(app: Application, *, by, at: datetime) -> None:
    app.reject(by=by, when=at, reason="Criteria not met.")
    app.save()


def request_changes(app: Application, *, by) -> None:
    app.request_changes(by=by, reason="Please add evidence.")
    app.save()


def to_moderation(app: Application) -> None:
    app.send_to_moderation()
    app.save()


def assign(app: Application, assessor) -> Assignment:
    return Assignment.objects.create(application=app, assessor=assessor)


def credential(
    app: Application,
    *,
    issued: datetime,
    expires: datetime | None = None,
    revoked: datetime | None = None,
) -> Credential:
    return Credential.objects.create(
        recipient=app.learner,
        badge_version=app.badge_version,
        application=app,
        issued_at=issued,
        expires_at=expires,
        revoked_at=revoked,
        revocation_reason="Issued in error." if revoked else "",
    )


def conflict(assessor, *, learner_user=None, cohort=None) -> ConflictOfInterest:
    return ConflictOfInterest.objects.create(
        assessor=assessor, learner=learner_user, cohort=cohort, reason="Former colleague."
    )


def issuer(*, constellations=(), default=False) -> Issuer:
    obj = Issuer.objects.create(
        name="Test University",
        url="https://university.example.org",
        email="badges@university.example.org",
        country_code="FI",
        is_default=default,
    )
    if constellations:
        obj.constellations.add(*constellations)
    return obj
