"""Reads for the content translation pages: which texts a record has in which language,
and what is missing. Kept beside `selectors` (which the interchange imports) because it
reads the interchange's field tables: the translated fields are listed there once."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from .interchange.fields import translated_fields_of
from .models import Badge, BadgeVersion, Constellation, Criterion
from .selectors import badge_versions_visible_to, constellation_badges


def translatable_texts(objects) -> int:
    """How many texts of `objects` can be translated: translated fields with a default text."""
    return sum(
        1 for obj in objects for field in translated_fields_of(obj) if getattr(obj, field.attr)
    )


def missing_translations(objects, language: str) -> int:
    """How many texts of `objects` (translatable records) have no translation in `language`:
    every translated field with a default text and no text in that language."""
    return sum(
        1
        for obj in objects
        for field in translated_fields_of(obj)
        if getattr(obj, field.attr) and not obj.translation(field.attr, language)
    )


def badge_version_for_translation(*, user, pk: int) -> BadgeVersion:
    """A badge version with its criteria and their rubric levels (the translation page)."""
    return get_object_or_404(
        badge_versions_visible_to(user=user)
        .select_related("badge__constellation")
        .prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.prefetch_related("rubric_levels"))
        ),
        pk=pk,
    )


def framework_texts(framework) -> list:
    """The framework, its levels, and each area followed by its competences (prefetched with
    `selectors.framework_with_content`), in reading order."""
    objects: list = [framework, *framework.levels.all()]
    for area in framework.areas.all():
        objects.append(area)
        objects.extend(area.competences.all())
    return objects


def _texts(version: BadgeVersion, criteria) -> list:
    objects: list = [version]
    for criterion in criteria:
        objects.append(criterion)
        objects.extend(criterion.rubric_levels.all())
    return objects


def version_texts(version: BadgeVersion) -> list:
    """The version and every criterion and rubric level of it, in reading order (prefetched)."""
    return _texts(version, version.criteria.all())


@dataclass
class TranslationRow:
    badge: Badge | None  # None: the constellation's own texts
    version: BadgeVersion | None
    texts: int  # texts with a default text (what can be translated)
    missing: list[tuple[str, int]]  # (language, texts without a translation)


def translation_overview(*, constellation: Constellation, languages: list[str]) -> list:
    """Per language, the missing translations of the constellation and of each badge's newest
    version (its criteria and rubric levels included). Constant number of queries."""
    badges = constellation_badges(constellation=constellation)
    latest = [badge.latest for badge in badges if badge.latest is not None]
    criteria: dict[int, list[Criterion]] = defaultdict(list)
    for criterion in Criterion.objects.filter(badge_version__in=latest).prefetch_related(
        "rubric_levels"
    ):
        criteria[criterion.badge_version_id].append(criterion)

    def row(badge, version, objects) -> TranslationRow:
        return TranslationRow(
            badge=badge,
            version=version,
            texts=translatable_texts(objects),
            missing=[(code, missing_translations(objects, code)) for code in languages],
        )

    rows = [row(None, None, [constellation])]
    for badge in badges:
        version = badge.latest
        if version is None:
            continue
        rows.append(row(badge, version, _texts(version, criteria[version.pk])))
    return rows
