"""The shipped content (GreenComp, DigCompEdu and the EduSTA demo constellation) in the
languages docs/frameworks.md promises, imported without loss and read by the demo."""

import json
import re

import pytest
from django.urls import reverse

from core.roles import Role
from demo.accounts import seed_accounts
from frameworks import demo
from frameworks.interchange import constellation_export, framework_export
from frameworks.models import (
    BadgeVersion,
    Competence,
    CompetenceArea,
    Constellation,
    Framework,
    ProficiencyLevel,
)
from frameworks.services import constellation_import
from tests.factories.core import UserFactory

FRAMEWORK_LANGUAGES = ["sv", "fi", "nb", "da", "de"]
CONSTELLATION_LANGUAGES = ["sv", "fi", "nb", "da"]
SHIPPED = {
    "greencomp.json": FRAMEWORK_LANGUAGES,
    "digcompedu.json": FRAMEWORK_LANGUAGES,
    "edusta-demo.json": CONSTELLATION_LANGUAGES,
}
# The translatable texts of each kind of item: its JSON key → the key in "translations"
# (a badge's title is "name" in the file and "title" in its translations, as it is stored).
ITEM = {"name": "name", "description": "description"}
BADGE = {"name": "title", "description": "description", "criteria_narrative": "criteria_narrative"}
CRITERION = {"title": "title", "description": "description"}
RUBRIC_LEVEL = {"name": "name", "descriptor": "descriptor"}
# Words that are spelt the same as in English.
SAME_AS_ENGLISH = {
    ("digcompedu.json", "levels[2].name", "da"),  # Integrator
    ("digcompedu.json", "levels[3].name", "sv"),  # Expert
}
# What a translation must carry over unchanged: placeholders, markup, addresses, and the
# names of the frameworks and programmes.
KEPT = re.compile(r"%\(\w+\)s|\{\w*\}|<[^>]+>|https?://\S+|GreenComp|DigCompEdu|EduSTA|Erasmus\+")


def _read(name):
    return json.loads((demo.DATA_DIR / name).read_text(encoding="utf-8"))


def _items(name, data):
    """(place, item, its translatable keys) for every translatable item in a shipped file."""
    if name == "edusta-demo.json":
        yield "", data, ITEM
        for b, badge in enumerate(data["badges"]):
            yield f"badges[{b}]", badge, BADGE
            for c, criterion in enumerate(badge.get("criteria", [])):
                yield f"badges[{b}].criteria[{c}]", criterion, CRITERION
                for r, level in enumerate(criterion["rubric"]):
                    yield f"badges[{b}].criteria[{c}].rubric[{r}]", level, RUBRIC_LEVEL
        return
    yield "", data, ITEM
    for index, level in enumerate(data["levels"]):
        yield f"levels[{index}]", level, ITEM
    for a, area in enumerate(data["areas"]):
        yield f"areas[{a}]", area, ITEM
        for c, competence in enumerate(area["competences"]):
            yield f"areas[{a}].competences[{c}]", competence, ITEM


def _texts(name):
    """(place, language, English text, translated text) for every text of a shipped file."""
    for place, item, keys in _items(name, _read(name)):
        for json_key, translated_key in keys.items():
            if item.get(json_key):
                for language in SHIPPED[name]:
                    text = item.get("translations", {}).get(language, {}).get(translated_key)
                    yield f"{place}.{json_key}".lstrip("."), language, item[json_key], text


def _translations(name, data):
    return [item.get("translations", {}) for _place, item, _keys in _items(name, data)]


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_text_is_translated_into_every_promised_language(name):
    missing = [
        (place, language)
        for place, language, _english, text in _texts(name)
        if not (isinstance(text, str) and text.strip())
    ]
    assert missing == []


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_translations_are_only_in_the_promised_languages(name):
    languages = {
        language for translations in _translations(name, _read(name)) for language in translations
    }
    assert languages == set(SHIPPED[name])


def test_shipped_translations_differ_from_english_except_where_the_word_is_the_same():
    same = {
        (name, place, language)
        for name in SHIPPED
        for place, language, english, text in _texts(name)
        if text == english
    }
    assert same == SAME_AS_ENGLISH


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_translations_keep_placeholders_markup_and_proper_names(name):
    changed = [
        (place, language)
        for place, language, english, text in _texts(name)
        if sorted(KEPT.findall(english)) != sorted(KEPT.findall(text or ""))
    ]
    assert changed == []


@pytest.mark.django_db
def test_the_import_keeps_every_shipped_translation():
    demo.seed_frameworks()
    shipped_constellation = _read("edusta-demo.json")
    constellation = constellation_import(data=shipped_constellation, publish=True)

    for name in ("greencomp.json", "digcompedu.json"):
        shipped = _read(name)
        stored = framework_export(Framework.objects.get(slug=shipped["slug"]))
        assert _translations(name, stored) == _translations(name, shipped)
    stored = constellation_export(constellation)
    assert _translations("edusta-demo.json", stored) == _translations(
        "edusta-demo.json", shipped_constellation
    )


@pytest.mark.django_db
def test_the_demo_reads_its_content_in_swedish_and_finnish():
    demo.seed(seed_accounts())
    edusta = Constellation.objects.get(slug="edusta")
    critical = BadgeVersion.objects.get(badge__slug="critical-developer", status="published")
    rubric_level = critical.criteria.get(code="C1").rubric_levels.get(name="Proficient")
    systems = Competence.objects.get(framework__slug="greencomp", code="2.1")
    area = CompetenceArea.objects.get(framework__slug="digcompedu", code="4")
    pioneer = ProficiencyLevel.objects.get(framework__slug="digcompedu", code="C2")

    read = {
        language: [
            edusta.localized("name", language),
            critical.localized("title", language),
            critical.criteria.get(code="C2").localized("title", language),
            rubric_level.localized("name", language),
            systems.localized("name", language),
            area.localized("name", language),
            pioneer.localized("name", language),
        ]
        for language in ("en", "sv", "fi")
    }

    assert read == {
        "en": [
            "Sustainable Future Educator (EduSTA)",
            "Critical Developer",
            "Revised resource",
            "Proficient",
            "Systems thinking",
            "Assessment",
            "Pioneer",
        ],
        "sv": [
            "Pedagog för en hållbar framtid (EduSTA)",
            "Kritisk utvecklare",
            "Reviderat material",
            "Skicklig",
            "Systemtänkande",
            "Bedömning",
            "Pionjär",
        ],
        "fi": [
            "Kestävän tulevaisuuden opettaja (EduSTA)",
            "Kriittinen kehittäjä",
            "Muokattu materiaali",
            "Taitava",
            "Systeemiajattelu",
            "Arviointi",
            "Edelläkävijä",
        ],
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "constellation", "badge"),
    [
        ("sv", "Pedagog för en hållbar framtid (EduSTA)", "Kritisk utvecklare"),
        ("fi", "Kestävän tulevaisuuden opettaja (EduSTA)", "Kriittinen kehittäjä"),
        ("nb", "Lærer for en bærekraftig fremtid (EduSTA)", "Kritisk utvikler"),
        ("da", "Underviser for en bæredygtig fremtid (EduSTA)", "Kritisk udvikler"),
    ],
)
def test_the_demo_catalogue_shows_the_constellation_in_the_learners_language(
    client, language, constellation, badge
):
    demo.seed(seed_accounts())
    client.force_login(UserFactory(roles=[Role.LEARNER], preferred_language=language))

    html = client.get(reverse("frameworks:catalogue") + "?constellation=edusta").text

    assert f'<html lang="{language}">' in html
    assert f"<h2>{constellation}</h2>" in html
    assert f">{badge}</a></h3>" in html
    assert "Critical Developer" not in html


@pytest.mark.django_db
def test_the_demos_second_draft_version_says_what_it_adds_in_every_language():
    demo.seed(seed_accounts())
    draft = BadgeVersion.objects.get(badge__slug="value-awareness-supporter", status="draft")
    published = BadgeVersion.objects.get(
        badge__slug="value-awareness-supporter", status="published"
    )

    assert {
        language: draft.translations[language]["description"].removeprefix(
            published.localized("description", language)
        )
        for language in ("sv", "fi", "nb", "da")  # the file's languages
    } == {
        "sv": " Version 2 lägger till arbete med elevernas familjer.",
        "fi": " Versio 2 lisää yhteistyön opiskelijoiden perheiden kanssa.",
        "nb": " Versjon 2 legger til arbeid med elevenes familier.",
        "da": " Version 2 tilføjer arbejde med elevernes familier.",
    }
    assert draft.localized("title", "fi") == "Arvotietoisuuden tukija"
