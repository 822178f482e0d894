"""The competence framework file (format "competence-framework/1", docs/frameworks.md).

`validate_framework` reads a file into normalised data; `framework_content` is the same
shape read from the database, so an import can tell an unchanged file from a new version;
`framework_export` writes the file.
"""

from typing import Any

from django.utils.translation import gettext as _

from ..models import Framework
from .fields import FRAMEWORK_FIELDS, FRAMEWORK_ITEM_FIELDS, read_fields, translated
from .parsing import (
    Problems,
    check_json_value,
    check_keys,
    expect_object,
    get_int,
    get_list,
    get_slug,
    get_translations,
    join_place,
)

FRAMEWORK_FORMAT = "competence-framework/1"

FRAMEWORK_KEYS = {
    "format",
    "slug",
    "version",
    *(field.json_key for field in FRAMEWORK_FIELDS),
    "translations",
    "levels",
    "areas",
    "exported_at",
}
ITEM_KEYS = {*(field.json_key for field in FRAMEWORK_ITEM_FIELDS), "translations"}
_CODE, *_ITEM_TEXTS = FRAMEWORK_ITEM_FIELDS


def _item(obj, place, problems, seen: dict, what: str) -> dict:
    """A level, area or competence: its code (unique among its kind) and texts."""
    code = _CODE.read(obj, place, problems)
    if code:
        if code in seen:
            problems.add(
                join_place(place, "code"),
                _("duplicate %(what)s code “%(code)s” (also at %(other)s)")
                % {"what": what, "code": code, "other": seen[code]},
            )
        else:
            seen[code] = join_place(place, "code")
    return (
        {"code": code}
        | read_fields(_ITEM_TEXTS, obj, place, problems)
        | {
            "translations": get_translations(
                obj, place, problems, translated(FRAMEWORK_ITEM_FIELDS)
            )
        }
    )


def validate_framework(data) -> dict:
    """A framework file's content → normalised dict, or ValidationFailed listing every problem."""
    check_json_value(data)
    problems = Problems()
    if expect_object(data, "", problems) is None:
        problems.add(_("file"), _("a framework file holds one JSON object"))
        problems.items = problems.items[-1:]
        problems.raise_if_any()
    check_keys(data, "", FRAMEWORK_KEYS, problems)
    result: dict[str, Any] = (
        {"slug": get_slug(data, "slug", "", problems)}
        | read_fields(FRAMEWORK_FIELDS, data, "", problems)
        | {
            "translations": get_translations(data, "", problems, translated(FRAMEWORK_FIELDS)),
            "levels": [],
            "areas": [],
        }
    )
    get_int(data, "version", "", problems, minimum=1)  # informative only

    level_codes: dict[str, str] = {}
    orders: list[tuple[int, str]] = []
    for index, raw in enumerate(get_list(data, "levels", "", problems, max_items=50)):
        place = join_place("levels", index)
        level = expect_object(raw, place, problems)
        if level is None:
            continue
        check_keys(level, place, {*ITEM_KEYS, "order"}, problems)
        order = get_int(level, "order", place, problems, minimum=1)
        if order is not None:
            orders.append((order, join_place(place, "order")))
        result["levels"].append(_item(level, place, problems, level_codes, _("level")))
    # Levels are ordered by their position; an explicit `order` must agree with it.
    previous = None
    for order, place in orders:
        if previous is not None and order <= previous:
            problems.add(
                place,
                _(
                    "levels must be listed from lowest to highest; order %(order)s comes after %(previous)s"
                )
                % {"order": order, "previous": previous},
            )
        previous = order

    area_codes: dict[str, str] = {}
    competence_codes: dict[str, str] = {}
    areas = get_list(data, "areas", "", problems, required=True, max_items=200)
    if "areas" in data and isinstance(data["areas"], list) and not areas:
        problems.add("areas", _("a framework needs at least one competence area"))
    for index, raw in enumerate(areas):
        place = join_place("areas", index)
        area = expect_object(raw, place, problems)
        if area is None:
            continue
        check_keys(area, place, {*ITEM_KEYS, "competences"}, problems)
        normalised = _item(area, place, problems, area_codes, _("area")) | {"competences": []}
        competences = get_list(area, "competences", place, problems, required=True, max_items=500)
        if "competences" in area and isinstance(area["competences"], list) and not competences:
            problems.add(
                join_place(place, "competences"), _("an area needs at least one competence")
            )
        for position, raw_competence in enumerate(competences):
            cplace = join_place(join_place(place, "competences"), position)
            competence = expect_object(raw_competence, cplace, problems)
            if competence is None:
                continue
            check_keys(competence, cplace, ITEM_KEYS, problems)
            normalised["competences"].append(
                _item(competence, cplace, problems, competence_codes, _("competence"))
            )
        result["areas"].append(normalised)
    problems.raise_if_any()
    return result


def _stored(fields, instance) -> dict:
    return {field.attr: getattr(instance, field.attr) for field in fields} | {
        "translations": instance.translations or {}
    }


def framework_content(framework: Framework) -> dict:
    """The comparable content of a stored framework (what an import would produce)."""
    return (
        {"slug": framework.slug}
        | _stored(FRAMEWORK_FIELDS, framework)
        | {
            "levels": [
                _stored(FRAMEWORK_ITEM_FIELDS, level)
                for level in framework.levels.order_by("order")
            ],
            "areas": [
                _stored(FRAMEWORK_ITEM_FIELDS, area)
                | {
                    "competences": [
                        _stored(FRAMEWORK_ITEM_FIELDS, competence)
                        for competence in sorted(
                            area.competences.all(), key=lambda c: (c.order, c.code)
                        )
                    ]
                }
                for area in framework.areas.prefetch_related("competences").order_by(
                    "order", "code"
                )
            ],
        }
    )


def framework_export(framework: Framework) -> dict:
    """A framework as JSON-ready data in the documented format (docs/frameworks.md)."""
    content = framework_content(framework)
    data = {"format": FRAMEWORK_FORMAT, "slug": content.pop("slug"), "version": framework.version}
    data.update(content)
    data["levels"] = [
        {"code": level["code"], "order": index, **{k: v for k, v in level.items() if k != "code"}}
        for index, level in enumerate(data["levels"], start=1)
    ]
    return drop_empty_translations(data)


def drop_empty_translations(value):
    if isinstance(value, dict):
        return {
            k: drop_empty_translations(v)
            for k, v in value.items()
            if not (k == "translations" and not v)
        }
    if isinstance(value, list):
        return [drop_empty_translations(item) for item in value]
    return value
