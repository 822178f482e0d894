"""Hostile JSON against the framework and constellation imports: at every place of a valid
file, a value that no file may hold (extreme numbers, NaN, lone surrogates, NUL and other
control characters, deep nesting, huge texts) or a value of the wrong type. Each is
answered with a 400 naming the problem, and nothing is stored."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from frameworks.interchange.parsing import MAX_DEPTH
from frameworks.models import Badge, Competence, Constellation, Framework
from frameworks.services import framework_import

pytestmark = pytest.mark.django_db

MARK = "__HOSTILE_VALUE__"
NOT_IMPORTED = "The file was not imported; nothing was changed."

HOSTILE = {
    "5000-digit integer": "9" * 5000,
    "negative 5000-digit integer": "-" + "9" * 5000,
    "integer beyond 10**15": "12345678901234567890",
    "float beyond the range": "1e999",
    "float with 5000 digits": "1" + "0" * 5000 + ".5",
    "NaN": "NaN",
    "Infinity": "-Infinity",
    "lone surrogate": '"\\ud800"',
    "lone low surrogate in text": '"a\\udfffb"',
    "NUL": '"a\\u0000b"',
    "escape character": '"\\u001b[31mred"',
    "deep nesting": "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5),
    "very deep nesting": "[" * 100_000 + "]" * 100_000,
    "huge text": json.dumps("x" * 200_000),
    "huge key": json.dumps({"k" * 5000: 1}),
    "key with NUL": '{"a\\u0000": 1}',
}


def _places(value, path=()):
    """Every place in a JSON value, as a path of keys and indexes."""
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _places(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _places(child, (*path, index))


def _replaced(document, path, replacement):
    copy = json.loads(json.dumps(document))
    if not path:
        return replacement
    node = copy
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = replacement
    return copy


def _wrong_type(value):
    if isinstance(value, dict):
        return "text"
    if isinstance(value, list):
        return {"unexpected": 1}
    if isinstance(value, str):
        return {"unexpected": []}
    return ["unexpected"]


def _node(document, path):
    for step in path:
        document = document[step]
    return document


def _hostile_files(document):
    for path in _places(document):
        placed = json.dumps(_replaced(document, path, MARK))
        for name, raw in HOSTILE.items():
            yield f"{name} at {list(path)}", placed.replace(json.dumps(MARK), raw).encode()
        wrong = _wrong_type(_node(document, path))
        yield f"wrong type at {list(path)}", json.dumps(_replaced(document, path, wrong)).encode()


def _stored():
    return (
        Framework.objects.count(),
        Competence.objects.count(),
        Constellation.objects.count(),
        Badge.objects.count(),
    )


def _post_each(client, url, document, **extra):
    files = _hostile_files(document)
    before = _stored()
    failures = []
    for label, content in files:
        upload = SimpleUploadedFile("hostile.json", content, content_type="application/json")
        response = client.post(url, {"file": upload, **extra})
        problems = response.context["problems"] if response.context else None
        if (
            response.status_code != 400
            or not problems
            or NOT_IMPORTED not in response.content.decode()
        ):
            failures.append((label, response.status_code, problems))
    assert failures == []
    assert _stored() == before
    # The file they were made from imports: every refusal above is the hostile value's.
    valid = SimpleUploadedFile("valid.json", json.dumps(document).encode(), "application/json")
    assert client.post(url, {"file": valid, **extra}).status_code == 302
    assert _stored() != before


def test_hostile_framework_files_are_refused_and_nothing_is_stored(
    client, coordinator, small_framework_data
):
    client.force_login(coordinator)

    _post_each(client, "/frameworks/import/", small_framework_data)


def test_hostile_constellation_files_are_refused_and_nothing_is_stored(
    client, coordinator, greencomp_data
):
    framework_import(data=greencomp_data)
    document = {
        "slug": "hostile",
        "name": "Hostile",
        "badges": [
            {
                "slug": "one",
                "kind": "micro",
                "name": "One",
                "description": "Shows it.",
                "learning_outcomes": ["Does it."],
                "ects": 1,
                "workload_hours": 25,
                "quality_assurance": "Internal QA.",
                "review": {"max_rounds": 2, "review_days": 7},
                "criteria": [
                    {
                        "title": "Evidence",
                        "evidence": {"files": 1},
                        "rubric": [{"name": "Not yet"}, {"name": "Met", "passing": True}],
                        "alignments": [{"framework": "greencomp", "competence": "2.1"}],
                    }
                ],
                "translations": {"de": {"title": "Eins"}},
            }
        ],
    }
    client.force_login(coordinator)

    _post_each(client, "/frameworks/constellations/import/", document, publish="on")


def test_the_problem_names_its_place(client, coordinator, small_framework_data):
    small_framework_data["areas"][0]["competences"][1]["name"] = MARK
    content = json.dumps(small_framework_data).replace(json.dumps(MARK), '"a\\u0000b"')
    client.force_login(coordinator)

    response = client.post(
        "/frameworks/import/",
        {"file": SimpleUploadedFile("f.json", content.encode(), "application/json")},
    )

    assert response.status_code == 400
    assert response.context["problems"] == [
        (
            "areas[0].competences[1].name",
            "contains a NUL, another control character or a lone surrogate",
        )
    ]


def test_a_huge_integer_is_named_without_echoing_it(client, coordinator, small_framework_data):
    content = json.dumps(small_framework_data).replace('"Tiny framework"', "9" * 5000)
    client.force_login(coordinator)

    response = client.post(
        "/frameworks/import/",
        {"file": SimpleUploadedFile("f.json", content.encode(), "application/json")},
    )

    assert response.status_code == 400
    assert response.context["problems"] == [
        (
            "file",
            "“" + "9" * 39 + "…” is not a number this file may hold (at most 1000000000000000)",
        )
    ]


@pytest.mark.parametrize("name", ["5000-digit integer", "lone surrogate", "NUL", "deep nesting"])
def test_the_import_commands_refuse_hostile_files(tmp_path, small_framework_data, name):
    content = json.dumps(_replaced(small_framework_data, ("name",), MARK))
    path = tmp_path / "hostile.json"
    path.write_bytes(content.replace(json.dumps(MARK), HOSTILE[name]).encode())

    for command in ("import_framework", "import_constellation"):
        with pytest.raises(CommandError) as error:
            call_command(command, str(path))
        assert str(error.value).startswith(NOT_IMPORTED)
    assert _stored() == (0, 0, 0, 0)
