"""Validation of framework and constellation JSON files (format: docs/frameworks.md).

Everything is checked before anything is written. Each problem is reported as a
(place, problem) pair, the place written like a path into the file:
`areas[2].competences[0].code`. Validators return normalised data (plain dicts with every
key present) that services can write without further checks.
"""

import json
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.errors import ValidationFailed

from .models import AssessmentType, BadgeKind, DoubleAssessment, ParticipationForm

MAX_IMPORT_BYTES = 2 * 1024 * 1024
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[a-zA-Z0-9]{2,8})?$")
MAX_TEXT = 10_000


class Problems:
    """Collects (place, problem) pairs; `raise_if_any` turns them into ValidationFailed."""

    def __init__(self):
        self.items: list[tuple[str, str]] = []

    def add(self, place: str, problem: str) -> None:
        self.items.append((place or _("file"), str(problem)))

    def __bool__(self):
        return bool(self.items)

    def raise_if_any(self, message=None) -> None:
        if self.items:
            raise ValidationFailed(
                message or _("The file was not imported; nothing was changed."),
                details=self.items,
            )


def parse_json_bytes(data: bytes, *, max_bytes: int = MAX_IMPORT_BYTES) -> object:
    """Bytes of an uploaded or read file → a JSON value, or ValidationFailed naming the problem."""
    if len(data) > max_bytes:
        raise ValidationFailed(
            _("The file was not imported; nothing was changed."),
            details=[
                (
                    _("file"),
                    _("too large (%(size)s KB); the limit is %(limit)s KB")
                    % {"size": len(data) // 1024, "limit": max_bytes // 1024},
                )
            ],
        )
    if not data.strip():
        raise ValidationFailed(
            _("The file was not imported; nothing was changed."), details=[(_("file"), _("empty"))]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(
            _("The file was not imported; nothing was changed."),
            details=[(_("file"), _("not UTF-8 text"))],
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationFailed(
            _("The file was not imported; nothing was changed."),
            details=[
                (
                    _("line %(line)s, column %(column)s")
                    % {"line": error.lineno, "column": error.colno},
                    _("not valid JSON: %(reason)s") % {"reason": error.msg},
                )
            ],
        ) from None
    except RecursionError:
        raise ValidationFailed(
            _("The file was not imported; nothing was changed."),
            details=[(_("file"), _("nested too deeply to be read"))],
        ) from None


def _place(base: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{base}[{key}]"
    return f"{base}.{key}" if base else key


def _type_name(value) -> str:
    return {
        dict: "object",
        list: "list",
        str: "text",
        bool: "true/false",
        int: "number",
        float: "number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def expect_object(value, place: str, problems: Problems) -> dict | None:
    if not isinstance(value, dict):
        problems.add(place, _("must be an object, not %(type)s") % {"type": _type_name(value)})
        return None
    return value


def check_keys(obj: dict, place: str, allowed: set[str], problems: Problems) -> None:
    for key in obj:
        if key not in allowed:
            problems.add(_place(place, key), _("unknown key"))


def get_text(
    obj: dict,
    key: str,
    place: str,
    problems: Problems,
    *,
    required: bool = False,
    max_length: int = MAX_TEXT,
    default: str = "",
) -> str:
    here = _place(place, key)
    if key not in obj or obj[key] is None:
        if required:
            problems.add(here, _("missing"))
        return default
    value = obj[key]
    if not isinstance(value, str):
        problems.add(here, _("must be text, not %(type)s") % {"type": _type_name(value)})
        return default
    value = value.strip()
    if required and not value:
        problems.add(here, _("must not be empty"))
    if len(value) > max_length:
        problems.add(here, _("longer than %(limit)s characters") % {"limit": max_length})
    return value


def get_int(
    obj: dict,
    key: str,
    place: str,
    problems: Problems,
    *,
    required: bool = False,
    minimum: int | None = None,
    maximum: int | None = None,
    default=None,
):
    here = _place(place, key)
    if key not in obj or obj[key] is None:
        if required:
            problems.add(here, _("missing"))
        return default
    value = obj[key]
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(here, _("must be a whole number, not %(type)s") % {"type": _type_name(value)})
        return default
    if minimum is not None and value < minimum:
        problems.add(here, _("must be at least %(minimum)s") % {"minimum": minimum})
        return default
    if maximum is not None and value > maximum:
        problems.add(here, _("must be at most %(maximum)s") % {"maximum": maximum})
        return default
    return value


def get_list(
    obj: dict, key: str, place: str, problems: Problems, *, required=False, max_items=1000
):
    here = _place(place, key)
    if key not in obj or obj[key] is None:
        if required:
            problems.add(here, _("missing"))
        return []
    value = obj[key]
    if not isinstance(value, list):
        problems.add(here, _("must be a list, not %(type)s") % {"type": _type_name(value)})
        return []
    if len(value) > max_items:
        problems.add(here, _("more than %(limit)s entries") % {"limit": max_items})
        return []
    return value


def get_choice(obj, key, place, problems, *, choices, default):
    value = get_text(obj, key, place, problems, default=default)
    if value and value not in choices:
        problems.add(
            _place(place, key),
            _("“%(value)s” is not one of: %(choices)s")
            % {"value": value[:50], "choices": ", ".join(choices)},
        )
        return default
    return value or default


def get_translations(obj: dict, place: str, problems: Problems, fields: set[str]) -> dict:
    """{"de": {"name": "…"}}: language codes to texts of the given fields."""
    here = _place(place, "translations")
    value = obj.get("translations")
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.add(here, _("must be an object, not %(type)s") % {"type": _type_name(value)})
        return {}
    result = {}
    for language, texts in value.items():
        lang_place = _place(here, language)
        if not LANGUAGE_RE.match(str(language)):
            problems.add(lang_place, _("not a language code (like “de” or “pt-BR”)"))
            continue
        if not isinstance(texts, dict):
            problems.add(
                lang_place, _("must be an object, not %(type)s") % {"type": _type_name(texts)}
            )
            continue
        check_keys(texts, lang_place, fields, problems)
        cleaned = {}
        for name in fields:
            text = get_text(texts, name, lang_place, problems)
            if text:
                cleaned[name] = text
        if cleaned:
            result[language] = cleaned
    return result


def get_slug(obj, key, place, problems, *, required=True) -> str:
    value = get_text(obj, key, place, problems, required=required, max_length=80)
    if value and not SLUG_RE.match(value):
        problems.add(
            _place(place, key), _("may only contain letters, digits, hyphens and underscores")
        )
    return value


# Frameworks -------------------------------------------------------------------------------

FRAMEWORK_KEYS = {
    "format",
    "slug",
    "version",
    "name",
    "description",
    "source",
    "source_version",
    "translations",
    "levels",
    "areas",
    "exported_at",
}
NAMED_FIELDS = {"name", "description"}


def _code(obj, place, problems, seen: dict, what: str) -> str:
    code = get_text(obj, "code", place, problems, required=True, max_length=20)
    if code:
        if code in seen:
            problems.add(
                _place(place, "code"),
                _("duplicate %(what)s code “%(code)s” (also at %(other)s)")
                % {"what": what, "code": code, "other": seen[code]},
            )
        else:
            seen[code] = _place(place, "code")
    return code


def validate_framework(data) -> dict:
    """A framework file's content → normalised dict, or ValidationFailed listing every problem."""
    problems = Problems()
    if expect_object(data, "", problems) is None:
        problems.add(_("file"), _("a framework file holds one JSON object"))
        problems.items = problems.items[-1:]
        problems.raise_if_any()
    check_keys(data, "", FRAMEWORK_KEYS, problems)
    result = {
        "slug": get_slug(data, "slug", "", problems),
        "name": get_text(data, "name", "", problems, required=True, max_length=200),
        "description": get_text(data, "description", "", problems),
        "source": get_text(data, "source", "", problems, max_length=500),
        "source_version": get_text(data, "source_version", "", problems, max_length=50),
        "translations": get_translations(data, "", problems, NAMED_FIELDS),
        "levels": [],
        "areas": [],
    }
    get_int(data, "version", "", problems, minimum=1)  # informative only

    level_codes: dict[str, str] = {}
    orders: list[tuple[int, str]] = []
    for index, raw in enumerate(get_list(data, "levels", "", problems, max_items=50)):
        place = _place("levels", index)
        level = expect_object(raw, place, problems)
        if level is None:
            continue
        check_keys(level, place, {"code", "order", "name", "description", "translations"}, problems)
        order = get_int(level, "order", place, problems, minimum=1)
        if order is not None:
            orders.append((order, _place(place, "order")))
        result["levels"].append(
            {
                "code": _code(level, place, problems, level_codes, _("level")),
                "name": get_text(level, "name", place, problems, required=True, max_length=200),
                "description": get_text(level, "description", place, problems),
                "translations": get_translations(level, place, problems, NAMED_FIELDS),
            }
        )
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
        place = _place("areas", index)
        area = expect_object(raw, place, problems)
        if area is None:
            continue
        check_keys(
            area, place, {"code", "name", "description", "translations", "competences"}, problems
        )
        normalised = {
            "code": _code(area, place, problems, area_codes, _("area")),
            "name": get_text(area, "name", place, problems, required=True, max_length=200),
            "description": get_text(area, "description", place, problems),
            "translations": get_translations(area, place, problems, NAMED_FIELDS),
            "competences": [],
        }
        competences = get_list(area, "competences", place, problems, required=True, max_items=500)
        if "competences" in area and isinstance(area["competences"], list) and not competences:
            problems.add(_place(place, "competences"), _("an area needs at least one competence"))
        for position, raw_competence in enumerate(competences):
            cplace = _place(_place(place, "competences"), position)
            competence = expect_object(raw_competence, cplace, problems)
            if competence is None:
                continue
            check_keys(
                competence, cplace, {"code", "name", "description", "translations"}, problems
            )
            normalised["competences"].append(
                {
                    "code": _code(competence, cplace, problems, competence_codes, _("competence")),
                    "name": get_text(
                        competence, "name", cplace, problems, required=True, max_length=200
                    ),
                    "description": get_text(competence, "description", cplace, problems),
                    "translations": get_translations(competence, cplace, problems, NAMED_FIELDS),
                }
            )
        result["areas"].append(normalised)
    problems.raise_if_any()
    return result


# Constellations ---------------------------------------------------------------------------

CONSTELLATION_KEYS = {
    "format",
    "slug",
    "name",
    "description",
    "is_illustrative",
    "translations",
    "badges",
    "frameworks",
    "exported_at",
}
BADGE_KEYS = {
    "slug",
    "kind",
    "name",
    "version",
    "status",
    "description",
    "criteria_narrative",
    "learning_outcomes",
    "eqf_level",
    "ects",
    "workload_hours",
    "assessment_type",
    "participation_form",
    "quality_assurance",
    "prerequisites",
    "validity_months",
    "languages",
    "review",
    "criteria",
    "requires",
    "translations",
}
REVIEW_KEYS = {"max_rounds", "review_days", "double_assessment", "sample_percent", "hide_assessors"}
CRITERION_KEYS = {
    "code",
    "title",
    "description",
    "evidence",
    "rubric",
    "alignments",
    "translations",
}
ALIGNMENT_KEYS = {"framework", "framework_version", "competence", "level"}
REQUIRED_KIND = {BadgeKind.MILESTONE: BadgeKind.MICRO, BadgeKind.META: BadgeKind.MILESTONE}


def _bool(obj, key, place, problems, default=False) -> bool:
    if key not in obj or obj[key] is None:
        return default
    if not isinstance(obj[key], bool):
        problems.add(
            _place(place, key),
            _("must be true or false, not %(type)s") % {"type": _type_name(obj[key])},
        )
        return default
    return obj[key]


def _ects(obj, place, problems):
    if obj.get("ects") is None:
        return None
    value = obj["ects"]
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        problems.add(
            _place(place, "ects"), _("must be a number, not %(type)s") % {"type": _type_name(value)}
        )
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        problems.add(_place(place, "ects"), _("must be a number"))
        return None
    if number < 0 or number > 999:
        problems.add(_place(place, "ects"), _("must be between 0 and 999"))
        return None
    return number


def _criterion(raw, place, problems) -> dict | None:
    criterion = expect_object(raw, place, problems)
    if criterion is None:
        return None
    check_keys(criterion, place, CRITERION_KEYS, problems)
    evidence = criterion.get("evidence")
    counts = {"files": 0, "links": 0, "reflections": 0}
    eplace = _place(place, "evidence")
    if evidence is None:
        problems.add(eplace, _("missing (say how many files, links and reflections are required)"))
    elif expect_object(evidence, eplace, problems) is not None:
        check_keys(evidence, eplace, set(counts), problems)
        for kind in counts:
            counts[kind] = get_int(
                evidence, kind, eplace, problems, minimum=0, maximum=20, default=0
            )
        if not any(counts.values()):
            problems.add(eplace, _("at least one file, link or reflection must be required"))
    rubric = []
    for index, raw_level in enumerate(get_list(criterion, "rubric", place, problems, max_items=10)):
        rplace = _place(_place(place, "rubric"), index)
        level = expect_object(raw_level, rplace, problems)
        if level is None:
            continue
        check_keys(level, rplace, {"name", "descriptor", "passing", "translations"}, problems)
        rubric.append(
            {
                "name": get_text(level, "name", rplace, problems, required=True, max_length=100),
                "descriptor": get_text(level, "descriptor", rplace, problems),
                "passing": _bool(level, "passing", rplace, problems),
                "translations": get_translations(level, rplace, problems, {"name", "descriptor"}),
            }
        )
    if rubric and not any(level["passing"] for level in rubric):
        problems.add(
            _place(place, "rubric"), _("at least one rubric level must be marked as passing")
        )
    alignments = []
    for index, raw_alignment in enumerate(
        get_list(criterion, "alignments", place, problems, max_items=50)
    ):
        aplace = _place(_place(place, "alignments"), index)
        alignment = expect_object(raw_alignment, aplace, problems)
        if alignment is None:
            continue
        check_keys(alignment, aplace, ALIGNMENT_KEYS, problems)
        alignments.append(
            {
                "place": aplace,
                "framework": get_slug(alignment, "framework", aplace, problems),
                "framework_version": get_int(
                    alignment, "framework_version", aplace, problems, minimum=1
                ),
                "competence": get_text(
                    alignment, "competence", aplace, problems, required=True, max_length=20
                ),
                "level": get_text(alignment, "level", aplace, problems, max_length=20),
            }
        )
    return {
        "code": get_text(criterion, "code", place, problems, max_length=20),
        "title": get_text(criterion, "title", place, problems, required=True, max_length=300),
        "description": get_text(criterion, "description", place, problems),
        "required_files": counts["files"],
        "required_links": counts["links"],
        "required_reflections": counts["reflections"],
        "translations": get_translations(criterion, place, problems, {"title", "description"}),
        "rubric": rubric,
        "alignments": alignments,
    }


def _badge(raw, place, problems) -> dict | None:
    badge = expect_object(raw, place, problems)
    if badge is None:
        return None
    check_keys(badge, place, BADGE_KEYS, problems)
    kind = get_text(badge, "kind", place, problems, required=True)
    if kind and kind not in BadgeKind.values:
        problems.add(_place(place, "kind"), _("must be micro, milestone or meta"))
        kind = ""
    outcomes = badge.get("learning_outcomes")
    if isinstance(outcomes, list):
        lines = []
        for index, line in enumerate(outcomes):
            if not isinstance(line, str):
                problems.add(_place(_place(place, "learning_outcomes"), index), _("must be text"))
            elif line.strip():
                lines.append(line.strip())
        outcomes = "\n".join(lines)
    else:
        outcomes = get_text(badge, "learning_outcomes", place, problems)
    languages = []
    for index, language in enumerate(get_list(badge, "languages", place, problems, max_items=30)):
        if not isinstance(language, str) or not LANGUAGE_RE.match(language):
            problems.add(
                _place(_place(place, "languages"), index), _("not a language code (like “en”)")
            )
        else:
            languages.append(language)
    review = badge.get("review") or {}
    rplace = _place(place, "review")
    if expect_object(review, rplace, problems) is None:
        review = {}
    check_keys(review, rplace, REVIEW_KEYS, problems)
    result = {
        "slug": get_slug(badge, "slug", place, problems),
        "kind": kind,
        "title": get_text(badge, "name", place, problems, required=True, max_length=200),
        "description": get_text(badge, "description", place, problems),
        "criteria_narrative": get_text(badge, "criteria_narrative", place, problems),
        "learning_outcomes": outcomes,
        "eqf_level": get_int(badge, "eqf_level", place, problems, minimum=1, maximum=8),
        "ects": _ects(badge, place, problems),
        "workload_hours": get_int(
            badge, "workload_hours", place, problems, minimum=0, maximum=100_000
        ),
        "assessment_type": get_choice(
            badge,
            "assessment_type",
            place,
            problems,
            choices=AssessmentType.values,
            default=AssessmentType.ARTEFACT,
        ),
        "participation_form": get_choice(
            badge,
            "participation_form",
            place,
            problems,
            choices=ParticipationForm.values,
            default=ParticipationForm.ONLINE,
        ),
        "quality_assurance": get_text(badge, "quality_assurance", place, problems, max_length=500),
        "prerequisites": get_text(badge, "prerequisites", place, problems),
        "validity_months": get_int(
            badge, "validity_months", place, problems, minimum=1, maximum=1200
        ),
        "languages": languages,
        "max_rounds": get_int(review, "max_rounds", rplace, problems, minimum=1, maximum=100),
        "review_days": get_int(
            review, "review_days", rplace, problems, minimum=1, maximum=365, default=14
        ),
        "double_assessment": get_choice(
            review,
            "double_assessment",
            rplace,
            problems,
            choices=DoubleAssessment.values,
            default=DoubleAssessment.NONE,
        ),
        "sample_percent": get_int(
            review, "sample_percent", rplace, problems, minimum=0, maximum=100, default=0
        ),
        "hide_assessors": _bool(review, "hide_assessors", rplace, problems),
        "translations": get_translations(
            badge, place, problems, {"title", "description", "criteria_narrative"}
        ),
        "criteria": [],
        "requires": None,
    }
    criteria = get_list(badge, "criteria", place, problems, max_items=50)
    if kind == BadgeKind.MICRO:
        for index, raw_criterion in enumerate(criteria):
            criterion = _criterion(
                raw_criterion, _place(_place(place, "criteria"), index), problems
            )
            if criterion:
                result["criteria"].append(criterion)
        if badge.get("requires") is not None:
            problems.add(
                _place(place, "requires"), _("only milestone and meta badges require other badges")
            )
    elif kind:
        if criteria:
            problems.add(_place(place, "criteria"), _("only micro badges have criteria"))
        requires = badge.get("requires")
        qplace = _place(place, "requires")
        if requires is None:
            problems.add(
                qplace,
                _("missing (a %(kind)s badge says how many of which badges it requires)")
                % {"kind": kind},
            )
        elif expect_object(requires, qplace, problems) is not None:
            check_keys(requires, qplace, {"count", "badges"}, problems)
            slugs = []
            for index, slug in enumerate(
                get_list(requires, "badges", qplace, problems, required=True, max_items=200)
            ):
                if not isinstance(slug, str):
                    problems.add(
                        _place(_place(qplace, "badges"), index), _("must be a badge slug (text)")
                    )
                else:
                    slugs.append(slug)
            result["requires"] = {
                "count": get_int(requires, "count", qplace, problems, required=True, minimum=1),
                "badges": slugs,
            }
    return result


def validate_constellation(data) -> dict:
    """A constellation file → normalised dict. References to frameworks are resolved by the service."""
    problems = Problems()
    if expect_object(data, "", problems) is None:
        problems.items = [(_("file"), _("a constellation file holds one JSON object"))]
        problems.raise_if_any()
    check_keys(data, "", CONSTELLATION_KEYS, problems)
    result = {
        "slug": get_slug(data, "slug", "", problems),
        "name": get_text(data, "name", "", problems, required=True, max_length=200),
        "description": get_text(data, "description", "", problems),
        "is_illustrative": _bool(data, "is_illustrative", "", problems),
        "translations": get_translations(data, "", problems, NAMED_FIELDS),
        "badges": [],
    }
    seen: dict[str, tuple[str, str]] = {}
    for index, raw in enumerate(
        get_list(data, "badges", "", problems, required=True, max_items=500)
    ):
        place = _place("badges", index)
        badge = _badge(raw, place, problems)
        if badge is None:
            continue
        badge["place"] = place
        if badge["slug"]:
            if badge["slug"] in seen:
                problems.add(
                    _place(place, "slug"),
                    _("duplicate badge slug “%(slug)s” (also at %(other)s)")
                    % {"slug": badge["slug"], "other": seen[badge["slug"]][0]},
                )
            else:
                seen[badge["slug"]] = (_place(place, "slug"), badge["kind"])
        result["badges"].append(badge)
    for badge in result["badges"]:
        requires = badge["requires"]
        if not requires:
            continue
        qplace = _place(badge["place"], "requires")
        wanted = REQUIRED_KIND.get(badge["kind"])
        for index, slug in enumerate(requires["badges"]):
            if slug not in seen:
                problems.add(
                    _place(_place(qplace, "badges"), index),
                    _("no badge “%(slug)s” in this file") % {"slug": slug[:80]},
                )
            elif seen[slug][1] and seen[slug][1] != wanted:
                problems.add(
                    _place(_place(qplace, "badges"), index),
                    _("“%(slug)s” is a %(kind)s badge; a %(this)s badge counts %(wanted)s badges")
                    % {
                        "slug": slug,
                        "kind": seen[slug][1],
                        "this": badge["kind"],
                        "wanted": wanted,
                    },
                )
        if len(set(requires["badges"])) != len(requires["badges"]):
            problems.add(_place(qplace, "badges"), _("lists a badge twice"))
        count = requires["count"]
        if count is not None and count > len(requires["badges"]):
            problems.add(
                _place(qplace, "count"),
                _("requires %(count)s badges but lists only %(listed)s")
                % {"count": count, "listed": len(requires["badges"])},
            )
    problems.raise_if_any()
    return result
