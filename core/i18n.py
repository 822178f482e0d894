"""Model data in several languages.

Users read framework names, badge titles and criteria in their language. Each translatable
model keeps its text in the base fields (in the record's default language) and other
languages in a `translations` JSON field: {"de": {"name": "…", "description": "…"}}.
"""

from django.db import models
from django.utils.translation import get_language


class Translatable(models.Model):
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True

    def localized(self, field: str, language: str | None = None) -> str:
        language = (language or get_language() or "").split("-")[0]
        value = (self.translations or {}).get(language, {}).get(field)
        return value if value else getattr(self, field)


def register_language_fallbacks() -> None:
    """Browsers in Norway often ask for "no" (Norwegian) or "nn" (Nynorsk) rather than "nb":
    both are served Bokmål, which their readers read, rather than English."""
    from django.conf.locale import LANG_INFO  # noqa: PLC0415 - Django's table, changed once at start

    for code in ("no", "nn"):
        LANG_INFO[code] = {**LANG_INFO[code], "fallback": ["nb"]}
