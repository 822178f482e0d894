"""Consistency: agreement between two assessors of the same round, moderation, the
distribution of judgements per criterion."""

from collections import Counter, defaultdict
from datetime import UTC, datetime

from review.models import JudgementOutcome

from .. import metrics
from .common import effective_outcome


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


def consistency(review_rows, judgement_rows) -> dict:
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
