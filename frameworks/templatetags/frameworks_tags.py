"""Content (framework, constellation and badge texts) in the reader's language.

- `{{ badge|localized:"title" }}`: plain text in the reader's language, else the default
  text; for titles, attributes and other places that take no markup.
- `{% content badge "title" %}`: the same in body text, but a default-language text that
  stands in for a missing translation carries its `lang` attribute (screen readers then
  pronounce it right), e.g. `<span lang="en" class="content-fallback">…</span>`.
- `{% document_content version "title" achievement.name %}`: for a signed document's text
  (the verification page), the translation where there is one, else the document's text.
- `{% content_hint badge criteria %}`: once per page, a small note when any text of the
  given records (or lists of records) is shown in the default language.
"""

from collections.abc import Iterable

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.i18n import Translatable, content_language

from ..interchange.fields import translated_fields_of

register = template.Library()


@register.filter
def localized(obj, field: str) -> str:
    """`{{ badge|localized:"title" }}`: the field in the current language, else the default text."""
    method = getattr(obj, "localized", None)
    return method(field) if callable(method) else getattr(obj, field, "")


@register.simple_tag
def content(obj, field: str):
    """The field in the reader's language; a default text standing in carries its `lang`."""
    if not isinstance(obj, Translatable):
        return getattr(obj, field, "") if obj is not None else ""
    shown = obj.localized_text(field)
    if shown.is_fallback:
        return format_html(
            '<span lang="{}" class="content-fallback">{}</span>', shown.language, shown.text
        )
    return shown.text


@register.simple_tag
def document_content(obj, field: str, document_text: str):
    """A text a signed document carries (in the default language), shown in the reader's
    language where `obj`, the record it was made from, has a translation; otherwise the
    document's own text, marked with its language when that is not the reader's."""
    if isinstance(obj, Translatable):
        shown = obj.localized_text(field)
        if not shown.is_fallback and shown.language != content_language():
            return shown.text
        if shown.is_fallback:
            return format_html(
                '<span lang="{}" class="content-fallback">{}</span>',
                content_language(),
                document_text,
            )
    return document_text


def _records(items) -> Iterable[Translatable]:
    for item in items:
        if isinstance(item, Translatable):
            yield item
        elif isinstance(item, Iterable) and not isinstance(item, str | bytes | dict):
            yield from _records(item)


def falls_back(*items) -> bool:
    """Whether any text of the records is shown in the default language for want of a
    translation into the reader's language."""
    return any(
        record.localized_text(field.attr).is_fallback
        for record in _records(items)
        for field in translated_fields_of(record)
    )


@register.simple_tag
def content_hint(*items):
    """A note, shown once, that some texts are not yet in the reader's language."""
    if not falls_back(*items):
        return ""
    base = content_language()
    name = dict(settings.LANGUAGES).get(base, base)
    return format_html(
        '<p class="content-fallback-hint"><small>{}</small></p>',
        _(
            "Some texts have no translation yet and are shown in the original language (%(language)s)."
        )
        % {"language": name},
    )
