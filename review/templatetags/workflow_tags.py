from django import template

register = template.Library()


@register.filter
def criterion_fields(form, criterion):
    """The review form's fields for one criterion (judgement, feedback, required changes)."""
    return form.fields_for(criterion)
