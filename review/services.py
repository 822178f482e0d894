"""Assignment, conflicts of interest, reviews and decisions.

The assessor's transitions of `applications.Application` (start review, request changes,
approve, reject, moderation) happen here, each in one transaction with its audit event;
mail and credential issuing follow after commit.

Double assessment: every required assessor submits a review of the round without seeing the
other's. When the last one is in, agreement decides; disagreement sends the application to
moderation, where a coordinator or moderator of the constellation decides.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import (
    ASSESSED_STATES,
    Application,
    ApplicationState,
    Round,
    RoundDecision,
)
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

from . import selectors, tasks
from .models import (
    Assignment,
    ConflictOfInterest,
    Judgement,
    JudgementOutcome,
    Recommendation,
    RequiredChange,
    Review,
)
from .rules import has_conflict_with
from .signals import application_approved

S = ApplicationState


# --- assignment ------------------------------------------------------------------------------


def assignment_create(*, actor, application: Application, assessor) -> Assignment:
    """Assign an assessor. `actor` None means the application assigned automatically."""
    if actor is not None and not actor.has_perm("review.assign", application):
        raise PermissionDeniedError()
    if application.state not in ASSESSED_STATES:
        raise WorkflowError(_("Only submitted applications that are still open can be assigned."))
    with transaction.atomic():
        eligible = selectors.eligible_assessors(application).filter(pk=assessor.pk).exists()
        if not eligible:
            raise WorkflowError(
                _(
                    "%(name)s cannot assess this application (not an assessor of this "
                    "constellation, the learner, already assigned, or a declared conflict of interest)."
                )
                % {"name": assessor}
            )
        try:
            with transaction.atomic():
                assignment = Assignment.objects.create(
                    application=application, assessor=assessor, assigned_by=actor
                )
        except IntegrityError as error:
            raise WorkflowError(_("This assessor is already assigned.")) from error
        audit_record(
            actor=actor,
            action="assignment.created",
            obj=application,
            round_number=application.round_count or None,
            comment=str(assessor),
            data={"assessor": assessor.pk, "automatic": actor is None},
        )
        enqueue_on_commit(tasks.notify_assessor_assigned, assignment.pk)
    return assignment


def assignment_end(*, actor, assignment: Assignment, reason: str = "") -> None:
    application = assignment.application
    if actor is not None and not actor.has_perm("review.assign", application):
        raise PermissionDeniedError()
    if not assignment.is_active:
        return
    with transaction.atomic():
        assignment.is_active = False
        assignment.ended_at = timezone.now()
        assignment.save(update_fields=["is_active", "ended_at"])
        # A review the assessor submitted for the round still being assessed no longer
        # counts: it goes back to a draft, so it neither reads as deciding the round nor
        # blocks the assessor from submitting again if assigned again. During moderation
        # the submitted reviews stay: the moderator weighs them.
        reopened = Review.objects.filter(
            round__application_id=application.pk,
            round__number=application.round_count,
            round__application__state__in=[S.SUBMITTED, S.IN_REVIEW],
            assessor_id=assignment.assessor_id,
            is_moderation=False,
            is_submitted=True,
        ).update(is_submitted=False, submitted_at=None)
        audit_record(
            actor=actor,
            action="assignment.ended",
            obj=application,
            round_number=application.round_count or None,
            comment=plain_input(reason, max_length=1000) or str(assignment.assessor),
            data={"assessor": assignment.assessor_id, "review_reopened": bool(reopened)},
        )


def required_assessors(application: Application) -> int:
    return 2 if application.needs_two_assessors else 1


def auto_assign(*, application: Application) -> list[Assignment]:
    """Fill the application's assessor places with the least loaded eligible assessors.
    With nobody eligible the application waits, unassigned, for a coordinator."""
    missing = required_assessors(application) - len(selectors.active_assignments(application))
    created = []
    for _index in range(max(missing, 0)):
        candidate = selectors.eligible_assessors(application).first()
        if candidate is None:
            break
        created.append(assignment_create(actor=None, application=application, assessor=candidate))
    return created


# --- conflicts of interest -------------------------------------------------------------------


def conflict_declare(
    *, assessor, learner=None, cohort=None, reason: str = ""
) -> ConflictOfInterest:
    """Declare a conflict with a learner xor a cohort; end assignments it touches (and find
    the application another assessor)."""
    if not assessor.has_perm("review.declare_conflict"):
        raise PermissionDeniedError()
    if (learner is None) == (cohort is None):
        raise ValidationFailed(_("Name either a learner or a cohort."))
    if learner is not None and learner.pk == assessor.pk:
        raise ValidationFailed(_("You never assess your own applications; no declaration needed."))
    with transaction.atomic():
        exists = ConflictOfInterest.objects.filter(assessor=assessor)
        exists = exists.filter(learner=learner) if learner else exists.filter(cohort=cohort)
        if exists.exists():
            raise ValidationFailed(_("You already declared this conflict of interest."))
        conflict = ConflictOfInterest.objects.create(
            assessor=assessor,
            learner=learner,
            cohort=cohort,
            reason=plain_input(reason, max_length=2000),
        )
        audit_record(
            actor=assessor,
            action="conflict.declared",
            obj=conflict,
            comment=conflict.reason,
            data={"learner": getattr(learner, "pk", None), "cohort": getattr(cohort, "pk", None)},
        )
        learners = [learner.pk] if learner else list(cohort.members.values_list("pk", flat=True))
        touched = Assignment.objects.filter(
            assessor=assessor, is_active=True, application__learner_id__in=learners
        )
        assignments_end_and_replace(touched, reason=_("Conflict of interest declared"))
    return conflict


def assignments_end_and_replace(assignments, *, reason: str) -> int:
    """End these assignments (the system acting) and find each application still being
    assessed another assessor. Returns how many were ended."""
    ended = 0
    for assignment in assignments.select_related("application__badge_version__badge", "assessor"):
        assignment_end(actor=None, assignment=assignment, reason=reason)
        if assignment.application.state in ASSESSED_STATES:
            auto_assign(application=assignment.application)
        ended += 1
    return ended


# --- reviews ---------------------------------------------------------------------------------


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
