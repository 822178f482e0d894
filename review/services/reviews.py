"""Reviews and decisions: the assessor's transitions of `applications.Application`
(start review, request changes, approve, reject) and moderation, each in one transaction
with its audit event; mail after commit, and an approval announced with
`review.signals.application_approved` (certificates issues the credential).

Double assessment: every required assessor submits a review of the round without seeing the
other's. When the last one is in, agreement decides; disagreement sends the application to
moderation, where a coordinator or moderator of the constellation decides.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import Application, ApplicationState, Round, RoundDecision
from core.audit import audit_record
from core.errors import PermissionDeniedError, ValidationFailed, WorkflowError
from core.roles import Role
from core.workflow import (
    enqueue_on_commit,
    lock,
    now_or,
    plain_input,
    require_transition,
    save_transition,
)
from frameworks.models import Criterion, RubricLevel

from .. import selectors, tasks
from ..models import Judgement, JudgementOutcome, Recommendation, RequiredChange, Review
from ..rules import has_conflict_with
from ..signals import application_approved
from .assignments import required_assessors

S = ApplicationState


def current_round(application: Application) -> Round:
    round_ = Round.objects.filter(application=application, number=application.round_count).first()
    if round_ is None:
        raise WorkflowError(_("This application has not been submitted yet."))
    return round_


def review_start(*, actor, application: Application, when=None) -> Review:
    """Open the assessor's review of the current round; the first one moves the application
    from submitted to in review."""
    when = now_or(when)
    with transaction.atomic():
        lock(application)
        if not actor.has_perm("applications.review_application", application):
            raise PermissionDeniedError()
        if application.state == S.SUBMITTED:
            require_transition(application.start_review, actor)
            application.start_review(when=when)
            save_transition(application)
            audit_record(
                actor=actor,
                action="application.review_started",
                obj=application,
                from_state=S.SUBMITTED,
                to_state=application.state,
                round_number=application.round_count,
            )
        elif application.state != S.IN_REVIEW:
            raise WorkflowError()
        review, _created = Review.objects.get_or_create(
            round=current_round(application), assessor=actor
        )
    return review


@dataclass
class JudgementInput:
    criterion_id: int
    outcome: str = ""
    rubric_level_id: int | None = None
    feedback: str = ""
    required_changes: list[str] = field(default_factory=list)


def _is_met(judgement: Judgement, levels: dict[int, RubricLevel]) -> bool:
    if judgement.rubric_level_id:
        return levels[judgement.rubric_level_id].is_passing
    return judgement.outcome == JudgementOutcome.MET


def _store_review(
    review: Review,
    *,
    criteria: list[Criterion],
    judgements: list[JudgementInput],
    overall_feedback: str,
    recommendation: str,
    reason: str,
) -> dict[int, RubricLevel]:
    by_criterion = {c.pk: c for c in criteria}
    levels = {level.pk: level for level in RubricLevel.objects.filter(criterion__in=criteria)}
    if recommendation and recommendation not in Recommendation.values:
        raise ValidationFailed(_("Choose approve, request changes or reject."))
    review.overall_feedback = plain_input(overall_feedback, max_length=10000)
    review.recommendation = recommendation or ""
    review.reason = plain_input(reason, max_length=5000)
    review.save()
    for entry in judgements:
        if entry.criterion_id not in by_criterion:
            raise ValidationFailed(_("This criterion does not belong to the badge."))
        level_id = entry.rubric_level_id or None
        if level_id is not None and (
            level_id not in levels or levels[level_id].criterion_id != entry.criterion_id
        ):
            raise ValidationFailed(_("This rubric level does not belong to the criterion."))
        outcome = entry.outcome if entry.outcome in JudgementOutcome.values else ""
        if level_id is not None:
            outcome = (
                JudgementOutcome.MET if levels[level_id].is_passing else JudgementOutcome.NOT_YET
            )
        judgement, _created = Judgement.objects.update_or_create(
            review=review,
            criterion_id=entry.criterion_id,
            defaults={
                "outcome": outcome,
                "rubric_level_id": level_id,
                "feedback": plain_input(entry.feedback, max_length=10000),
            },
        )
        judgement.required_changes.all().delete()
        RequiredChange.objects.bulk_create(
            [
                RequiredChange(
                    judgement=judgement, order=index, text=plain_input(text, max_length=500)
                )
                for index, text in enumerate(t for t in entry.required_changes if plain_input(t))
            ]
        )
    return levels


def _check_complete(review: Review, criteria: list[Criterion], levels) -> None:
    """A review can only be submitted when its recommendation is backed by its judgements."""
    judgements = {j.criterion_id: j for j in review.judgements.prefetch_related("required_changes")}
    recommendation = review.recommendation
    if not recommendation:
        raise ValidationFailed(_("Choose a decision: approve, request changes or reject."))
    if recommendation == Recommendation.REJECT:
        if not review.reason:
            raise ValidationFailed(_("Give the reason for the rejection."))
        return
    unjudged = [
        f"{c.code} {c.localized('title')}".strip()
        for c in criteria
        if c.pk not in judgements or not judgements[c.pk].outcome
    ]
    if unjudged:
        raise ValidationFailed(
            _("Judge every criterion first. Not judged: %(list)s.") % {"list": "; ".join(unjudged)},
            details=unjudged,
        )
    not_met = [
        f"{c.code} {c.localized('title')}".strip()
        for c in criteria
        if not _is_met(judgements[c.pk], levels)
    ]
    if recommendation == Recommendation.APPROVE and not_met:
        raise ValidationFailed(
            _("Approval needs every criterion judged met. Not met: %(list)s.")
            % {"list": "; ".join(not_met)},
            details=not_met,
        )
    if recommendation == Recommendation.REQUEST_CHANGES and not any(
        j.required_changes.all() for j in judgements.values()
    ):
        raise ValidationFailed(
            _("List at least one required change for the criteria that are not yet met.")
        )


def changes_possible(application: Application) -> bool:
    """Whether another round is possible (the badge's cap on rounds)."""
    return application.below_round_cap()


def review_save(
    *,
    actor,
    application: Application,
    judgements: list[JudgementInput],
    overall_feedback: str = "",
    recommendation: str = "",
    reason: str = "",
    submit: bool = False,
    when=None,
) -> Review:
    """Save the assessor's review of the current round as a draft, or submit it. Submitting
    the last required review decides the application (or sends it to moderation)."""
    when = now_or(when)
    with transaction.atomic():
        lock(application)
        if not actor.has_perm("applications.review_application", application):
            raise PermissionDeniedError()
        if application.state != S.IN_REVIEW:
            raise WorkflowError(
                _("Start the review first.") if application.state == S.SUBMITTED else None
            )
        round_ = current_round(application)
        review, _created = Review.objects.get_or_create(round=round_, assessor=actor)
        if review.is_submitted:
            raise WorkflowError(_("You already submitted your review of this round."))
        submitted = _record_review(
            actor=actor,
            application=application,
            round_=round_,
            review=review,
            judgements=judgements,
            overall_feedback=overall_feedback,
            recommendation=recommendation,
            reason=reason,
            submit=submit,
            when=when,
            action="review.submitted",
        )
        if submitted:
            _decide_when_complete(actor=actor, application=application, round_=round_, when=when)
    return review


def _record_review(
    *,
    actor,
    application: Application,
    round_: Round,
    review: Review,
    judgements: list[JudgementInput],
    overall_feedback: str,
    recommendation: str,
    reason: str,
    submit: bool,
    when,
    action: str,
) -> bool:
    """Store the judgements and feedback; when submitting, check that the review is complete
    and possible, mark it submitted and record the audit event. True if it was submitted."""
    criteria = list(Criterion.objects.filter(badge_version_id=application.badge_version_id))
    levels = _store_review(
        review,
        criteria=criteria,
        judgements=judgements,
        overall_feedback=overall_feedback,
        recommendation=recommendation,
        reason=reason,
    )
    if not submit:
        return False
    _check_complete(review, criteria, levels)
    if review.recommendation == Recommendation.REQUEST_CHANGES and not changes_possible(
        application
    ):
        raise WorkflowError(
            _("This badge allows no further round: approve or reject the application.")
        )
    review.is_submitted = True
    review.submitted_at = when
    review.save(update_fields=["is_submitted", "submitted_at", "updated_at"])
    audit_record(
        actor=actor,
        action=action,
        obj=application,
        round_number=round_.number,
        comment=review.recommendation,
        data={"review": review.pk, "recommendation": review.recommendation},
    )
    return True


def _decide_when_complete(*, actor, application: Application, round_: Round, when) -> None:
    # Only assessors who may still assess: an assessor who has since come into a conflict of
    # interest with the learner (e.g. the learner joined a declared cohort) does not count.
    assessors = {
        a.assessor_id
        for a in selectors.active_assignments(application)
        if not has_conflict_with(a.assessor, application)
    }
    reviews = [
        r
        for r in Review.objects.filter(round=round_, is_submitted=True, is_moderation=False)
        if r.assessor_id in assessors
    ]
    if len(reviews) < required_assessors(application):
        return
    recommendations = {r.recommendation for r in reviews}
    if len(recommendations) == 1:
        reason = "\n\n".join(r.reason for r in reviews if r.reason)
        _apply_decision(
            actor=actor,
            application=application,
            round_=round_,
            recommendation=recommendations.pop(),
            reason=reason,
            when=when,
        )
        return
    require_transition(application.send_to_moderation, actor)
    application.send_to_moderation()
    save_transition(application)
    audit_record(
        actor=actor,
        action="application.sent_to_moderation",
        obj=application,
        from_state=S.IN_REVIEW,
        to_state=application.state,
        round_number=round_.number,
        comment=", ".join(sorted(recommendations)),
    )


DECISION_ACTIONS = {
    Recommendation.APPROVE: ("approve", RoundDecision.APPROVED, "application.approved"),
    Recommendation.REQUEST_CHANGES: (
        "request_changes",
        RoundDecision.CHANGES_REQUESTED,
        "application.changes_requested",
    ),
    Recommendation.REJECT: ("reject", RoundDecision.REJECTED, "application.rejected"),
}


def _apply_decision(*, actor, application, round_, recommendation, reason, when) -> None:
    method_name, round_decision, action = DECISION_ACTIONS[recommendation]
    method = getattr(application, method_name)
    if recommendation == Recommendation.REQUEST_CHANGES and not changes_possible(application):
        raise WorkflowError(
            _("This badge allows no further round: approve or reject the application.")
        )
    require_transition(method, actor)
    from_state = application.state
    if recommendation == Recommendation.REQUEST_CHANGES:
        method(by=actor, reason=reason)
    else:
        method(by=actor, when=when, reason=reason)
    save_transition(application)
    round_.decision = round_decision
    round_.decided_at = when
    round_.save(update_fields=["decision", "decided_at"])
    audit_record(
        actor=actor,
        action=action,
        obj=application,
        from_state=from_state,
        to_state=application.state,
        round_number=round_.number,
        comment=reason,
    )
    enqueue_on_commit(tasks.notify_learner_decision, application.pk, round_.number)
    if recommendation == Recommendation.APPROVE:
        application_approved.send(sender=Application, application=application, actor=actor)


def moderation_decide(
    *,
    actor,
    application: Application,
    judgements: list[JudgementInput],
    overall_feedback: str = "",
    recommendation: str = "",
    reason: str = "",
    submit: bool = False,
    when=None,
) -> Review:
    """The moderator's review of the round, with both assessors' reviews in view; submitting
    it decides the application."""
    when = now_or(when)
    with transaction.atomic():
        lock(application)
        if not actor.has_perm("applications.moderate_application", application):
            if application.state != S.IN_MODERATION:
                raise WorkflowError()
            raise PermissionDeniedError()
        round_ = current_round(application)
        if Review.objects.filter(round=round_, assessor=actor, is_moderation=False).exists():
            raise PermissionDeniedError(
                _("You reviewed this round yourself; another moderator decides.")
            )
        review, _created = Review.objects.get_or_create(
            round=round_, assessor=actor, defaults={"is_moderation": True}
        )
        submitted = _record_review(
            actor=actor,
            application=application,
            round_=round_,
            review=review,
            judgements=judgements,
            overall_feedback=overall_feedback,
            recommendation=recommendation,
            reason=reason,
            submit=submit,
            when=when,
            action="review.moderated",
        )
        if submitted:
            _apply_decision(
                actor=actor,
                application=application,
                round_=round_,
                recommendation=review.recommendation,
                reason=review.reason,
                when=when,
            )
    return review


def can_moderate(user) -> bool:
    return user.is_authenticated and (
        user.has_role(Role.COORDINATOR) or user.moderated_constellations.exists()
    )
