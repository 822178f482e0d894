"""The report as one dictionary: a fixed number of flat reads, handed to the sections."""

from datetime import datetime

from django.db.models import Min
from django.utils import timezone

from applications.models import ASSESSED_STATES
from frameworks.models import BadgeVersion
from review.models import Assignment, Judgement, Review

from ..selectors import Filters, applications, conflicts, credentials
from .consistency import consistency
from .integrity import integrity
from .outcomes import outcomes
from .timeliness import timeliness
from .volumes import volumes
from .workload import workload


def scope_of(filters: Filters) -> dict:
    return {
        "constellation": filters.constellation.slug if filters.constellation else "",
        "constellation_name": str(filters.constellation) if filters.constellation else "",
        "badge": filters.badge.slug if filters.badge else "",
        "assessor": filters.assessor.display_name if filters.assessor else "",
        "cohort": filters.cohort.name if filters.cohort else "",
        "state": filters.state,
        "from": filters.date_from.isoformat() if filters.date_from else "",
        "to": filters.date_to.isoformat() if filters.date_to else "",
    }


def build_report(
    filters: Filters, *, now: datetime | None = None, verify_chain: bool = True
) -> dict:
    now = now or timezone.now()
    app_qs = applications(filters)
    app_ids = app_qs.values("pk")
    first_review = {
        row["round__application"]: row["first"]
        for row in Review.objects.filter(
            is_submitted=True, is_moderation=False, round__application__in=app_ids
        )
        .order_by()
        .values("round__application")
        .annotate(first=Min("submitted_at"))
    }
    app_rows = list(
        app_qs.order_by("pk").values(
            "pk",
            "state",
            "round_count",
            "first_submitted_at",
            "decided_at",
            "due_at",
            "period_date",
            "badge_version__badge__slug",
            "badge_version__title",
        )
    )
    review_rows = list(
        Review.objects.filter(is_submitted=True, round__application__in=app_ids)
        .order_by("submitted_at", "id")
        .values(
            "pk",
            "round_id",
            "round__submitted_at",
            "round__application_id",
            "round__application__state",
            "assessor_id",
            "assessor__display_name",
            "recommendation",
            "is_moderation",
            "submitted_at",
        )
    )
    judgement_rows = list(
        Judgement.objects.filter(review__is_submitted=True, review__round__application__in=app_ids)
        .order_by("criterion__badge_version__badge__order", "criterion__order", "criterion_id")
        .values(
            "review_id",
            "criterion_id",
            "criterion__code",
            "criterion__title",
            "criterion__badge_version__badge__slug",
            "outcome",
            "rubric_level__is_passing",
        )
    )
    assignment_rows = list(
        Assignment.objects.filter(
            application__in=app_ids,
            is_active=True,
            application__state__in=ASSESSED_STATES,
        ).values("application_id", "assessor_id", "assessor__display_name")
    )
    conflict_rows = list(conflicts(filters).values("pk", "assessor_id", "assessor__display_name"))
    credential_qs = credentials(filters)
    issued_rows = list(
        credential_qs.filter(filters.period_q("issued_at")).values(
            "badge_version__badge__slug", "issued_at", "revoked_at", "expires_at"
        )
    )
    revoked_rows = list(
        credential_qs.filter(filters.period_q("revoked_at"), revoked_at__isnull=False).values(
            "badge_version__badge__slug"
        )
    )
    expired_rows = list(
        credential_qs.filter(
            filters.period_q("expires_at"), revoked_at__isnull=True, expires_at__lt=now
        ).values("badge_version__badge__slug")
    )
    version_qs = BadgeVersion.objects.filter(filters.badge_version_q("")).select_related("badge")
    versions = list(version_qs.order_by("badge__order", "badge__slug", "-version"))

    badge_titles: dict[str, str] = {}
    for version in versions:  # newest version first: its title names the badge
        badge_titles.setdefault(version.badge.slug, version.title)
    for row in app_rows:
        badge_titles.setdefault(row["badge_version__badge__slug"], row["badge_version__title"])

    return {
        "scope": scope_of(filters),
        "generated_at": now.isoformat(),
        "volumes": volumes(app_rows, issued_rows, revoked_rows, expired_rows, badge_titles, now),
        "outcomes": outcomes(app_rows),
        "timeliness": timeliness(
            app_rows, review_rows, assignment_rows, first_review, badge_titles, now
        ),
        "consistency": consistency(review_rows, judgement_rows),
        "workload": workload(review_rows, assignment_rows, conflict_rows),
        "integrity": integrity(versions, verify_chain),
    }
