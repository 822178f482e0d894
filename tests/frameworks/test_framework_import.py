import copy
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.errors import ValidationFailed
from core.models import AuditEvent
from frameworks.interchange import parse_json_bytes
from frameworks.models import Competence, CompetenceArea, Framework, ProficiencyLevel
from frameworks.services import framework_export, framework_import
from tests.factories.frameworks import CriterionAlignmentFactory

pytestmark = pytest.mark.django_db


def problems_of(data) -> list[tuple[str, str]]:
    with pytest.raises(ValidationFailed) as caught:
        framework_import(data=data, actor=None)
    return caught.value.details


def test_shipped_greencomp_has_four_areas_twelve_competences_and_no_levels(greencomp_data):
    framework = framework_import(data=greencomp_data).framework
    assert (framework.slug, framework.version) == ("greencomp", 1)
    assert framework.areas.count() == 4
    assert framework.competences.count() == 12
    assert framework.levels.count() == 0
    assert framework.competences.get(code="2.1").name == "Systems thinking"
    assert "doi:10.2760/13286" in framework.source


def test_shipped_digcompedu_has_six_areas_twenty_two_competences_and_six_ordered_levels(
    digcompedu_data,
):
    framework = framework_import(data=digcompedu_data).framework
    assert framework.areas.count() == 6
    assert framework.competences.count() == 22
    assert list(framework.levels.values_list("code", "name")) == [
        ("A1", "Newcomer"),
        ("A2", "Explorer"),
        ("B1", "Integrator"),
        ("B2", "Expert"),
        ("C1", "Leader"),
        ("C2", "Pioneer"),
    ]
    assert "doi:10.2760/159770" in framework.source


def test_import_records_an_audit_event(small_framework_data, coordinator):
    framework = framework_import(data=small_framework_data, actor=coordinator).framework
    event = AuditEvent.objects.get(action="framework.imported")
    assert (event.object_id, event.actor) == (str(framework.pk), coordinator)
    assert event.data["competences"] == 2


def test_import_refuses_people_without_the_coordinator_role(small_framework_data, auditor):
    from core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        framework_import(data=small_framework_data, actor=auditor)
    assert Framework.objects.count() == 0


def test_invalid_json_names_line_and_column():
    with pytest.raises(ValidationFailed) as caught:
        parse_json_bytes(b'{"slug": "x",\n "name": }')
    assert caught.value.details == [("line 2, column 10", "not valid JSON: Expecting value")]


def test_a_too_large_file_is_refused_before_parsing():
    with pytest.raises(ValidationFailed) as caught:
        parse_json_bytes(b" " * 100 + b"{}", max_bytes=50)
    assert caught.value.details == [("file", "too large (0 KB); the limit is 0 KB")]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationFailed) as caught:
        parse_json_bytes(b"  \n")
    assert caught.value.details == [("file", "empty")]


def test_a_file_that_is_not_an_object_is_refused():
    assert problems_of([1, 2]) == [("file", "a framework file holds one JSON object")]


def test_missing_keys_are_named_with_their_place(small_framework_data):
    data = copy.deepcopy(small_framework_data)
    del data["name"]
    del data["areas"][0]["competences"][1]["code"]
    assert problems_of(data) == [
        ("name", "missing"),
        ("areas[0].competences[1].code", "missing"),
    ]


def test_wrong_types_are_named_with_their_place(small_framework_data):
    data = copy.deepcopy(small_framework_data)
    data["levels"] = "A1, A2"
    data["areas"][0]["name"] = 7
    data["areas"][0]["competences"][0] = "1.1 First"
    assert problems_of(data) == [
        ("levels", "must be a list, not text"),
        ("areas[0].name", "must be text, not number"),
        ("areas[0].competences[0]", "must be an object, not text"),
    ]


def test_duplicate_codes_are_refused(small_framework_data):
    data = copy.deepcopy(small_framework_data)
    data["areas"][0]["competences"][1]["code"] = "1.1"
    data["levels"][1]["code"] = "L1"
    assert problems_of(data) == [
        ("levels[1].code", "duplicate level code “L1” (also at levels[0].code)"),
        (
            "areas[0].competences[1].code",
            "duplicate competence code “1.1” (also at areas[0].competences[0].code)",
        ),
    ]


def test_levels_out_of_order_are_refused(small_framework_data):
    data = copy.deepcopy(small_framework_data)
    data["levels"][0]["order"] = 2
    data["levels"][1]["order"] = 1
    assert problems_of(data) == [
        ("levels[1].order", "levels must be listed from lowest to highest; order 1 comes after 2"),
    ]


def test_unknown_keys_and_bad_slugs_are_refused(small_framework_data):
    data = copy.deepcopy(small_framework_data)
    data["slug"] = "not a slug!"
    data["areas"][0]["competencies"] = []
    assert problems_of(data) == [
        ("slug", "may only contain letters, digits, hyphens and underscores"),
        ("areas[0].competencies", "unknown key"),
    ]


def test_a_bad_file_imports_nothing_at_all(small_framework_data):
    data = copy.deepcopy(small_framework_data)
    data["areas"].append({"code": "2", "name": "Broken", "competences": [{"name": "no code"}]})
    problems_of(data)
    assert (
        Framework.objects.count(),
        CompetenceArea.objects.count(),
        Competence.objects.count(),
    ) == (0, 0, 0)
    assert ProficiencyLevel.objects.count() == 0


def test_reimporting_identical_content_changes_nothing(small_framework_data):
    first = framework_import(data=small_framework_data)
    again = framework_import(data=copy.deepcopy(small_framework_data))
    assert (first.created, again.created) == (True, False)
    assert again.framework == first.framework
    assert Framework.objects.count() == 1


def test_reimporting_an_export_changes_nothing(digcompedu_data):
    framework = framework_import(data=digcompedu_data).framework
    exported = json.loads(json.dumps(framework_export(framework)))
    assert framework_import(data=exported).created is False


def test_reimporting_changed_content_creates_the_next_version_and_alignments_keep_the_old_one(
    small_framework_data,
):
    v1 = framework_import(data=small_framework_data).framework
    old_competence = v1.competences.get(code="1.1")
    alignment = CriterionAlignmentFactory(competence=old_competence)
    changed = copy.deepcopy(small_framework_data)
    changed["areas"][0]["competences"][0]["name"] = "First, renamed"
    result = framework_import(data=changed)
    assert result.created is True
    assert (result.framework.slug, result.framework.version) == ("tiny", 2)
    assert result.framework.competences.get(code="1.1").name == "First, renamed"
    alignment.refresh_from_db()
    assert alignment.competence == old_competence
    assert alignment.competence.framework.version == 1
    assert alignment.competence.name == "First"


def test_export_has_the_documented_keys(small_framework_data):
    framework = framework_import(data=small_framework_data).framework
    data = framework_export(framework)
    assert data["slug"] == "tiny"
    assert data["name"] == "Tiny framework"
    assert data["version"] == 1
    assert data["levels"] == [
        {"code": "L1", "order": 1, "name": "Starter", "description": ""},
        {"code": "L2", "order": 2, "name": "Practitioner", "description": ""},
    ]
    assert data["areas"][0]["code"] == "1"
    assert data["areas"][0]["competences"][0] == {
        "code": "1.1",
        "name": "First",
        "description": "The first competence.",
    }


def test_translations_are_imported_and_used_by_localized(small_framework_data):
    data = copy.deepcopy(small_framework_data)
    data["areas"][0]["competences"][0]["translations"] = {"de": {"name": "Erste"}}
    framework = framework_import(data=data).framework
    competence = framework.competences.get(code="1.1")
    assert competence.localized("name", "de") == "Erste"
    assert competence.localized("name", "fr") == "First"


def test_bad_translations_are_refused(small_framework_data):
    data = copy.deepcopy(small_framework_data)
    data["translations"] = {"German": {"name": "x"}, "de": {"title": "x"}}
    assert problems_of(data) == [
        ("translations.German", "not a language code (like “de” or “pt-BR”)"),
        ("translations.de.title", "unknown key"),
    ]


# Management commands ----------------------------------------------------------------------


def test_import_framework_command_imports_a_file_and_reports_unchanged_the_second_time(
    tmp_path, capsys
):
    from frameworks.demo import DATA_DIR

    call_command("import_framework", str(DATA_DIR / "greencomp.json"))
    call_command("import_framework", str(DATA_DIR / "greencomp.json"))
    out = capsys.readouterr().out
    assert (
        out
        == "Imported greencomp version 1.\ngreencomp version 1 is unchanged; nothing imported.\n"
    )


def test_import_framework_command_lists_every_problem(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"slug": "x", "areas": [{"code": "1", "name": "A", "competences": [{}]}]})
    )
    with pytest.raises(CommandError) as caught:
        call_command("import_framework", str(bad))
    assert str(caught.value) == (
        "The file was not imported; nothing was changed.\n"
        "  name: missing\n"
        "  areas[0].competences[0].code: missing\n"
        "  areas[0].competences[0].name: missing"
    )


def test_export_framework_command_prints_json_with_the_required_keys(digcompedu_data, capsys):
    framework_import(data=digcompedu_data)
    call_command("export_framework", "digcompedu")
    data = json.loads(capsys.readouterr().out)
    assert {"slug", "name", "version", "levels", "areas"} <= set(data)
    assert data["levels"][0]["code"] == "A1"
    assert set(data["areas"][0]) >= {"code", "name", "competences"}
    assert set(data["areas"][0]["competences"][0]) >= {"code", "name", "description"}


def test_export_framework_command_fails_clearly_for_an_unknown_slug():
    with pytest.raises(CommandError, match="No framework with slug 'nope'"):
        call_command("export_framework", "nope")


def test_seed_frameworks_installs_both_shipped_frameworks_once(capsys):
    call_command("seed_frameworks")
    call_command("seed_frameworks")
    assert capsys.readouterr().out == (
        "greencomp v1: imported\ndigcompedu v1: imported\ngreencomp v1: unchanged\ndigcompedu v1: unchanged\n"
    )
    assert Framework.objects.count() == 2
