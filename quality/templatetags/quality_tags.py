from django import template
from django.utils.dateparse import parse_datetime

from quality import labels

register = template.Library()


@register.filter
def eu_elements(keys) -> str:
    """The readable names of EU micro-credential elements, comma-separated, or "—"."""
    return ", ".join(str(labels.EU_ELEMENT_LABELS.get(key, key)) for key in keys or []) or "—"


@register.filter
def iso_datetime(value: str):
    """A report's ISO 8601 timestamp (kept as text for JSON) as a datetime, for `|date`."""
    try:
        return parse_datetime(value) if isinstance(value, str) else value
    except ValueError:
        return None


@register.filter
def scope_text(scope: dict) -> str:
    """The report's scope as one line ("All constellations", or its name and filters)."""
    return labels.scope_text(scope or {})


@register.filter
def period_text(scope: dict) -> str:
    """The report's period ("All time", "From 1 March 2026", …)."""
    scope = scope or {}
    return labels.period_text(scope.get("from"), scope.get("to"))


@register.filter
def recommendation_label(value: str) -> str:
    return labels.recommendation_label(value)


@register.filter
def outcome_label(value: str) -> str:
    return labels.outcome_label(value)


@register.filter
def state_label(value: str) -> str:
    return labels.state_label(value)


@register.simple_tag
def event_state(value: str, object_type: str) -> str:
    """The label of a state an audit event names (`{% event_state e.to_state e.object_type %}`)."""
    return labels.event_state_label(value, object_type)


@register.filter
def object_type_label(value: str) -> str:
    return labels.object_type_label(value)
