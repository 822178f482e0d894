"""Reads scoped to a user: who sees an application because they assess or moderate it, the
assessor queue, the coordinator's overview and workload, who is eligible to assess an
application.

An assessor sees an application only while actively assigned, never their own and never
one of a learner (or a learner's cohort) they declared a conflict of interest with. Views
fetch through these selectors, so anything outside them is a 404.
"""

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from applications.models import ASSESSED_STATES, Application, ApplicationState, Round
from core.models import Cohort
from core.roles import Role
from frameworks.models import Constellation

from .models import Assignment, ConflictOfInterest, Review

S = ApplicationState
AWAITING_ASSESSOR = (S.SUBMITTED, S.IN_REVIEW)


def _conflict_exists(assessor, learner_ref="learner_id"):
    by_learner = ConflictOfInterest.objects.filter(
        assessor=assessor, learner_id=OuterRef(learner_ref)
    )
    by_cohort = ConflictOfInterest.objects.filter(
        assessor=assessor,
        cohort__members=OuterRef(learner_ref),
    )
    return Exists(by_learner) | Exists(by_cohort)


def _active_assignment(assessor):
    return Exists(
        Assignment.objects.filter(application=OuterRef("pk"), assessor=assessor, is_active=True)
    )


def visibility_grant(user) -> Q:
    """Who sees an application because of review's data (registered with
    `applications.selectors.register_visibility`): its actively assigned assessors and the
    moderators of its constellation — never for their own application nor one of a learner
    (or cohort) they declared a conflict of interest with."""
    not_own_or_conflicted = ~Q(learner_id=user.pk) & ~_conflict_exists(user)
    moderated = Constellation.objects.filter(moderators=user).values("pk")
    granted = Q(badge_version__badge__constellation__in=moderated)
    if user.has_role(Role.ASSESSOR):
        granted |= _active_assignment(user)
    return granted & not_own_or_conflicted


def _my_review(assessor, *, submitted: bool):
    return Exists(
        Review.objects.filter(
            round__application=OuterRef("pk"),
            round__number=OuterRef("round_count"),
            assessor=assessor,
            is_submitted=submitted,
            is_moderation=False,
        )
    )


QUEUE_SORTS = {
    "due": ("due_at", "id"),
    "-due": ("-due_at", "-id"),
    "waiting": ("submitted_at", "id"),
    "-waiting": ("-submitted_at", "-id"),
    "badge": ("badge_version__title", "id"),
    "state": ("state", "due_at", "id"),
}


def review_queue_for(
    *, assessor, state: str = "", overdue: bool = False, badge: str = "", sort: str = "due"
) -> QuerySet[Application]:
    """The assessor's assigned applications. By default those waiting for them (submitted
    or in review); `state="all"` shows every state."""
    now = timezone.now()
    qs = (
        Application.objects.filter(_active_assignment(assessor))
        .exclude(learner_id=assessor.pk)
        .exclude(_conflict_exists(assessor))
        .select_related("learner", "badge_version__badge")
        .annotate(
            my_review_submitted=_my_review(assessor, submitted=True),
            my_review_draft=_my_review(assessor, submitted=False),
        )
    )
    if state == "all":
        pass
    elif state in S.values:
        qs = qs.filter(state=state)
    else:
        qs = qs.filter(state__in=AWAITING_ASSESSOR)
    if overdue:
        qs = qs.filter(due_at__lt=now, state__in=AWAITING_ASSESSOR)
    if badge:
        qs = qs.filter(badge_version__badge__slug=badge)
    return qs.order_by(*QUEUE_SORTS.get(sort, QUEUE_SORTS["due"]))


def is_overdue(application, now=None) -> bool:
    now = now or timezone.now()
    return bool(
        application.due_at and application.due_at < now and application.state in AWAITING_ASSESSOR
    )


def constellations_coordinated_by(user) -> QuerySet[Constellation]:
    return Constellation.objects.filter(coordinators=user)


def coordinator_applications(
    *, coordinator, state: str = "", unassigned: bool = False, badge: str = ""
) -> QuerySet[Application]:
    active = Assignment.objects.filter(is_active=True).select_related("assessor")
    qs = (
        Application.objects.filter(
            badge_version__badge__constellation__in=constellations_coordinated_by(
                coordinator
            ).values("pk")
        )
        .select_related("learner", "badge_version__badge")
        .prefetch_related(Prefetch("assignments", queryset=active, to_attr="active_assignments"))
        .annotate(
            active_assignment_count=Count("assignments", filter=Q(assignments__is_active=True))
        )
    )
    if state in S.values:
        qs = qs.filter(state=state)
    elif state != "all":
        qs = qs.exclude(state=S.DRAFT)
    if unassigned:
        qs = qs.filter(active_assignment_count=0, state__in=ASSESSED_STATES)
    if badge:
        qs = qs.filter(badge_version__badge__slug=badge)
    return qs.order_by("due_at", "id")


def assessor_workload(*, coordinator) -> QuerySet:
    """Eligible assessors of the coordinator's constellations with their open assignments."""
    User = get_user_model()
    now = timezone.now()
    open_assignment = Q(
        assignments__is_active=True, assignments__application__state__in=ASSESSED_STATES
    )
    return (
        User.objects.filter(
            assessed_constellations__in=constellations_coordinated_by(coordinator).values("pk"),
            groups__name=Role.ASSESSOR,
        )
        .distinct()
        .annotate(
            open_assignments=Count("assignments", filter=open_assignment, distinct=True),
            overdue_assignments=Count(
                "assignments",
                filter=Q(
                    assignments__is_active=True,
                    assignments__application__state__in=AWAITING_ASSESSOR,
                    assignments__application__due_at__lt=now,
                ),
                distinct=True,
            ),
        )
        .order_by("display_name", "id")
    )


def assessor_load():
    """Subquery: an assessor's active assignments on applications still being assessed."""
    return Subquery(
        Assignment.objects.filter(
            assessor=OuterRef("pk"), is_active=True, application__state__in=ASSESSED_STATES
        )
        .values("assessor")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )


def eligible_assessors(application: Application) -> QuerySet:
    """Who may be assigned: the constellation's assessors holding the assessor role, not the
    learner, without a conflict of interest, not already assigned; least loaded first."""
    User = get_user_model()
    constellation_id = application.badge_version.badge.constellation_id
    learner_cohorts = Cohort.objects.filter(members=application.learner_id).values("pk")
    conflicted = ConflictOfInterest.objects.filter(
        Q(learner_id=application.learner_id) | Q(cohort__in=learner_cohorts)
    ).values("assessor_id")
    assigned = Assignment.objects.filter(application=application, is_active=True).values(
        "assessor_id"
    )
    return (
        User.objects.filter(
            assessed_constellations=constellation_id, groups__name=Role.ASSESSOR, is_active=True
        )
        .exclude(pk=application.learner_id)
        .exclude(pk__in=conflicted)
        .exclude(pk__in=assigned)
        .annotate(load=Coalesce(assessor_load(), 0))
        .distinct()
        .order_by("load", "id")
    )


def active_assignments(application: Application) -> list[Assignment]:
    return list(
        Assignment.objects.filter(application=application, is_active=True)
        .select_related("assessor")
        .order_by("assigned_at", "id")
    )


def conflicts_of(*, assessor) -> QuerySet[ConflictOfInterest]:
    return ConflictOfInterest.objects.filter(assessor=assessor).select_related("learner", "cohort")


def reviews_of_round(round_: Round) -> list[Review]:
    return list(
        Review.objects.filter(round=round_)
        .select_related("assessor")
        .prefetch_related("judgements__rubric_level", "judgements__required_changes")
        .order_by("is_moderation", "created_at", "id")
    )


def reviews_by_round(application: Application) -> dict[int, list[Review]]:
    """Every review of the application, grouped by round number (judgements prefetched)."""
    result: dict[int, list[Review]] = {}
    reviews = (
        Review.objects.filter(round__application=application)
        .select_related("assessor", "round")
        .prefetch_related("judgements__rubric_level", "judgements__required_changes")
        .order_by("round__number", "is_moderation", "created_at", "id")
    )
    for review in reviews:
        result.setdefault(review.round.number, []).append(review)
    return result


def decisive_reviews(round_: Round, reviews: list[Review]) -> list[Review]:
    """What the learner sees for a decided round: the moderator's review if there is one,
    otherwise the submitted reviews. Nothing before the round is decided."""
    if not round_.is_decided:
        return []
    submitted = [r for r in reviews if r.is_submitted]
    moderation = [r for r in submitted if r.is_moderation]
    return moderation or submitted


def moderation_waiting_for(*, moderator) -> QuerySet[Application]:
    """Applications in moderation that `moderator` may decide: in a constellation they
    coordinate or moderate, never their own nor one they declared a conflict with."""
    constellations = Constellation.objects.filter(
        Q(coordinators=moderator) | Q(moderators=moderator)
    ).values("pk")
    return (
        Application.objects.filter(
            state=S.IN_MODERATION, badge_version__badge__constellation__in=constellations
        )
        .exclude(learner_id=moderator.pk)
        .exclude(_conflict_exists(moderator))
        .select_related("learner", "badge_version__badge")
        .order_by("submitted_at", "id")
    )
