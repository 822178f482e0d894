"""Volumes: applications by state, badge and month; credentials issued, revoked, expired.

`credentials.issued`, `.revoked` and `.expired` count events in the period (a credential
issued in January and revoked in March is in both counts of a January-March period).
`credentials_issued_by_status` counts each credential issued in the period once, by its
status now (valid, revoked, expired): its three numbers add up to `credentials.issued`. Charts that
stack credentials use the latter."""

from collections import defaultdict

from .. import metrics
from .common import STATES, month_of

CREDENTIAL_STATUSES = ("valid", "revoked", "expired")


def credential_status_now(row, now) -> str:
    """valid, revoked or expired: what a credential row is at `now` (revocation first)."""
    if row["revoked_at"] is not None:
        return "revoked"
    if row["expires_at"] is not None and row["expires_at"] < now:
        return "expired"
    return "valid"


def volumes(app_rows, issued_rows, revoked_rows, expired_rows, badge_titles, now) -> dict:
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
                "credentials_issued_by_status": dict.fromkeys(CREDENTIAL_STATUSES, 0),
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
    issued_by_status = dict.fromkeys(CREDENTIAL_STATUSES, 0)
    for row in issued_rows:
        status = credential_status_now(row, now)
        badge_entry(row["badge_version__badge__slug"])["credentials_issued_by_status"][status] += 1
        issued_by_status[status] += 1

    months: dict[str, dict] = defaultdict(lambda: {"applications": 0, "credentials_issued": 0})
    for row in app_rows:
        months[month_of(row["period_date"])]["applications"] += 1
    for row in issued_rows:
        months[month_of(row["issued_at"])]["credentials_issued"] += 1

    return {
        "applications_total": len(app_rows),
        "applications_by_state": metrics.count_by((r["state"] for r in app_rows), STATES),
        "credentials": {
            "issued": len(issued_rows),
            "revoked": len(revoked_rows),
            "expired": len(expired_rows),
        },
        "credentials_issued_by_status": issued_by_status,
        "per_badge": sorted(per_badge.values(), key=lambda e: e["badge"]),
        "per_month": [{"month": month, **months[month]} for month in sorted(months)],
    }
