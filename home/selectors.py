"""What each role's to-do list holds, gathered from the selectors of the apps below.

Each function reads through the owning app's scoped selector (what a person may not see
never reaches their home page) and costs a fixed number of queries, however much there is:
counts are aggregates, lists are cut at `LIMIT` and end in a link to the full list.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from applications.models import ASSESSED_STATES, Application, ApplicationState, Round
from certificates.models import Credential
from certificates.progress import RuleProgress, progress_map
from certificates.selectors import credentials_of
from core.models import AuditEvent
from core.roles import Role
from frameworks.models import BadgeStatus, BadgeVersion, Constellation
from quality.models import ChainVerification
from quality.selectors import Filters
from quality.selectors import applications as report_applications
from quality.selectors import credentials as report_credentials
from review.models import Assignment
from review.selectors import AWAITING_ASSESSOR, moderation_waiting_for, review_queue_for

from .models import SeenMark

S = ApplicationState
# Rows shown per list; the count and a link lead to the rest.
LIMIT = 5
# A review due within this many days is "due soon".
DUE_SOON_DAYS = 3
# Before a person first marks their home page as seen, "new" covers this many days.
UNMARKED_WINDOW_DAYS = 30


def seen_since(user, now: datetime) -> tuple[datetime, bool]:
    """Where "new" starts for the user: their seen mark, else `UNMARKED_WINDOW_DAYS` ago.
    The flag says whether they ever set a mark."""
    mark = SeenMark.objects.filter(user=user).first()
    if mark is None:
        return now - timedelta(days=UNMARKED_WINDOW_DAYS), False
    return mark.seen_at, True


# --- learner ------------------------------------------------------------------------------


@dataclass
class LearnerHome:
    action_count: int
    action: list[Application]
    feedback_count: int
    feedback: list[Round]
    progress: list[RuleProgress]
    credential_count: int
    credentials: list[Credential]


def learner_home(*, user, since: datetime) -> LearnerHome:
    needs_action = (
        Application.objects.filter(learner=user, state__in=[S.CHANGES_REQUESTED, S.DRAFT])
        .select_related("badge_version__badge")
        # Changes requested before drafts: someone is waiting for those.
        .order_by("state", "-updated_at", "-id")
    )
    feedback = (
        Round.objects.filter(application__learner=user, decided_at__gt=since)
        .select_related("application__badge_version")
        .order_by("-decided_at", "-id")
    )
    credentials = list(credentials_of(user))
    rules = [
        rule for constellation in progress_map(user, credentials) for rule in constellation.rules
    ]
    return LearnerHome(
        action_count=needs_action.count(),
        action=list(needs_action[:LIMIT]),
        feedback_count=feedback.count(),
        feedback=list(feedback[:LIMIT]),
        # Milestones still to reach first, then the ones earned.
        progress=sorted(rules, key=lambda rule: (rule.credential is not None, rule.still_needed)),
        credential_count=len(credentials),
        credentials=credentials[:3],
    )


# --- assessor -----------------------------------------------------------------------------


@dataclass
class AssessorHome:
    review_count: int
    overdue_count: int
    due_soon_count: int
    reviews: list[Application]
    overdue_ids: set[int]
    is_moderator: bool
    moderation_count: int
    moderation: list[Application]


def assessor_home(*, user, now: datetime) -> AssessorHome:
    # The queue less the rounds already reviewed (waiting for a second assessor).
    queue = review_queue_for(assessor=user).filter(Q(my_review_submitted=False))
    counts = queue.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(due_at__lt=now)),
        due_soon=Count(
            "pk", filter=Q(due_at__gte=now, due_at__lt=now + timedelta(days=DUE_SOON_DAYS))
        ),
    )
    reviews = list(queue[:LIMIT])
    moderated = Constellation.objects.filter(moderators=user).values("pk")
    moderation = moderation_waiting_for(moderator=user).filter(
        badge_version__badge__constellation__in=moderated
    )
    moderation_count = moderation.count()
    return AssessorHome(
        review_count=counts["total"],
        overdue_count=counts["overdue"],
        due_soon_count=counts["due_soon"],
        reviews=reviews,
        overdue_ids={a.pk for a in reviews if a.due_at and a.due_at < now},
        is_moderator=bool(moderation_count) or moderated.exists(),
        moderation_count=moderation_count,
        moderation=list(moderation[:LIMIT]) if moderation_count else [],
    )


# --- coordinator --------------------------------------------------------------------------


@dataclass
class CoordinatorHome:
    constellation_count: int
    unassigned_count: int
    unassigned: list[Application]
    overdue_count: int
    overdue: list[Application]
    disagreement_count: int
    disagreements: list[Application]
    draft_count: int
    drafts: list[BadgeVersion]


def coordinator_home(*, user, now: datetime) -> CoordinatorHome:
    coordinated = Constellation.objects.filter(coordinators=user).values("pk")
    applications = (
        Application.objects.filter(badge_version__badge__constellation__in=coordinated)
        .annotate(
            has_assessor=Exists(
                Assignment.objects.filter(application=OuterRef("pk"), is_active=True)
            )
        )
        .select_related("learner", "badge_version__badge")
    )
    unassigned_q = Q(state__in=ASSESSED_STATES, has_assessor=False)
    overdue_q = Q(state__in=AWAITING_ASSESSOR, due_at__lt=now)
    counts = applications.aggregate(
        unassigned=Count("pk", filter=unassigned_q), overdue=Count("pk", filter=overdue_q)
    )
    disagreements = moderation_waiting_for(moderator=user).filter(
        badge_version__badge__constellation__in=coordinated
    )
    drafts = (
        BadgeVersion.objects.filter(status=BadgeStatus.DRAFT, badge__constellation__in=coordinated)
        .select_related("badge__constellation")
        .order_by("-updated_at", "-id")
    )
    return CoordinatorHome(
        constellation_count=Constellation.objects.filter(coordinators=user).count(),
        unassigned_count=counts["unassigned"],
        unassigned=list(applications.filter(unassigned_q).order_by("submitted_at", "id")[:LIMIT]),
        overdue_count=counts["overdue"],
        overdue=list(applications.filter(overdue_q).order_by("due_at", "id")[:LIMIT]),
        disagreement_count=disagreements.count(),
        disagreements=list(disagreements[:LIMIT]),
        draft_count=drafts.count(),
        drafts=list(drafts[:LIMIT]),
    )


# --- auditor ------------------------------------------------------------------------------


@dataclass
class AuditorHome:
    figures: dict = field(default_factory=dict)
    changes: dict = field(default_factory=dict)
    last_chain_check: ChainVerification | None = None


def auditor_home(*, user, now: datetime, since: datetime) -> AuditorHome:
    """The quality report's headline figures over every constellation (auditors see all),
    and what happened since the auditor's seen mark."""
    everything = Filters()
    figures = report_applications(everything).aggregate(
        applications=Count("pk"),
        in_assessment=Count("pk", filter=Q(state__in=ASSESSED_STATES)),
        approved=Count("pk", filter=Q(state=S.APPROVED)),
        rejected=Count("pk", filter=Q(state=S.REJECTED)),
        overdue=Count("pk", filter=Q(state__in=AWAITING_ASSESSOR, due_at__lt=now)),
        decided_since=Count("pk", filter=Q(decided_at__gt=since)),
    )
    credentials = report_credentials(everything).aggregate(
        issued=Count("pk"),
        revoked=Count("pk", filter=Q(revoked_at__isnull=False)),
        expired=Count("pk", filter=Q(revoked_at__isnull=True, expires_at__lt=now)),
        issued_since=Count("pk", filter=Q(issued_at__gt=since)),
        revoked_since=Count("pk", filter=Q(revoked_at__gt=since)),
    )
    changes = {
        "rounds_submitted": Round.objects.filter(submitted_at__gt=since).count(),
        "decisions": figures.pop("decided_since"),
        "credentials_issued": credentials.pop("issued_since"),
        "credentials_revoked": credentials.pop("revoked_since"),
        "audit_events": AuditEvent.objects.filter(created_at__gt=since).count(),
    }
    return AuditorHome(
        figures={**figures, "credentials": credentials},
        changes=changes,
        last_chain_check=ChainVerification.objects.first(),
    )


# --- the page -----------------------------------------------------------------------------


def home_for(*, user, now: datetime | None = None) -> dict:
    """One section per role the user holds, in the order of `Role`."""
    now = now or timezone.now()
    since, marked = seen_since(user, now)
    context: dict = {
        "since": since,
        "since_marked": marked,
        "unmarked_days": UNMARKED_WINDOW_DAYS,
        "now": now,
    }
    if user.has_role(Role.LEARNER):
        context["learner"] = learner_home(user=user, since=since)
    if user.has_role(Role.ASSESSOR):
        context["assessor"] = assessor_home(user=user, now=now)
    if user.has_role(Role.COORDINATOR):
        context["coordinator"] = coordinator_home(user=user, now=now)
    if user.has_role(Role.AUDITOR):
        context["auditor"] = auditor_home(user=user, now=now, since=since)
    return context
