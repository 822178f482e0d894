"""Review's reactions to other apps' announcements: a submission gets its assessors; an
assessor who leaves a constellation's pool, or whose cohort conflict comes to cover a
learner, hands open applications to another eligible assessor. Connected in
`ReviewConfig.ready`; every receiver runs inside the sender's transaction.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils.translation import gettext as _

from applications.models import OPEN_STATES
from applications.signals import application_submitted
from core.models import Cohort
from core.workflow import enqueue_on_commit
from frameworks.models import Constellation

from . import selectors, services, tasks
from .models import Assignment, ConflictOfInterest


@receiver(application_submitted, dispatch_uid="review.assign_on_submission")
def assign_on_submission(sender, *, application, round, actor, is_resubmission, **kwargs):
    """A submitted application gets its assessors (inside the submission's transaction);
    on a resubmission, the assessors it already has are told after commit."""
    created = services.auto_assign(application=application)
    if is_resubmission:
        already = [a for a in selectors.active_assignments(application) if a not in created]
        if already:
            enqueue_on_commit(tasks.notify_assessors_resubmitted, application.pk, round.number)


@receiver(
    m2m_changed,
    sender=Constellation.assessors.through,
    dispatch_uid="review.reassign_when_assessors_leave",
)
def reassign_when_assessors_leave(sender, *, instance, action, reverse, **kwargs):
    """m2m_changed of Constellation.assessors: an assessor who leaves a constellation's pool
    keeps none of its open assignments (they go to other eligible assessors)."""
    if action not in ("post_remove", "post_clear"):
        return
    active = Assignment.objects.filter(is_active=True, application__state__in=OPEN_STATES)
    if reverse:  # user.assessed_constellations.remove(...)
        active = active.filter(assessor=instance)
    else:
        active = active.filter(application__badge_version__badge__constellation=instance)
    pool = set(Constellation.assessors.through.objects.values_list("constellation_id", "user_id"))
    outside = [
        pk
        for pk, constellation_id, assessor_id in active.values_list(
            "pk", "application__badge_version__badge__constellation_id", "assessor_id"
        )
        if (constellation_id, assessor_id) not in pool
    ]
    if outside:
        with transaction.atomic():
            services.assignments_end_and_replace(
                Assignment.objects.filter(pk__in=outside),
                reason=_("No longer an assessor of this constellation"),
            )


@receiver(
    m2m_changed, sender=Cohort.members.through, dispatch_uid="review.reassign_on_cohort_conflict"
)
def reassign_on_cohort_conflict(sender, *, instance, action, reverse, pk_set, **kwargs):
    """m2m_changed of Cohort.members: a learner who joins a cohort that an assessor declared
    a conflict of interest with is no longer assessed by that assessor."""
    if action != "post_add" or not pk_set:
        return
    learners, cohorts = ([instance.pk], pk_set) if reverse else (pk_set, [instance.pk])
    conflicted = ConflictOfInterest.objects.filter(cohort_id__in=cohorts).values("assessor_id")
    touched = Assignment.objects.filter(
        is_active=True,
        application__state__in=OPEN_STATES,
        application__learner_id__in=learners,
        assessor_id__in=conflicted,
    )
    if touched.exists():
        with transaction.atomic():
            services.assignments_end_and_replace(touched, reason=_("Conflict of interest declared"))
