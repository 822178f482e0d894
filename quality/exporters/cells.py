"""One exported value: dates, decimals and booleans as text, formulas neutralised."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a text cell inert in spreadsheets: prefix a quote if it could start a formula."""
    if not isinstance(value, str) or not value:
        return value
    if value.lstrip(" \n")[:1] in FORMULA_TRIGGERS or value[:1] in FORMULA_TRIGGERS:
        return "'" + value
    return value


def cell(value):
    """One exported value: dates in local ISO 8601, decimals as text, yes/no in the reader's
    language, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return value
    return neutralise(str(value))
