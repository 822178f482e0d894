from django import template
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

register = template.Library()

EU_ELEMENT_LABELS = {
    "learner_identification": _("identification of the learner"),
    "title": _("title"),
    "country_awarding_body": _("awarding body and its country"),
    "date_of_issuing": _("date of issuing"),
    "learning_outcomes": _("learning outcomes"),
    "workload": _("notional workload (ECTS or hours)"),
    "eqf_level": _("EQF level"),
    "assessment_type": _("type of assessment"),
    "participation_form": _("form of participation"),
    "quality_assurance": _("type of quality assurance"),
}


@register.filter
def eu_elements(keys) -> str:
    """The readable names of EU micro-credential elements, comma-separated, or "—"."""
    return ", ".join(str(EU_ELEMENT_LABELS.get(key, key)) for key in keys or []) or "—"


@register.filter
def iso_datetime(value: str):
    """A report's ISO 8601 timestamp (kept as text for JSON) as a datetime, for `|date`."""
    try:
        return parse_datetime(value) if isinstance(value, str) else value
    except ValueError:
        return None
