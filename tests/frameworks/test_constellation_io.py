import copy
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.errors import ValidationFailed
from frameworks.models import Badge, BadgeVersion, Constellation, CriterionAlignment, Framework
from frameworks.services import constellation_export, constellation_import, framework_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def frameworks(greencomp_data, digcompedu_data):
    framework_import(data=greencomp_data)
    framework_import(data=digcompedu_data)


def micro(slug, *, alignments=None, **extra):
    return {
        "slug": slug,
        "kind": "micro",
        "name": slug.replace("-", " ").title(),
        "description": "Shows it.",
        "learning_outcomes": ["Does it."],
        "ects": 1,
        "workload_hours": 25,
        "quality_assurance": "Internal QA.",
        "criteria": [
            {
                "title": "Evidence",
                "evidence": {"files": 1, "reflections": 1},
                "rubric": [{"name": "Not yet"}, {"name": "Met", "passing": True}],
                "alignments": alignments
                if alignments is not None
                else [{"framework": "greencomp", "competence": "2.1"}],
            }
        ],
        **extra,
    }


@pytest.fixture
def constellation_data():
    return {
        "slug": "demo",
        "name": "Demo constellation",
        "badges": [
            micro(
                "one",
                alignments=[
                    {
                        "framework": "digcompedu",
                        "framework_version": 1,
                        "competence": "3.3",
                        "level": "B1",
                    }
                ],
            ),
            micro("two", review={"max_rounds": 2, "review_days": 7, "double_assessment": "all"}),
            {
                "slug": "both",
                "kind": "milestone",
                "name": "Both",
                "description": "Two micro badges.",
                "learning_outcomes": ["Holds both."],
                "workload_hours": 50,
                "quality_assurance": "Internal QA.",
                "requires": {"count": 2, "badges": ["one", "two"]},
            },
        ],
    }


def problems_of(data, **kwargs):
    with pytest.raises(ValidationFailed) as caught:
        constellation_import(data=data, **kwargs)
    assert Constellation.objects.count() == 0
    return caught.value.details


def test_import_creates_drafts_with_criteria_rubrics_alignments_and_rules(
    frameworks, constellation_data, coordinator
):
    constellation = constellation_import(data=constellation_data, actor=coordinator)
    assert list(constellation.coordinators.all()) == [coordinator]
    versions = {v.badge.slug: v for v in BadgeVersion.objects.select_related("badge")}
    assert {slug: v.status for slug, v in versions.items()} == {
        "one": "draft",
        "two": "draft",
        "both": "draft",
    }
    alignment = CriterionAlignment.objects.get(criterion__badge_version=versions["one"])
    assert (alignment.competence.code, alignment.target_level.code) == ("3.3", "B1")
    assert versions["two"].double_assessment == "all"
    assert (versions["two"].max_rounds, versions["two"].review_days) == (2, 7)
    assert versions["both"].required_count == 2
    assert sorted(b.slug for b in versions["both"].required_badges.all()) == ["one", "two"]


def test_import_with_publish_publishes_every_badge(frameworks, constellation_data):
    constellation_import(data=constellation_data, publish=True)
    assert set(BadgeVersion.objects.values_list("status", flat=True)) == {"published"}


def test_import_with_publish_undoes_everything_if_one_badge_cannot_be_published(
    frameworks, constellation_data
):
    data = copy.deepcopy(constellation_data)
    data["badges"][1]["quality_assurance"] = ""
    details = problems_of(data, publish=True)
    assert details == [
        (
            "badges[1] (two): quality_assurance",
            "describe the type of quality assurance (EU micro-credential element)",
        ),
        ("badges[2] (both): required_badges", "“two” is not published yet; publish it first"),
    ]
    assert Badge.objects.count() == 0


def test_export_then_import_round_trips(frameworks, constellation_data):
    original = constellation_import(data=constellation_data, publish=True)
    exported = json.loads(json.dumps(constellation_export(original)))
    assert exported["slug"] == "demo"
    assert [(b["slug"], b["kind"]) for b in exported["badges"]] == [
        ("one", "micro"),
        ("two", "micro"),
        ("both", "milestone"),
    ]
    assert exported["badges"][2]["requires"] == {"count": 2, "badges": ["one", "two"]}
    assert exported["badges"][0]["criteria"][0]["alignments"] == [
        {"framework": "digcompedu", "framework_version": 1, "competence": "3.3", "level": "B1"}
    ]
    exported["slug"] = "demo-copy"
    copy_ = constellation_import(data=exported, publish=True)
    again = json.loads(json.dumps(constellation_export(copy_)))
    for data in (exported, again):
        data.pop("exported_at")
        data.pop("slug")
    assert again == exported


def test_the_demo_constellation_round_trips(frameworks):
    from demo.accounts import seed_accounts
    from frameworks import demo

    demo.seed(seed_accounts())
    exported = json.loads(
        json.dumps(constellation_export(Constellation.objects.get(slug="edusta")))
    )
    exported["slug"] = "edusta-copy"
    constellation_import(data=exported)
    assert Badge.objects.filter(constellation__slug="edusta-copy").count() == 14


def test_an_existing_slug_is_refused(frameworks, constellation_data):
    constellation_import(data=constellation_data)
    with pytest.raises(ValidationFailed) as caught:
        constellation_import(data=constellation_data)
    assert caught.value.details == [
        (
            "slug",
            "a constellation “demo” already exists; change the slug in the file to import a copy",
        )
    ]


def test_unknown_frameworks_competences_and_level_codes_are_named(frameworks, constellation_data):
    data = copy.deepcopy(constellation_data)
    data["badges"][0]["criteria"][0]["alignments"] = [
        {"framework": "nocomp", "competence": "1.1"},
        {"framework": "greencomp", "competence": "9.9"},
        {"framework": "digcompedu", "competence": "1.1", "level": "D1"},
        {"framework": "greencomp", "competence": "1.1", "level": "A1"},
    ]
    place = "badges[0].criteria[0].alignments"
    green = str(Framework.objects.get(slug="greencomp"))
    dig = str(Framework.objects.get(slug="digcompedu"))
    assert problems_of(data) == [
        (f"{place}[0].framework", "no framework “nocomp” is installed; import it first"),
        (
            f"{place}[1].competence",
            f"{green} has no competence “9.9”",
        ),
        (
            f"{place}[2].level",
            f"unknown level code “D1”; {dig} has A1, A2, B1, B2, C1, C2",
        ),
        (
            f"{place}[3].level",
            f"{green} has no proficiency levels",
        ),
    ]


def test_structure_problems_are_all_named(frameworks, constellation_data):
    data = copy.deepcopy(constellation_data)
    data["badges"][0]["kind"] = "mega"
    data["badges"][1]["criteria"][0]["evidence"] = {"files": 0}
    data["badges"][1]["slug"] = "one"
    data["badges"][2]["requires"] = {"count": 3, "badges": ["one", "ghost"]}
    assert problems_of(data) == [
        ("badges[0].kind", "must be micro, milestone or meta"),
        (
            "badges[1].criteria[0].evidence",
            "at least one file, link or reflection must be required",
        ),
        ("badges[1].slug", "duplicate badge slug “one” (also at badges[0].slug)"),
        ("badges[2].requires.badges[1]", "no badge “ghost” in this file"),
        ("badges[2].requires.count", "requires 3 badges but lists only 2"),
    ]


def test_a_milestone_must_count_micro_badges_and_a_meta_badge_milestones(
    frameworks, constellation_data
):
    data = copy.deepcopy(constellation_data)
    data["badges"].append(
        {"slug": "top", "kind": "meta", "name": "Top", "requires": {"count": 1, "badges": ["one"]}}
    )
    data["badges"][2]["requires"]["badges"] = ["one", "top"]
    assert problems_of(data) == [
        (
            "badges[2].requires.badges[1]",
            "“top” is not a micro badge; a milestone counts micro badges",
        ),
        (
            "badges[3].requires.badges[0]",
            "“one” is not a milestone; a meta badge counts milestones",
        ),
    ]


def test_a_file_that_is_not_an_object_or_lacks_badges_is_refused(frameworks):
    assert problems_of("edusta") == [("file", "a constellation file holds one JSON object")]
    assert problems_of({"slug": "x", "name": "X"}) == [("badges", "missing")]


def test_wrong_types_in_badges_are_named(frameworks, constellation_data):
    data = copy.deepcopy(constellation_data)
    data["badges"][0]["eqf_level"] = "six"
    data["badges"][0]["ects"] = True
    data["badges"][1]["review"] = {"review_days": 0}
    assert problems_of(data) == [
        ("badges[0].eqf_level", "must be a whole number, not text"),
        ("badges[0].ects", "must be a number, not true/false"),
        ("badges[1].review.review_days", "must be at least 1"),
    ]


def test_commands_export_and_import_a_constellation(
    frameworks, constellation_data, tmp_path, capsys, coordinator
):
    constellation_import(data=constellation_data, publish=True)
    call_command("export_constellation", "demo")
    exported = json.loads(capsys.readouterr().out)
    assert {"slug", "name", "badges"} <= set(exported)
    assert set(exported["badges"][2]) >= {"slug", "name", "kind", "requires"}
    exported["slug"] = "demo-2"
    path = tmp_path / "demo-2.json"
    path.write_text(json.dumps(exported))
    call_command("import_constellation", str(path), "--publish", "--coordinator", coordinator.email)
    assert capsys.readouterr().out == "Imported constellation demo-2 with 3 badges.\n"
    imported = Constellation.objects.get(slug="demo-2")
    assert list(imported.coordinators.all()) == [coordinator]
    assert set(
        BadgeVersion.objects.filter(badge__constellation=imported).values_list("status", flat=True)
    ) == {"published"}


def test_import_constellation_command_reports_problems(frameworks, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    with pytest.raises(CommandError) as caught:
        call_command("import_constellation", str(path))
    assert str(caught.value) == (
        "The file was not imported; nothing was changed.\n"
        "  line 1, column 2: not valid JSON: Expecting property name enclosed in double quotes"
    )
