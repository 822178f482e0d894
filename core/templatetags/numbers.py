"""Numbers as people write them in the page's language."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def short_decimal(value):
    """`{{ version.ects|short_decimal }}`: 7.5 → "7,5" in Swedish, "7.5" in English; 10.00 →
    "10". The language's decimal separator, and no trailing zeros (floatformat:"-2" writes
    7,50)."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value
    if not number.is_finite():
        return value
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    return formats.number_format(number, use_l10n=True)
