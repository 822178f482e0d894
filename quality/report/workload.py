"""Workload: assessments, moderations, active assignments and conflict declarations per
assessor."""

from collections import Counter


def workload(review_rows, assignment_rows, conflict_rows) -> dict:
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
