"""Content translations edited in the product: a competence framework's texts (its levels,
areas and competences included), a constellation's texts, and a draft badge version's texts
with those of its criteria and rubric levels.

Translations live in each record's `translations` JSON field ({"sv": {"title": "…"}}), the
storage the JSON interchange reads and writes too. A badge version's translations are part
of the version: they are edited on a draft and published with it, like every other text of
the version (a published version never changes; translating it goes through a new draft).
A framework version's translations are changed in place: they are not part of what badges
align to (the codes are), and an import of a file whose texts differ makes a new version.
"""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from core.audit import audit_record
from core.errors import StaleObjectError, ValidationFailed
from core.i18n import Translatable, content_language

from ..interchange import Problems
from ..interchange.fields import translated_fields_of
from ..models import (
    BadgeVersion,
    Competence,
    CompetenceArea,
    Constellation,
    Criterion,
    Framework,
    ProficiencyLevel,
    RubricLevel,
)
from ._common import _require, _require_draft


def translation_languages() -> list[tuple[str, Any]]:
    """The languages content can be translated into: the offered ones but the default."""
    base = content_language()
    return [(code, name) for code, name in settings.LANGUAGES if code != base]


def _check_language(language: str) -> None:
    if language not in dict(translation_languages()):
        raise ValidationFailed(
            _("The translations were not saved."),
            details=[("language", _("not a language content can be translated into"))],
        )


def _label(obj) -> str:
    """How an audit event names the record whose texts changed."""
    if isinstance(obj, Criterion):
        return f"criterion {obj.order}"
    if isinstance(obj, RubricLevel):
        return f"criterion {obj.criterion.order} level {obj.order}"
    if isinstance(obj, ProficiencyLevel):
        return f"level {obj.code}"
    if isinstance(obj, CompetenceArea):
        return f"area {obj.code}"
    if isinstance(obj, Competence):
        return f"competence {obj.code}"
    return ""


def _apply(obj: Translatable, language: str, texts: dict[str, str], problems: Problems) -> list:
    """Set `obj`'s translations in `language` from `texts` ({field: text}; empty removes
    it). Returns the names of the fields that changed; problems collect what is refused."""
    fields = {field.attr: field for field in translated_fields_of(obj)}
    unknown = set(texts) - set(fields)
    if unknown:
        raise TypeError(f"Not translated fields: {sorted(unknown)}")
    translations = {lang: dict(values) for lang, values in (obj.translations or {}).items()}
    current = translations.get(language, {})
    changed = []
    for name, raw in texts.items():
        text = (raw or "").strip()
        place = " ".join(filter(None, [_label(obj), name]))
        if "\x00" in text:
            problems.add(place, _("contains a null character"))
            continue
        if len(text) > fields[name].max_length:
            problems.add(
                place,
                _("longer than %(limit)s characters") % {"limit": fields[name].max_length},
            )
            continue
        if text == current.get(name, ""):
            continue
        if text:
            current[name] = text
        else:
            current.pop(name, None)
        changed.append(name)
    if current:
        translations[language] = current
    else:
        translations.pop(language, None)
    obj.translations = translations
    return changed


def constellation_translate(
    *, actor, constellation: Constellation, language: str, texts: dict[str, str]
) -> list[str]:
    """Set the constellation's name and description in `language`. Returns what changed."""
    _require(actor, "frameworks.change_constellation", constellation)
    _check_language(language)
    problems = Problems()
    changed = _apply(constellation, language, texts, problems)
    problems.raise_if_any(_("The translations were not saved."))
    if changed:
        with transaction.atomic():
            constellation.save(update_fields=["translations"])
            audit_record(
                actor=actor,
                action="constellation.translated",
                obj=constellation,
                data={"slug": constellation.slug, "language": language, "fields": changed},
            )
    return changed


def badge_version_translate(
    *, actor, version: BadgeVersion, language: str, texts: dict
) -> list[str]:
    """Set a draft version's texts in `language`: `texts` maps the version, its criteria and
    their rubric levels to {field: text}. All or nothing. Returns what changed, as places
    ("title", "criterion 2 description", "criterion 2 level 1 name")."""
    _require(actor, "frameworks.change_badgeversion", version)
    _require_draft(version)
    _check_language(language)
    for obj in texts:
        belongs = (
            obj.pk == version.pk
            if isinstance(obj, BadgeVersion)
            else obj.badge_version_id == version.pk
            if isinstance(obj, Criterion)
            else isinstance(obj, RubricLevel) and obj.criterion.badge_version_id == version.pk
        )
        if not belongs:
            raise TypeError(f"{obj!r} is not part of badge version {version.pk}")
    changes, changed = _apply_all(language, texts)
    if changed:
        try:
            with transaction.atomic():
                # Saved against its loaded status (ConcurrentTransitionMixin), whatever
                # changed: a version published in the meantime refuses the change.
                version.save(update_fields=["translations", "updated_at"])
                for obj, names in changes:
                    if names and obj is not version:
                        obj.save(update_fields=["translations"])
                _audit_version(actor, version, language, changed)
        except ConcurrentTransition as error:
            raise StaleObjectError() from error
    return changed


def _apply_all(language: str, texts: dict) -> tuple[list, list[str]]:
    """Apply {object: {field: text}} in `language` to the objects in memory; every problem of
    every object is reported at once, raised before the caller saves anything. Returns the
    changed field names per object and their readable labels ("K1 title")."""
    problems = Problems()
    changes = [(obj, _apply(obj, language, values, problems)) for obj, values in texts.items()]
    problems.raise_if_any(_("The translations were not saved."))
    changed = [
        " ".join(filter(None, [_label(obj), name])) for obj, names in changes for name in names
    ]
    return changes, changed


def _audit_version(actor, version: BadgeVersion, language: str, changed: list[str]) -> None:
    audit_record(
        actor=actor,
        action="badge.translated",
        obj=version,
        data={
            "slug": version.badge.slug,
            "version": version.version,
            "language": language,
            "fields": changed,
        },
    )


def framework_translate(*, actor, framework: Framework, language: str, texts: dict) -> list[str]:
    """Set a framework version's texts in `language`: `texts` maps the framework, its
    proficiency levels, areas and competences to {field: text}. All or nothing."""
    _require(actor, "frameworks.change_framework", framework)
    _check_language(language)
    for obj in texts:
        belongs = (
            obj.pk == framework.pk
            if isinstance(obj, Framework)
            else isinstance(obj, ProficiencyLevel | CompetenceArea | Competence)
            and obj.framework_id == framework.pk
        )
        if not belongs:
            raise TypeError(f"{obj!r} is not part of framework {framework.pk}")
    changes, changed = _apply_all(language, texts)
    if changed:
        with transaction.atomic():
            for obj, names in changes:
                if names:
                    obj.save(update_fields=["translations"])
            audit_record(
                actor=actor,
                action="framework.translated",
                obj=framework,
                data={
                    "slug": framework.slug,
                    "version": framework.version,
                    "language": language,
                    "fields": changed,
                },
            )
    return changed
