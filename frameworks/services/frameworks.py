"""Importing and exporting competence frameworks.

Imports validate the whole file first and write in one transaction: a bad file changes
nothing.
"""

from dataclasses import dataclass

from django.db import transaction

from core.audit import audit_record

from ..models import (
    Competence,
    CompetenceArea,
    Framework,
    ProficiencyLevel,
)
from ..schema import validate_framework
from ._common import (
    FRAMEWORK_FORMAT,
    _require,
)


@dataclass(frozen=True)
class FrameworkImportResult:
    framework: Framework
    created: bool  # False: the file was identical to the newest stored version


def framework_content(framework: Framework) -> dict:
    """The comparable content of a stored framework (what an import would produce)."""
    return {
        "slug": framework.slug,
        "name": framework.name,
        "description": framework.description,
        "source": framework.source,
        "source_version": framework.source_version,
        "translations": framework.translations or {},
        "levels": [
            {
                "code": level.code,
                "name": level.name,
                "description": level.description,
                "translations": level.translations or {},
            }
            for level in framework.levels.order_by("order")
        ],
        "areas": [
            {
                "code": area.code,
                "name": area.name,
                "description": area.description,
                "translations": area.translations or {},
                "competences": [
                    {
                        "code": competence.code,
                        "name": competence.name,
                        "description": competence.description,
                        "translations": competence.translations or {},
                    }
                    for competence in sorted(
                        area.competences.all(), key=lambda c: (c.order, c.code)
                    )
                ],
            }
            for area in framework.areas.prefetch_related("competences").order_by("order", "code")
        ],
    }


def framework_export(framework: Framework) -> dict:
    """A framework as JSON-ready data in the documented format (docs/frameworks.md)."""
    content = framework_content(framework)
    data = {"format": FRAMEWORK_FORMAT, "slug": content.pop("slug"), "version": framework.version}
    data.update(content)
    data["levels"] = [
        {"code": level["code"], "order": index, **{k: v for k, v in level.items() if k != "code"}}
        for index, level in enumerate(data["levels"], start=1)
    ]
    return _drop_empty_translations(data)


def _drop_empty_translations(value):
    if isinstance(value, dict):
        return {
            k: _drop_empty_translations(v)
            for k, v in value.items()
            if not (k == "translations" and not v)
        }
    if isinstance(value, list):
        return [_drop_empty_translations(item) for item in value]
    return value


def framework_import(*, data, actor=None) -> FrameworkImportResult:
    """Import a framework file's parsed JSON. New slug → version 1; changed content → next
    version; identical to the newest version → nothing written (`created=False`)."""
    _require(actor, "frameworks.import_framework")
    content = validate_framework(data)
    with transaction.atomic():
        existing = (
            Framework.objects.select_for_update()
            .filter(slug=content["slug"])
            .order_by("-version")
            .first()
        )
        if existing is not None and framework_content(existing) == content:
            return FrameworkImportResult(existing, created=False)
        version = (existing.version + 1) if existing else 1
        framework = Framework.objects.create(
            slug=content["slug"],
            version=version,
            name=content["name"],
            description=content["description"],
            source=content["source"],
            source_version=content["source_version"],
            translations=content["translations"],
            imported_by=actor,
        )
        ProficiencyLevel.objects.bulk_create(
            ProficiencyLevel(
                framework=framework,
                order=index,
                code=level["code"],
                name=level["name"],
                description=level["description"],
                translations=level["translations"],
            )
            for index, level in enumerate(content["levels"], start=1)
        )
        competences = []
        for area_index, area_data in enumerate(content["areas"]):
            area = CompetenceArea.objects.create(
                framework=framework,
                order=area_index,
                code=area_data["code"],
                name=area_data["name"],
                description=area_data["description"],
                translations=area_data["translations"],
            )
            competences.extend(
                Competence(
                    framework=framework,
                    area=area,
                    order=index,
                    code=item["code"],
                    name=item["name"],
                    description=item["description"],
                    translations=item["translations"],
                )
                for index, item in enumerate(area_data["competences"])
            )
        Competence.objects.bulk_create(competences)
        audit_record(
            actor=actor,
            action="framework.imported",
            obj=framework,
            data={
                "slug": framework.slug,
                "version": framework.version,
                "areas": len(content["areas"]),
                "competences": len(competences),
                "levels": len(content["levels"]),
                "previous_version": existing.version if existing else None,
            },
        )
    return FrameworkImportResult(framework, created=True)
