"""What the report's codes mean to a reader: scope and period as sentences, the labels of
states, recommendations, judgements and statuses, and the names of exported files.

The report dictionary (and the JSON) keeps the codes (`request_changes`, `2026-03-01`);
everything a person reads (page, PDF, CSV and XLSX values) goes through these functions,
in the language active when it is rendered.
"""

from datetime import date

from django.apps import apps as django_apps
from django.utils import formats
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import ApplicationState
from frameworks.models import BadgeStatus, BadgeVersion
from review.models import JudgementOutcome, Recommendation

# The EU micro-credential elements (quality.report.integrity.EU_ELEMENTS) by name.
EU_ELEMENT_LABELS = {
    "learner_identification": gettext_lazy("identification of the learner"),
    "title": gettext_lazy("title"),
    "country_awarding_body": gettext_lazy("awarding body and its country"),
    "date_of_issuing": gettext_lazy("date of issuing"),
    "learning_outcomes": gettext_lazy("learning outcomes"),
    "workload": gettext_lazy("notional workload (ECTS or hours)"),
    "eqf_level": gettext_lazy("EQF level"),
    "assessment_type": gettext_lazy("type of assessment"),
    "participation_form": gettext_lazy("form of participation"),
    "quality_assurance": gettext_lazy("type of quality assurance"),
}


def _choice(choices, value: str) -> str:
    return str(dict(choices).get(value, value))


def state_label(value: str) -> str:
    """An application state, e.g. "Changes requested"."""
    return _choice(ApplicationState.choices, value)


def recommendation_label(value: str) -> str:
    """An assessor's recommendation, e.g. "Request changes"; "No recommendation" for none."""
    if not value or value == "none":
        return _("No recommendation")
    return _choice(Recommendation.choices, value)


def outcome_label(value: str) -> str:
    """A judgement's outcome: "Met", "Not yet met", or "—" when none was given."""
    return _choice(JudgementOutcome.choices, value) if value else "—"


def credential_status_label(value: str) -> str:
    return {"valid": _("Valid"), "revoked": _("Revoked"), "expired": _("Expired")}.get(value, value)


def badge_status_label(value: str) -> str:
    return _choice(BadgeStatus.choices, value)


def event_state_label(value: str, object_type: str) -> str:
    """A state named by an audit event: a badge version's status or an application's state."""
    if not value:
        return "—"
    if object_type == "frameworks.badgeversion":
        return badge_status_label(value)
    return state_label(value)


def object_type_label(value: str) -> str:
    """An audit event's object type ("applications.application") as its model's name
    ("Application"); the code itself when no such model exists (any more)."""
    try:
        model = django_apps.get_model(value)
    except (LookupError, ValueError):
        return value
    return capfirst(str(model._meta.verbose_name))


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def month_label(value: str | None) -> str:
    """A report month ("2026-03") as the reader says it ("March 2026"); "—" for none."""
    if not value:
        return "—"
    year, month = (int(part) for part in value.split("-"))
    return formats.date_format(date(year, month, 1), "YEAR_MONTH_FORMAT")


def _day(value: str | date) -> str:
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return formats.date_format(day, "DATE_FORMAT")


def period_text(date_from: str | date | None, date_to: str | date | None) -> str:
    """The period as a reader says it: "All time", "From 1 March 2026", "Until 31 March
    2026" or "1 March 2026 to 31 March 2026"."""
    if date_from and date_to:
        return _("%(start)s to %(end)s") % {"start": _day(date_from), "end": _day(date_to)}
    if date_from:
        return _("From %(start)s") % {"start": _day(date_from)}
    if date_to:
        return _("Until %(end)s") % {"end": _day(date_to)}
    return _("All time")


def scope_text(scope: dict) -> str:
    """The report's scope (`report["scope"]`) as one line: the constellation (or "All
    constellations") and each filter that narrows it."""
    parts = [scope.get("constellation_name") or _("All constellations")]
    if scope.get("badge"):
        title = _badge_title(scope.get("constellation") or "", scope["badge"])
        parts.append(_("badge: %(badge)s") % {"badge": title})
    if scope.get("assessor"):
        parts.append(_("assessor: %(name)s") % {"name": scope["assessor"]})
    if scope.get("cohort"):
        parts.append(_("cohort: %(name)s") % {"name": scope["cohort"]})
    if scope.get("state"):
        parts.append(_("state: %(state)s") % {"state": state_label(scope["state"])})
    return "; ".join(parts)


def _badge_title(constellation: str, badge: str) -> str:
    """The title of a badge named by slug (in its constellation, when one is chosen): its
    newest version's title, else the slug."""
    versions = BadgeVersion.objects.filter(badge__slug=badge)
    if constellation:
        versions = versions.filter(badge__constellation__slug=constellation)
    return versions.order_by("-version").values_list("title", flat=True).first() or badge


# --- file names ---------------------------------------------------------------------------

FILE_STEMS = {
    "report": "quality-report",
    "applications": "applications",
    "judgements": "judgements",
    "credentials": "credentials",
}


def export_filename(kind: str, fmt: str, parameters: dict, *, on: date) -> str:
    """A readable, safe file name: what it holds, for which constellation, for which
    period (or, for all time, the day it was made), e.g.
    `quality-report-all-constellations-2026-12-01.xlsx`,
    `applications-edusta-2026-03-01-to-2026-03-31.csv`. ASCII letters, digits and hyphens
    only, whatever the slugs and filters hold."""
    stem = FILE_STEMS.get(kind) or slugify(kind) or "export"
    scope = slugify(parameters.get("constellation") or "") or "all-constellations"
    start, end = _iso(parameters.get("from")), _iso(parameters.get("to"))
    if start and end:
        period = f"{start}-to-{end}"
    elif start:
        period = f"from-{start}"
    elif end:
        period = f"until-{end}"
    else:
        period = on.isoformat()
    extension = slugify(fmt) or "dat"
    return f"{stem}-{scope}-{period}.{extension}"


def _iso(value) -> str:
    """A period bound as YYYY-MM-DD, or "" when absent or not a date."""
    if not value:
        return ""
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        return ""
