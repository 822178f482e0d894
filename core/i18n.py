"""Model data in several languages.

Users read framework names, badge titles and criteria in their language. Each translatable
model keeps its text in the base fields (in the record's default language) and other
languages in a `translations` JSON field: {"de": {"name": "…", "description": "…"}}.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import get_language


def content_language() -> str:
    """The language the base fields are written in: the site's default language."""
    return settings.LANGUAGE_CODE.split("-")[0]


def current_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


@dataclass(frozen=True)
class LocalizedText:
    """A text as a reader sees it, and the language it is really in."""

    text: str
    language: str
    is_fallback: bool  # the reader's language has no text: shown in the default language


class Translatable(models.Model):
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True

    def localized(self, field: str, language: str | None = None) -> str:
        language = (language or get_language() or "").split("-")[0]
        value = (self.translations or {}).get(language, {}).get(field)
        return value if value else getattr(self, field)

    def translation(self, field: str, language: str) -> str:
        """The stored translation of `field` (empty if there is none)."""
        return (self.translations or {}).get(language, {}).get(field) or ""

    def localized_text(self, field: str, language: str | None = None) -> LocalizedText:
        """The field in `language` (default: the active one), or the default text, marked."""
        language = (language or current_language()).split("-")[0]
        base = content_language()
        source = getattr(self, field) or ""
        if language == base:
            return LocalizedText(source, base, is_fallback=False)
        value = self.translation(field, language)
        if value:
            return LocalizedText(value, language, is_fallback=False)
        return LocalizedText(source, base, is_fallback=bool(source))


def register_language_fallbacks() -> None:
    """Browsers in Norway often ask for "no" (Norwegian) or "nn" (Nynorsk) rather than "nb":
    both are served Bokmål, which their readers read, rather than English."""
    from django.conf.locale import LANG_INFO  # noqa: PLC0415 - Django's table, changed once at start

    for code in ("no", "nn"):
        LANG_INFO[code] = {**LANG_INFO[code], "fallback": ["nb"]}
