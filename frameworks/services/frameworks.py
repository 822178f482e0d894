"""Importing competence frameworks (the file format: frameworks.interchange.frameworks).

Imports validate the whole file first and write in one transaction: a bad file changes
nothing.
"""

from dataclasses import dataclass

from django.db import transaction

from core.audit import audit_record

from ..interchange import framework_content, validate_framework
from ..interchange.fields import FRAMEWORK_ITEM_SERVICE_FIELDS, FRAMEWORK_SERVICE_FIELDS
from ..models import (
    Competence,
    CompetenceArea,
    Framework,
    ProficiencyLevel,
)
from ._common import _require


@dataclass(frozen=True)
class FrameworkImportResult:
    framework: Framework
    created: bool  # False: the file was identical to the newest stored version


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
            **{name: content[name] for name in FRAMEWORK_SERVICE_FIELDS},
            imported_by=actor,
        )
        ProficiencyLevel.objects.bulk_create(
            ProficiencyLevel(
                framework=framework,
                order=index,
                **{name: level[name] for name in FRAMEWORK_ITEM_SERVICE_FIELDS},
            )
            for index, level in enumerate(content["levels"], start=1)
        )
        competences: list[Competence] = []
        for area_index, area_data in enumerate(content["areas"]):
            area = CompetenceArea.objects.create(
                framework=framework,
                order=area_index,
                **{name: area_data[name] for name in FRAMEWORK_ITEM_SERVICE_FIELDS},
            )
            competences.extend(
                Competence(
                    framework=framework,
                    area=area,
                    order=index,
                    **{name: item[name] for name in FRAMEWORK_ITEM_SERVICE_FIELDS},
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
