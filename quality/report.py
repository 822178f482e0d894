"""The quality report: one dictionary, the single source for the page, the JSON, the CSV and
XLSX summaries and the PDF.

`build_report(filters)` reads a handful of flat rows (a fixed number of queries, whatever
the volume) and hands them to the pure functions in `quality.metrics`. Every value is
JSON-safe: numbers, strings, lists and dicts; times are ISO 8601, durations are days,
rates are percentages (0-100, one decimal).
"""

from collections import Counter, defaultdict
from datetime import UTC, datetime

from django.apps import apps as django_apps
from django.db.models import Min
from django.utils import timezone

from applications.models import ASSESSED_STATES, ApplicationState
from core.audit import verify_audit_chain
from frameworks.models import BadgeStatus, BadgeVersion
from review.models import Assignment, Judgement, JudgementOutcome, Review

from . import metrics
from .selectors import Filters, applications, conflicts, credentials

STATES = [state.value for state in ApplicationState]
OVERDUE_STATES = (ApplicationState.SUBMITTED, ApplicationState.IN_REVIEW)

# The EU micro-credential elements (Council Recommendation 2022/C 243/02, Annex I) and
# where each is found. "optional": required only where applicable; "per_credential":
# always present on an issued credential (recipient and issue date are mandatory fields).
EU_ELEMENTS = [
    ("learner_identification", "per_credential"),
    ("title", "required"),
    ("country_awarding_body", "issuer"),
    ("date_of_issuing", "per_credential"),
    ("learning_outcomes", "required"),
    ("workload", "required"),
    ("eqf_level", "optional"),
    ("assessment_type", "required"),
    ("participation_form", "required"),
    ("quality_assurance", "required"),
]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _month(value: datetime | None) -> str | None:
    return timezone.localtime(value).strftime("%Y-%m") if value else None


def effective_outcome(outcome: str, rubric_passing: bool | None) -> str:
    """A judgement's outcome: the explicit met/not yet, else its rubric level's
    `is_passing` (met / not yet); "" when neither was given."""
    if outcome:
        return outcome
    if rubric_passing is None:
        return ""
    return JudgementOutcome.MET if rubric_passing else JudgementOutcome.NOT_YET


def issuer_check():
    """For the awarding body: (checkable, default issuer exists, constellation ids named by an
    issuer). An issuer counts when it has a name and a country (EU elements 3 and 4)."""
    try:
        issuer_model = django_apps.get_model("certificates", "Issuer")
    except LookupError:
        return False, False, frozenset()
    complete = issuer_model.objects.exclude(name="").exclude(country_code="")
    has_default = complete.filter(is_default=True).exists()
    named = frozenset(
        complete.filter(constellations__isnull=False).values_list("constellations", flat=True)
    )
    return True, has_default, named


def eu_elements_of(version: BadgeVersion, *, issuer: tuple) -> dict:
    present, missing, optional_missing, not_checkable = [], [], [], []
    values = {
        "title": bool(version.title.strip()),
        "learning_outcomes": bool(version.learning_outcome_list),
        "workload": version.ects is not None or version.workload_hours is not None,
        "eqf_level": version.eqf_level is not None,
        "assessment_type": bool(version.assessment_type),
        "participation_form": bool(version.participation_form),
        "quality_assurance": bool(version.quality_assurance.strip()),
    }
    for element, kind in EU_ELEMENTS:
        if kind == "per_credential":
            present.append(element)
        elif kind == "issuer":
            checkable, has_default, named = issuer
            exists = has_default or version.badge.constellation_id in named
            if not checkable:
                not_checkable.append(element)
            elif exists:
                present.append(element)
            else:
                missing.append(element)
        elif values[element]:
            present.append(element)
        elif kind == "optional":
            optional_missing.append(element)
        else:
            missing.append(element)
    return {
        "badge": version.badge.slug,
        "version": version.version,
        "title": version.title,
        "status": version.status,
        "present": present,
        "missing": missing,
        "optional_missing": optional_missing,
        "not_checkable": not_checkable,
    }


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
            "badge_version__badge__slug", "issued_at"
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
        "volumes": _volumes(app_rows, issued_rows, revoked_rows, expired_rows, badge_titles),
        "outcomes": _outcomes(app_rows),
        "timeliness": _timeliness(
            app_rows, review_rows, assignment_rows, first_review, badge_titles, now
        ),
        "consistency": _consistency(review_rows, judgement_rows),
        "workload": _workload(review_rows, assignment_rows, conflict_rows),
        "integrity": _integrity(versions, verify_chain),
    }


def _volumes(app_rows, issued_rows, revoked_rows, expired_rows, badge_titles) -> dict:
    per_badge: dict[str, dict] = {}

    def badge_entry(slug):
        if slug not in per_badge:
            per_badge[slug] = {
                "badge": slug,
                "title": badge_titles.get(slug, slug),
                "applications": 0,
                "by_state": dict.fromkeys(STATES, 0),
                "credentials_issued": 0,
                "credentials_revoked": 0,
                "credentials_expired": 0,
            }
        return per_badge[slug]

    for row in app_rows:
        entry = badge_entry(row["badge_version__badge__slug"])
        entry["applications"] += 1
        entry["by_state"][row["state"]] += 1
    for rows, key in (
        (issued_rows, "credentials_issued"),
        (revoked_rows, "credentials_revoked"),
        (expired_rows, "credentials_expired"),
    ):
        for row in rows:
            badge_entry(row["badge_version__badge__slug"])[key] += 1

    months: dict[str, dict] = defaultdict(lambda: {"applications": 0, "credentials_issued": 0})
    for row in app_rows:
        months[_month(row["period_date"])]["applications"] += 1
    for row in issued_rows:
        months[_month(row["issued_at"])]["credentials_issued"] += 1

    return {
        "applications_total": len(app_rows),
        "applications_by_state": metrics.count_by((r["state"] for r in app_rows), STATES),
        "credentials": {
            "issued": len(issued_rows),
            "revoked": len(revoked_rows),
            "expired": len(expired_rows),
        },
        "per_badge": sorted(per_badge.values(), key=lambda e: e["badge"]),
        "per_month": [{"month": month, **months[month]} for month in sorted(months)],
    }


def _outcomes(app_rows) -> dict:
    decided = [
        r for r in app_rows if r["state"] in (ApplicationState.APPROVED, ApplicationState.REJECTED)
    ]
    approved = [r for r in decided if r["state"] == ApplicationState.APPROVED]
    first_time = [r for r in approved if r["round_count"] == 1]
    rounds = [r["round_count"] for r in decided]
    rounds_summary = metrics.summary(rounds)
    return {
        "decided": len(decided),
        "approved": len(approved),
        "rejected": len(decided) - len(approved),
        "approval_rate": _percent(len(approved), len(decided)),
        "rejection_rate": _percent(len(decided) - len(approved), len(decided)),
        "rounds_until_decision": {
            "mean": rounds_summary["mean"],
            "median": rounds_summary["median"],
            "max": rounds_summary["max"],
        },
        "approved_at_first_submission": len(first_time),
        "share_approved_at_first_submission": _percent(len(first_time), len(decided)),
    }


def _percent(part: int, whole: int) -> float | None:
    share = metrics.ratio(part, whole)
    return None if share is None else round(share * 100, 1)


def _timeliness(app_rows, review_rows, assignment_rows, first_review, badge_titles, now) -> dict:
    to_first_review: list[float] = []
    to_decision: list[float] = []
    per_badge: dict[str, dict[str, list]] = defaultdict(
        lambda: {"first_review": [], "decision": [], "overdue": 0}
    )
    overdue_ids = []
    for row in app_rows:
        slug = row["badge_version__badge__slug"]
        days = metrics.days_between(row["first_submitted_at"], first_review.get(row["pk"]))
        if days is not None:
            to_first_review.append(days)
            per_badge[slug]["first_review"].append(days)
        if row["state"] in (ApplicationState.APPROVED, ApplicationState.REJECTED):
            days = metrics.days_between(row["first_submitted_at"], row["decided_at"])
            if days is not None:
                to_decision.append(days)
                per_badge[slug]["decision"].append(days)
        if row["state"] in OVERDUE_STATES and row["due_at"] is not None and row["due_at"] < now:
            overdue_ids.append(row["pk"])
            per_badge[slug]["overdue"] += 1

    turnaround: dict[int, list[float]] = defaultdict(list)
    names: dict[int, str] = {}
    for row in review_rows:
        if row["is_moderation"]:
            continue
        names[row["assessor_id"]] = row["assessor__display_name"]
        days = metrics.days_between(row["round__submitted_at"], row["submitted_at"])
        if days is not None:
            turnaround[row["assessor_id"]].append(days)
    overdue_set = set(overdue_ids)
    overdue_by_assessor: Counter = Counter()
    for row in assignment_rows:
        names.setdefault(row["assessor_id"], row["assessor__display_name"])
        if row["application_id"] in overdue_set:
            overdue_by_assessor[row["assessor_id"]] += 1

    first = metrics.summary(to_first_review)
    decision = metrics.summary(to_decision)
    return {
        "time_to_first_review_days": {
            "median": first["median"],
            "p90": first["p90"],
            "count": first["count"],
        },
        "time_to_decision_days": {
            "median": decision["median"],
            "p90": decision["p90"],
            "count": decision["count"],
        },
        "overdue_reviews": len(overdue_ids),
        "overdue_application_ids": overdue_ids,
        "per_assessor": sorted(
            (
                {
                    "assessor_id": assessor_id,
                    "assessor": names[assessor_id],
                    "reviews": len(turnaround.get(assessor_id, [])),
                    "review_days_median": metrics.summary(turnaround.get(assessor_id, []))[
                        "median"
                    ],
                    "review_days_p90": metrics.summary(turnaround.get(assessor_id, []))["p90"],
                    "overdue": overdue_by_assessor.get(assessor_id, 0),
                }
                for assessor_id in names
            ),
            key=lambda e: (e["assessor"], e["assessor_id"]),
        ),
        "per_badge": [
            {
                "badge": slug,
                "title": badge_titles.get(slug, slug),
                "first_review_days_median": metrics.summary(values["first_review"])["median"],
                "first_review_days_p90": metrics.summary(values["first_review"])["p90"],
                "decision_days_median": metrics.summary(values["decision"])["median"],
                "decision_days_p90": metrics.summary(values["decision"])["p90"],
                "overdue": values["overdue"],
            }
            for slug, values in sorted(per_badge.items())
        ],
    }


def double_assessed_pairs(review_rows) -> list[tuple[dict, dict]]:
    """For every round with two or more submitted, non-moderation reviews: its first two
    reviews (by submission time, then id) as (rater A, rater B)."""
    by_round: dict[int, list[dict]] = defaultdict(list)
    for row in review_rows:
        if not row["is_moderation"]:
            by_round[row["round_id"]].append(row)
    pairs = []
    for round_id in sorted(by_round):
        rows = sorted(
            by_round[round_id],
            key=lambda r: (r["submitted_at"] or datetime.max.replace(tzinfo=UTC), r["pk"]),
        )
        if len(rows) >= 2:
            pairs.append((rows[0], rows[1]))
    return pairs


def _consistency(review_rows, judgement_rows) -> dict:
    outcomes: dict[tuple[int, int], str] = {}
    criteria: dict[int, dict] = {}
    distribution: dict[int, Counter] = defaultdict(Counter)
    moderation_ids = {r["pk"] for r in review_rows if r["is_moderation"]}
    for row in judgement_rows:
        outcome = effective_outcome(row["outcome"], row["rubric_level__is_passing"])
        criteria.setdefault(
            row["criterion_id"],
            {
                "criterion_id": row["criterion_id"],
                "badge": row["criterion__badge_version__badge__slug"],
                "code": row["criterion__code"],
                "title": row["criterion__title"],
            },
        )
        if not outcome:
            continue
        outcomes[(row["review_id"], row["criterion_id"])] = outcome
        if row["review_id"] not in moderation_ids:
            distribution[row["criterion_id"]][outcome] += 1

    pairs = double_assessed_pairs(review_rows)
    criterion_pairs: dict[int, list[tuple[str, str]]] = defaultdict(list)
    recommendation_pairs = []
    for first, second in pairs:
        if first["recommendation"] and second["recommendation"]:
            recommendation_pairs.append((first["recommendation"], second["recommendation"]))
        for criterion_id in criteria:
            a = outcomes.get((first["pk"], criterion_id))
            b = outcomes.get((second["pk"], criterion_id))
            if a and b:
                criterion_pairs[criterion_id].append((a, b))

    moderation_rows = [r for r in review_rows if r["is_moderation"]]
    return {
        "double_assessed": len(pairs),
        "overall": metrics.agreement(recommendation_pairs),
        "per_criterion": [
            {**criteria[cid], **metrics.agreement(criterion_pairs[cid])}
            for cid in criteria
            if criterion_pairs.get(cid)
        ],
        "moderation": {
            "count": len(moderation_rows),
            "by_recommendation": dict(
                sorted(Counter(r["recommendation"] or "none" for r in moderation_rows).items())
            ),
            "final_states": dict(
                sorted(Counter(r["round__application__state"] for r in moderation_rows).items())
            ),
        },
        "judgement_distribution": [
            {
                **criteria[cid],
                **metrics.judgement_distribution(
                    distribution[cid][JudgementOutcome.MET],
                    distribution[cid][JudgementOutcome.NOT_YET],
                ),
            }
            for cid in criteria
        ],
    }


def _workload(review_rows, assignment_rows, conflict_rows) -> dict:
    names: dict[int, str] = {}
    assessments: Counter = Counter()
    moderations: Counter = Counter()
    active: Counter = Counter()
    declared: Counter = Counter()
    for row in review_rows:
        names[row["assessor_id"]] = row["assessor__display_name"]
        (moderations if row["is_moderation"] else assessments)[row["assessor_id"]] += 1
    for row in assignment_rows:
        names.setdefault(row["assessor_id"], row["assessor__display_name"])
        active[row["assessor_id"]] += 1
    for row in conflict_rows:
        names.setdefault(row["assessor_id"], row["assessor__display_name"])
        declared[row["assessor_id"]] += 1
    return {
        "assessments_total": sum(assessments.values()),
        "conflict_declarations": len(conflict_rows),
        "per_assessor": sorted(
            (
                {
                    "assessor_id": assessor_id,
                    "assessor": name,
                    "assessments": assessments[assessor_id],
                    "moderations": moderations[assessor_id],
                    "active_assignments": active[assessor_id],
                    "conflict_declarations": declared[assessor_id],
                }
                for assessor_id, name in names.items()
            ),
            key=lambda e: (e["assessor"], e["assessor_id"]),
        ),
    }


def _integrity(versions, verify_chain: bool) -> dict:
    if verify_chain:
        chain = verify_audit_chain()
        chain_result = {
            "ok": chain.ok,
            "checked": chain.checked,
            "first_broken_id": chain.first_broken_id,
            "problem": chain.problem,
        }
    else:
        chain_result = None
    # One version per badge: the newest published (or retired) one, else the newest draft.
    chosen: dict[int, BadgeVersion] = {}
    for version in versions:
        current = chosen.get(version.badge_id)
        if current is None or (
            current.status == BadgeStatus.DRAFT and version.status != BadgeStatus.DRAFT
        ):
            chosen[version.badge_id] = version
    issuer = issuer_check()
    elements = [eu_elements_of(v, issuer=issuer) for v in chosen.values()]
    return {
        "audit_chain": chain_result,
        "eu_elements": elements,
        "badges_missing_elements": sum(1 for e in elements if e["missing"]),
    }
