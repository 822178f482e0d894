"""Demo data: the shipped frameworks and the EduSTA constellation (idempotent, via services).

The constellation is shipped as a file in the constellation interchange format,
`frameworks/data/edusta-demo.json`, and loaded through the real import service
(`constellation_import`), so the demo exercises the import path. The EduSTA badge names
come from the project; the two badges of the "Enabling Action" milestone are invented for
the demo and marked as illustrative, as are the N-of-M rules.

Two things the interchange format cannot express stay here in Python: the constellation's
assessors (people are accounts of this installation, not part of a file) and a second,
draft version of `value-awareness-supporter` (a file holds one version per badge), which
shows versioning. The file carries Swedish, Finnish, Bokmål and Danish texts; the draft is
also translated in the product (`badge_version_translate`) into German, except its narrative
and rubric descriptors: the translation overview then counts what is missing, and German
readers see those texts marked as English.
"""

import json
from pathlib import Path

from django.db import transaction

from .models import Constellation
from .services import (
    FrameworkImportResult,
    badge_new_draft,
    badge_version_translate,
    badge_version_update,
    constellation_import,
    constellation_update,
    framework_import,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
SHIPPED_FRAMEWORKS = ["greencomp.json", "digcompedu.json"]
DEMO_CONSTELLATION = DATA_DIR / "edusta-demo.json"
# What the version 2 draft adds to the description, in the languages of the demo file.
VERSION_2_ADDITION = {
    "sv": "Version 2 lägger till arbete med elevernas familjer.",
    "fi": "Versio 2 lisää yhteistyön opiskelijoiden perheiden kanssa.",
    "nb": "Versjon 2 legger til arbeid med elevenes familier.",
    "da": "Version 2 tilføjer arbejde med elevernes familier.",
}


# The draft's texts in other languages: the version, its criteria (by code) and its rubric
# levels (by their English name). Applied where the draft has no text in that language yet.
DRAFT_TRANSLATIONS = {
    "de": {
        "version": {
            "title": "Wertebewusstsein fördern",
            "description": "Unterstützt Lernende dabei, die Werte hinter nachhaltigen "
            "Entscheidungen zu erkennen und zu besprechen. Version 2 ergänzt die Zusammenarbeit "
            "mit den Familien der Lernenden.",
        },
        "C1": {
            "title": "Plan für das Gespräch",
            "description": "Ein Plan für ein Wertegespräch, auch dafür, wie du unterschiedlichen "
            "Sichtweisen Raum gibst.",
        },
        "C2": {
            "title": "Reflexion über das Gespräch",
            "description": "Wie verlief das Gespräch, und wie bist du mit "
            "Meinungsverschiedenheiten umgegangen?",
        },
        "levels": {
            "Beginning": "Beginnend",
            "Developing": "In Entwicklung",
            "Proficient": "Kompetent",
            "Exemplary": "Beispielhaft",
        },
    },
}


def _translate_draft(actor, draft) -> None:
    criteria = list(draft.criteria.prefetch_related("rubric_levels"))
    for language, texts in DRAFT_TRANSLATIONS.items():
        wanted = {draft: texts["version"]}
        for criterion in criteria:
            wanted[criterion] = texts.get(criterion.code, {})
            for level in criterion.rubric_levels.all():
                if level.name in texts["levels"]:
                    wanted[level] = {"name": texts["levels"][level.name]}
        missing = {
            obj: {
                name: text for name, text in values.items() if not obj.translation(name, language)
            }
            for obj, values in wanted.items()
        }
        badge_version_translate(actor=actor, version=draft, language=language, texts=missing)


def _read(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def seed_frameworks(actor=None) -> list[FrameworkImportResult]:
    """Import the shipped frameworks (idempotent: unchanged files import nothing)."""
    return [
        framework_import(data=_read(DATA_DIR / name), actor=actor) for name in SHIPPED_FRAMEWORKS
    ]


@transaction.atomic
def seed(accounts) -> None:
    coordinator = accounts.coordinator
    seed_frameworks(actor=coordinator)
    data = _read(DEMO_CONSTELLATION)
    if Constellation.objects.filter(slug=data["slug"]).exists():
        return
    constellation = constellation_import(data=data, actor=coordinator, publish=True)
    constellation_update(
        actor=coordinator, constellation=constellation, assessors=list(accounts.assessors)
    )
    # A second version in draft, to show versioning.
    published = constellation.badges.get(slug="value-awareness-supporter").versions.get()
    draft = badge_new_draft(actor=coordinator, version=published)
    badge_version_update(
        actor=coordinator,
        version=draft,
        description=draft.description + " Version 2 adds working with learners' families.",
        learning_outcomes=draft.learning_outcomes
        + "\nInvolves families in conversations about values.",
        translations={
            language: texts
            | {"description": f"{texts['description']} {VERSION_2_ADDITION[language]}"}
            for language, texts in draft.translations.items()
        },
    )
    _translate_draft(coordinator, draft)
