"""Every read of the quality app: querysets scoped to a user and narrowed by filters.

Auditors see every record. Coordinators see the report for the constellations they
coordinate. Everybody else sees nothing (views answer 403/404).

Filters (`Filters`) are the same everywhere: constellation, badge, assessor, cohort,
state and period. The period applies to the date that best says "when" for each record:
an application's first submission (its start date while it is a draft), a review's
submission, a credential's issue date, an audit event's time, a declaration's date.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, TypedDict

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from applications.models import Application, EvidenceItem, Round
from certificates.models import Credential
from core.models import AuditEvent, Cohort, User
from core.roles import Role
from frameworks.models import Badge, BadgeVersion, Constellation
from review.models import ConflictOfInterest, Judgement, Review

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# Separates assessor names inside one aggregated cell (never typed by a person).
NAME_SEPARATOR = "\x1f"


class _InPeriod(TypedDict):
    """What `applications` annotates: the date an application counts for the period."""

    period_date: datetime


class _Listed(_InPeriod):
    """What `applications_for_listing` adds to each row."""

    credential_pk: int | None
    assessor_names: str | None
    first_review_at: datetime | None


@dataclass(frozen=True)
class Filters:
    constellation: Constellation | None = None
    badge: Badge | None = None
    assessor: User | None = None
    cohort: Cohort | None = None
    state: str = ""
    date_from: date | None = None
    date_to: date | None = None
    # Constellations the viewer may see; None means all (auditors).
    allowed_constellations: tuple[int, ...] | None = field(default=None)

    def as_parameters(self) -> dict:
        """JSON-safe parameters, stored on export jobs and printed in manifests."""
        return {
            "constellation": self.constellation.slug if self.constellation else "",
            "badge": self.badge.slug if self.badge else "",
            # The slug names a badge only within its constellation, which may be unchosen.
            "badge_id": self.badge.pk if self.badge else None,
            "assessor": self.assessor.pk if self.assessor else None,
            "cohort": self.cohort.slug if self.cohort else "",
            "state": self.state,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
        }

    @classmethod
    def from_parameters(cls, parameters: dict, *, allowed=None) -> "Filters":
        slug = parameters.get("constellation") or ""
        constellation = Constellation.objects.filter(slug=slug).first() if slug else None
        badge = None
        if parameters.get("badge_id"):
            badge = Badge.objects.filter(pk=parameters["badge_id"]).first()
        elif parameters.get("badge") and constellation:
            badge = Badge.objects.filter(
                constellation=constellation, slug=parameters["badge"]
            ).first()
        assessor = (
            User.objects.filter(pk=parameters["assessor"]).first()
            if parameters.get("assessor")
            else None
        )
        cohort = (
            Cohort.objects.filter(slug=parameters["cohort"]).first()
            if parameters.get("cohort")
            else None
        )
        return cls(
            constellation=constellation,
            badge=badge,
            assessor=assessor,
            cohort=cohort,
            state=parameters.get("state") or "",
            date_from=date.fromisoformat(parameters["from"]) if parameters.get("from") else None,
            date_to=date.fromisoformat(parameters["to"]) if parameters.get("to") else None,
            allowed_constellations=allowed,
        )

    @property
    def start(self) -> datetime | None:
        if self.date_from is None:
            return None
        return timezone.make_aware(datetime.combine(self.date_from, time.min))

    @property
    def end(self) -> datetime | None:
        """Exclusive end: the start of the day after `date_to`."""
        if self.date_to is None:
            return None
        return timezone.make_aware(datetime.combine(self.date_to + timedelta(days=1), time.min))

    def period_q(self, field_name: str) -> Q:
        q = Q()
        if self.start is not None:
            q &= Q(**{f"{field_name}__gte": self.start})
        if self.end is not None:
            q &= Q(**{f"{field_name}__lt": self.end})
        return q

    def badge_version_q(self, prefix: str) -> Q:
        """Constellation, badge and visibility limits on a path to a BadgeVersion."""
        q = Q()
        if self.allowed_constellations is not None:
            q &= Q(**{f"{prefix}badge__constellation__in": self.allowed_constellations})
        if self.constellation is not None:
            q &= Q(**{f"{prefix}badge__constellation": self.constellation})
        if self.badge is not None:
            q &= Q(**{f"{prefix}badge": self.badge})
        return q


# --- who sees what ------------------------------------------------------------------------


def is_auditor(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.AUDITOR))


def constellations_visible_to(*, user) -> QuerySet[Constellation]:
    """All constellations for auditors; the coordinated ones for coordinators; else none."""
    if is_auditor(user):
        return Constellation.objects.all()
    if user.is_authenticated and user.has_role(Role.COORDINATOR):
        return Constellation.objects.filter(coordinators=user)
    return Constellation.objects.none()


def allowed_constellation_ids(*, user) -> tuple[int, ...] | None:
    """None (no limit) for auditors, else the ids of the visible constellations."""
    if is_auditor(user):
        return None
    return tuple(constellations_visible_to(user=user).values_list("pk", flat=True))


# --- applications -------------------------------------------------------------------------


def application_start():
    """When an application counts for the period: first submission, else its start."""
    return Coalesce("first_submitted_at", "created_at", output_field=DateTimeField())


def submitted_reviews() -> QuerySet[Review]:
    return Review.objects.filter(is_submitted=True)


def applications(filters: Filters) -> "QuerySet[WithAnnotations[Application, _InPeriod]]":
    """Applications in scope. The assessor filter keeps applications with a submitted
    review by that assessor; the cohort filter, applications of the cohort's members."""
    qs = Application.objects.annotate(period_date=application_start()).filter(
        filters.badge_version_q("badge_version__")
    )
    qs = qs.filter(filters.period_q("period_date"))
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.cohort is not None:
        qs = qs.filter(learner__cohorts=filters.cohort)
    if filters.assessor is not None:
        qs = qs.filter(
            Exists(
                submitted_reviews().filter(
                    round__application=OuterRef("pk"), assessor=filters.assessor
                )
            )
        )
    return qs


def applications_for_listing(
    filters: Filters,
) -> "QuerySet[WithAnnotations[Application, _Listed]]":
    """Applications with everything a row shows, in a fixed number of queries."""
    reviewers = (
        submitted_reviews()
        .filter(round__application=OuterRef("pk"), is_moderation=False)
        .order_by()
        .values("round__application")
        .annotate(names=StringAgg("assessor__display_name", Value(NAME_SEPARATOR)))
        .values("names")
    )
    first_review = (
        submitted_reviews()
        .filter(round__application=OuterRef("pk"), is_moderation=False)
        .order_by()
        .values("round__application")
        .annotate(first=Min("submitted_at"))
        .values("first")
    )
    return (
        applications(filters)
        .select_related("learner", "badge_version__badge__constellation", "decided_by")
        .annotate(
            credential_pk=F("credential__id"),
            assessor_names=Subquery(reviewers),
            first_review_at=Subquery(first_review),
        )
        .order_by("pk")
    )


def assessor_names(value: str | None) -> list[str]:
    """The distinct names from an aggregated `assessor_names` cell, alphabetically (not
    every database orders inside an aggregate)."""
    return sorted({name for name in (value or "").split(NAME_SEPARATOR) if name})


def rounds(filters: Filters) -> QuerySet[Round]:
    return (
        Round.objects.filter(application__in=applications(filters).values("pk"))
        .select_related("application__learner", "application__badge_version")
        .annotate(evidence_count=Count("evidence", distinct=True))
        .order_by("-submitted_at", "-id")
    )


def evidence_of_round(round_obj: Round) -> QuerySet[EvidenceItem]:
    return round_obj.evidence.order_by("created_at", "id")


def reviews(filters: Filters) -> QuerySet[Review]:
    qs = Review.objects.filter(round__application__in=applications(filters).values("pk"))
    if filters.assessor is not None:
        qs = qs.filter(assessor=filters.assessor)
    return qs


def reviews_for_listing(filters: Filters) -> QuerySet[Review]:
    return (
        reviews(filters)
        .select_related(
            "assessor", "round__application__learner", "round__application__badge_version"
        )
        .annotate(judgement_count=Count("judgements"))
        .order_by("-submitted_at", "-id")
    )


def judgements(filters: Filters) -> QuerySet[Judgement]:
    qs = Judgement.objects.filter(
        review__is_submitted=True,
        review__round__application__in=applications(filters).values("pk"),
    )
    if filters.assessor is not None:
        qs = qs.filter(review__assessor=filters.assessor)
    return qs


def judgements_for_listing(filters: Filters) -> QuerySet[Judgement]:
    return (
        judgements(filters)
        .select_related(
            "criterion",
            "rubric_level",
            "review__assessor",
            "review__round__application__learner",
            "review__round__application__badge_version__badge",
        )
        .order_by(
            "review__round__application_id",
            "review__round__number",
            "review_id",
            "criterion__order",
            "criterion_id",
        )
    )


def conflicts(filters: Filters) -> QuerySet[ConflictOfInterest]:
    """Declarations by the scope's assessors (eligible for the constellation, or reviewers
    of an application in scope), declared within the period."""
    qs = ConflictOfInterest.objects.select_related("assessor", "learner", "cohort").filter(
        filters.period_q("declared_at")
    )
    if filters.assessor is not None:
        qs = qs.filter(assessor=filters.assessor)
    # A badge alone narrows the scope to its constellation as much as naming it does.
    constellation = filters.constellation or (
        filters.badge.constellation if filters.badge else None
    )
    if constellation is not None or filters.allowed_constellations is not None:
        eligible = Q(assessor__in=reviews(filters).values("assessor"))
        if constellation is not None:
            eligible |= Q(assessor__assessed_constellations=constellation)
        qs = qs.filter(eligible).distinct()
    if filters.cohort is not None:
        qs = qs.filter(Q(cohort=filters.cohort) | Q(learner__cohorts=filters.cohort)).distinct()
    return qs.order_by("-declared_at", "-id")


def credentials(filters: Filters) -> QuerySet[Credential]:
    """Credentials of the badges in scope (and of the cohort's members). With an assessor
    or state filter, only those of the applications in scope (whenever they started: the
    period of a credential is the date of the event counted)."""
    qs = Credential.objects.filter(filters.badge_version_q("badge_version__"))
    if filters.cohort is not None:
        qs = qs.filter(recipient__cohorts=filters.cohort)
    if filters.assessor is not None or filters.state:
        unbounded = replace(filters, date_from=None, date_to=None)
        qs = qs.filter(application__in=applications(unbounded).values("pk"))
    return qs


def credentials_for_listing(filters: Filters) -> QuerySet[Credential]:
    return (
        credentials(filters)
        .filter(filters.period_q("issued_at"))
        .select_related("recipient", "badge_version__badge__constellation")
        .defer("ob3_credential", "ob3_jwt")
        .order_by("-issued_at", "-id")
    )


def badge_versions(filters: Filters) -> QuerySet[BadgeVersion]:
    return (
        BadgeVersion.objects.filter(filters.badge_version_q(""))
        .select_related("badge__constellation")
        .annotate(criteria_count=Count("criteria", distinct=True))
        .order_by("badge__constellation__name", "badge__order", "badge__slug", "-version")
    )


def constellations(filters: Filters) -> QuerySet[Constellation]:
    qs = Constellation.objects.all()
    if filters.allowed_constellations is not None:
        qs = qs.filter(pk__in=filters.allowed_constellations)
    if filters.constellation is not None:
        qs = qs.filter(pk=filters.constellation.pk)
    return qs.annotate(
        badge_count=Count("badges", distinct=True),
        last_version=Max("badges__versions__updated_at"),
    ).order_by("name")


def audit_events(
    *, action: str = "", object_type: str = "", object_id: str = "", filters: Filters
) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.select_related("actor").filter(filters.period_q("created_at"))
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    return qs.order_by("-id")


def audit_event_choices() -> tuple[list[str], list[str]]:
    actions = list(
        AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct()
    )
    types = list(
        AuditEvent.objects.order_by("object_type").values_list("object_type", flat=True).distinct()
    )
    return actions, types


def assessor_choices(allowed: tuple[int, ...] | None = None) -> QuerySet[User]:
    """People who hold the assessor role or ever submitted a review; within `allowed`
    constellations (coordinators), those eligible for them or who reviewed there."""
    if allowed is None:
        people = Q(groups__name=Role.ASSESSOR) | Q(pk__in=Review.objects.values("assessor"))
    else:
        people = Q(assessed_constellations__in=allowed) | Q(
            pk__in=Review.objects.filter(
                round__application__badge_version__badge__constellation__in=allowed
            ).values("assessor")
        )
    return User.objects.filter(people).distinct().order_by("display_name", "email")
