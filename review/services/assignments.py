"""Assigning assessors: by a coordinator or automatically (least loaded eligible
assessor first), ending an assignment, and handing applications on when assignments end.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import ASSESSED_STATES, Application, ApplicationState
from core.audit import audit_record
from core.errors import PermissionDeniedError, WorkflowError
from core.workflow import enqueue_on_commit, plain_input

from .. import selectors, tasks
from ..models import Assignment, Review

S = ApplicationState


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
