"""Conflicts of interest: an assessor declares one with a learner or a cohort; the
assignments it touches end and the applications go to other assessors.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import PermissionDeniedError, ValidationFailed
from core.workflow import plain_input

from ..models import Assignment, ConflictOfInterest
from .assignments import assignments_end_and_replace


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
