"""Outcomes: approvals and rejections, rounds until a decision."""

from applications.models import ApplicationState

from .. import metrics
from .common import percent


def outcomes(app_rows) -> dict:
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
        "approval_rate": percent(len(approved), len(decided)),
        "rejection_rate": percent(len(decided) - len(approved), len(decided)),
        "rounds_until_decision": {
            "mean": rounds_summary["mean"],
            "median": rounds_summary["median"],
            "max": rounds_summary["max"],
        },
        "approved_at_first_submission": len(first_time),
        "share_approved_at_first_submission": percent(len(first_time), len(decided)),
    }
