"""Timeliness: days to a first review and to a decision, overdue reviews, per assessor
and per badge."""

from collections import Counter, defaultdict
from typing import Any

from applications.models import ApplicationState

from .. import metrics
from .common import OVERDUE_STATES


def timeliness(app_rows, review_rows, assignment_rows, first_review, badge_titles, now) -> dict:
    to_first_review: list[float] = []
    to_decision: list[float] = []
    per_badge: dict[str, dict[str, Any]] = defaultdict(
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
