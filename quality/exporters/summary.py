"""The report summary: every figure of the report as one row, in CSV (and as the first
sheet of the XLSX workbook).

Each row reads as a person says it: `section`, `figure` and `item` are labels in the
language of whoever exported ("Volumes", "Applications by state", "Changes requested"),
`value` is the number (or a label: a state, a status, an EU element), and `code` is the
figure's stable path in the report's JSON (`volumes.applications_by_state.changes_requested`)
for scripts and for comparing reports across languages.
"""

from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import labels
from .cells import cell
from .csv_export import csv_lines

SECTION_LABELS = {
    "scope": gettext_lazy("Scope"),
    "generated_at": gettext_lazy("Generated"),
    "volumes": gettext_lazy("Volumes"),
    "outcomes": gettext_lazy("Outcomes"),
    "timeliness": gettext_lazy("Timeliness"),
    "consistency": gettext_lazy("Consistency"),
    "workload": gettext_lazy("Workload"),
    "integrity": gettext_lazy("Integrity"),
}

# The label of every key of the report (the same key means the same thing wherever it is).
KEY_LABELS = {
    # scope
    "constellation": gettext_lazy("Slug"),
    "constellation_name": gettext_lazy("Constellation"),
    "badge": gettext_lazy("Badge"),
    "badge_title": gettext_lazy("Badge"),
    "assessor": gettext_lazy("Assessor"),
    "cohort": gettext_lazy("Cohort"),
    "state": gettext_lazy("State"),
    "from": gettext_lazy("From"),
    "to": gettext_lazy("To"),
    # volumes
    "applications_total": gettext_lazy("Applications"),
    "applications_by_state": gettext_lazy("Applications by state"),
    "by_state": gettext_lazy("Applications by state"),
    "credentials": gettext_lazy("Credentials"),
    "issued": gettext_lazy("Credentials issued"),
    "revoked": gettext_lazy("Credentials revoked"),
    "expired": gettext_lazy("Credentials expired"),
    "credentials_issued_by_status": gettext_lazy("Credentials issued, by status today"),
    "per_badge": gettext_lazy("Per badge"),
    "title": gettext_lazy("Title"),
    "applications": gettext_lazy("Applications"),
    "credentials_issued": gettext_lazy("Credentials issued"),
    "credentials_revoked": gettext_lazy("Credentials revoked"),
    "credentials_expired": gettext_lazy("Credentials expired"),
    "per_month": gettext_lazy("Per month"),
    "month": gettext_lazy("Month"),
    # outcomes
    "decided": gettext_lazy("Decided"),
    "approved": gettext_lazy("Approved"),
    "rejected": gettext_lazy("Rejected"),
    "approval_rate": gettext_lazy("Approval rate (%)"),
    "rejection_rate": gettext_lazy("Rejection rate (%)"),
    "rounds_until_decision": gettext_lazy("Rounds until decision"),
    "mean": gettext_lazy("mean"),
    "median": gettext_lazy("median"),
    "max": gettext_lazy("maximum"),
    "p90": gettext_lazy("90th percentile"),
    "count": gettext_lazy("count"),
    "approved_at_first_submission": gettext_lazy("Approved at first submission"),
    "share_approved_at_first_submission": gettext_lazy("Share approved at first submission (%)"),
    # timeliness
    "time_to_first_review_days": gettext_lazy("Days to first review"),
    "time_to_decision_days": gettext_lazy("Days to decision"),
    "overdue_reviews": gettext_lazy("Overdue reviews"),
    "overdue_application_ids": gettext_lazy("Overdue applications (ids)"),
    "per_assessor": gettext_lazy("Per assessor"),
    "assessor_id": gettext_lazy("Assessor (id)"),
    "reviews": gettext_lazy("Reviews"),
    "review_days_median": gettext_lazy("Days to review (median)"),
    "review_days_p90": gettext_lazy("Days to review (90th percentile)"),
    "overdue": gettext_lazy("Overdue"),
    "first_review_days_median": gettext_lazy("Days to first review (median)"),
    "first_review_days_p90": gettext_lazy("Days to first review (90th percentile)"),
    "decision_days_median": gettext_lazy("Days to decision (median)"),
    "decision_days_p90": gettext_lazy("Days to decision (90th percentile)"),
    # consistency
    "double_assessed": gettext_lazy("Double-assessed rounds"),
    "overall": gettext_lazy("Agreement on the recommendation"),
    "pairs": gettext_lazy("Pairs"),
    "percent_agreement": gettext_lazy("Agreement (%)"),
    "kappa": gettext_lazy("Cohen's kappa"),
    "per_criterion": gettext_lazy("Agreement between assessors per criterion"),
    "criterion_id": gettext_lazy("Criterion (id)"),
    "code": gettext_lazy("Code"),
    "moderation": gettext_lazy("Moderations"),
    "by_recommendation": gettext_lazy("Moderators' decisions"),
    "final_states": gettext_lazy("State now"),
    "judgement_distribution": gettext_lazy("Judgements per criterion"),
    "met": gettext_lazy("Met"),
    "not_yet": gettext_lazy("Not yet met"),
    "share_met": gettext_lazy("Share met (%)"),
    "never_failed": gettext_lazy("nobody fails"),
    "always_failed": gettext_lazy("everybody fails"),
    # workload
    "assessments_total": gettext_lazy("Assessments"),
    "conflict_declarations": gettext_lazy("Conflict declarations"),
    "assessments": gettext_lazy("Assessments"),
    "moderations": gettext_lazy("Moderations"),
    "active_assignments": gettext_lazy("Open assignments"),
    # integrity
    "audit_chain": gettext_lazy("Audit chain"),
    "ok": gettext_lazy("intact"),
    "checked": gettext_lazy("events verified"),
    "first_broken_id": gettext_lazy("first broken event"),
    "problem": gettext_lazy("problem"),
    "anchored": gettext_lazy("events anchored by signed checkpoints"),
    "eu_elements": gettext_lazy("EU micro-credential elements per badge"),
    "version": gettext_lazy("Version"),
    "status": gettext_lazy("Status"),
    "present": gettext_lazy("Present"),
    "missing": gettext_lazy("Missing"),
    "optional_missing": gettext_lazy("Missing, where applicable"),
    "not_checkable": gettext_lazy("Not checkable"),
    "badges_missing_elements": gettext_lazy("Badges missing elements"),
}

# Dictionaries whose keys are codes of their own (states, recommendations, statuses).
_CODED_KEYS = {
    "applications_by_state": labels.state_label,
    "by_state": labels.state_label,
    "final_states": labels.state_label,
    "by_recommendation": labels.recommendation_label,
    "credentials_issued_by_status": labels.credential_status_label,
}
# Lists whose items are codes (EU elements).
_CODED_ITEMS = {"present", "missing", "optional_missing", "not_checkable"}

# What a filter that does not narrow reads as, in the scope rows.
_SCOPE_BLANK = {"from": "—", "to": "—", "constellation_name": gettext_lazy("All constellations")}

SUMMARY_HEADER_CODES = ["section", "figure", "item", "value", "code"]


def summary_header() -> list[str]:
    """The header in the reader's language."""
    return [_("Section"), _("Figure"), _("Item"), _("Value"), _("Code")]


def summary_rows(report: dict) -> Iterator[list]:
    """Every figure of the report as (section, figure, item, value, code) rows."""
    for section, figures in report.items():
        section_label = str(SECTION_LABELS.get(section, section))
        if section == "scope":
            # The scope and period as sentences (no JSON counterpart: no code), then each
            # filter, "All" where it does not narrow.
            yield _row(section_label, [_("Scope")], labels.scope_text(figures), "")
            period = labels.period_text(figures.get("from"), figures.get("to"))
            yield _row(section_label, [_("Period")], period, "")
            figures = {
                key: value or _SCOPE_BLANK.get(key, _("All")) for key, value in figures.items()
            }
        if isinstance(figures, dict):
            yield from _flatten(section, figures, section_label, [])
        else:
            yield _row(section_label, [], _value(section, figures), section)


def _row(section_label: str, path: list[str], value, code: str) -> list:
    if len(path) > 1:
        figure, item = " / ".join(path[:-1]), path[-1]
    else:
        figure, item = (path[0] if path else ""), ""
    return [cell(section_label), cell(figure), cell(item), cell(value), cell(code)]


def _key_label(key: str, parent: str) -> str:
    if parent in _CODED_KEYS:
        return _CODED_KEYS[parent](key)
    return str(KEY_LABELS.get(key, key))


def _value(key: str, value):
    """A value as a person reads it: codes become their labels, booleans yes/no."""
    if isinstance(value, bool):
        return labels.yes_no(value)
    if key == "state" and value:
        return labels.state_label(value)
    if key == "status" and value:
        return labels.badge_status_label(value)
    return value


def _item_label(item: dict, index: int) -> str:
    """What one entry of a list is about: a badge, an assessor, a month, a criterion."""
    if "code" in item or "criterion_id" in item:
        return f"{item.get('code') or ''} {item.get('title') or ''}".strip()
    if "version" in item:
        return f"{item.get('title') or item.get('badge')} (v{item['version']})"
    if "month" in item:
        return labels.month_label(item["month"])
    return str(item.get("title") or item.get("assessor") or item.get("badge") or index + 1)


def _item_code(item: dict, index: int) -> str:
    if "code" in item or "criterion_id" in item:
        return f"{item.get('badge')}/{item.get('code') or item.get('criterion_id')}"
    return str(item.get("badge") or item.get("assessor_id") or item.get("month") or index)


def _flatten(code: str, value, section_label: str, path: list[str], key: str = "") -> Iterator:
    if isinstance(value, dict):
        for inner_key, inner in value.items():
            inner_path = [*path, _key_label(str(inner_key), key)]
            yield from _flatten(f"{code}.{inner_key}", inner, section_label, inner_path, inner_key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield from _flatten(
                    f"{code}[{_item_code(item, index)}]",
                    item,
                    section_label,
                    [*path, _item_label(item, index)],
                )
            elif key in _CODED_ITEMS:
                yield _row(
                    section_label,
                    [*path, str(index + 1)],
                    str(labels.EU_ELEMENT_LABELS.get(item, item)),
                    f"{code}[{index}]",
                )
            else:
                yield _row(section_label, [*path, str(index + 1)], item, f"{code}[{index}]")
    else:
        yield _row(section_label, path, _value(key, value), code)


def write_report_csv(path, report: dict) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        for line in csv_lines(summary_header(), summary_rows(report)):
            handle.write(line)
