from django import template

register = template.Library()


@register.filter
def localized(obj, field: str) -> str:
    """`{{ badge|localized:"title" }}`: the field in the current language, else the default text."""
    method = getattr(obj, "localized", None)
    return method(field) if callable(method) else getattr(obj, field, "")
