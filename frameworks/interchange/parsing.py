"""Reading values out of an interchange file (format: docs/frameworks.md).

Everything is checked before anything is written. Each problem is reported as a
(place, problem) pair, the place written like a path into the file:
`areas[2].competences[0].code`. The readers here return a clean value or the default and
record what was wrong; the validators of each format build on them.

Before any reader sees it, a file's whole value is screened (`check_json_value`): no
number beyond `MAX_NUMBER` (nor one Python refuses to convert: a 5,000-digit integer),
no NaN or infinity, no text with NUL, other control characters or lone surrogates (which
PostgreSQL refuses and no reader of the export could decode), no key longer than
`MAX_KEY_LENGTH`, no nesting deeper than `MAX_DEPTH`.
"""

import json
import math
import re
import unicodedata
from collections.abc import Collection
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.errors import ValidationFailed

MAX_IMPORT_BYTES = 2 * 1024 * 1024
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[a-zA-Z0-9]{2,8})?$")
MAX_TEXT = 10_000
MAX_NUMBER = 10**15  # far beyond any count, order or level; well inside every database column
MAX_DEPTH = 20  # the formats nest about eight levels deep
MAX_KEY_LENGTH = 100
MAX_PROBLEMS = 100
_ALLOWED_CONTROLS = frozenset("\t\n\r")


class Problems:
    """Collects (place, problem) pairs; `raise_if_any` turns them into ValidationFailed.
    After `MAX_PROBLEMS` the rest is summed up in one line."""

    def __init__(self):
        self.items: list[tuple[str, str]] = []
        self.dropped = 0

    def add(self, place: str, problem: str) -> None:
        if len(self.items) >= MAX_PROBLEMS:
            self.dropped += 1
            return
        self.items.append((place or _("file"), str(problem)))

    @property
    def full(self) -> bool:
        return len(self.items) >= MAX_PROBLEMS

    def __bool__(self):
        return bool(self.items)

    def raise_if_any(self, message=None) -> None:
        if self.items:
            details = list(self.items)
            if self.dropped:
                details.append(
                    (_("file"), _("and %(count)s more problems") % {"count": self.dropped})
                )
            raise ValidationFailed(
                message or _("The file was not imported; nothing was changed."),
                details=details,
            )


class _RefusedNumber(ValueError):
    pass


def _parse_int(text: str) -> int:
    # Refused before int() reads it: a 5,000-digit integer is a ValueError there too.
    if len(text.lstrip("-")) > len(str(MAX_NUMBER)):
        raise _RefusedNumber(text)
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _RefusedNumber(text)
    return value


def _parse_constant(text: str):
    raise _RefusedNumber(text)


def _has_forbidden_characters(text: str) -> bool:
    return any(
        (unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS)
        or unicodedata.category(ch) == "Cs"
        for ch in text
    )


def check_json_value(value: object) -> None:
    """ValidationFailed naming every place (up to `MAX_PROBLEMS`) where `value` holds what
    no file of ours may hold (see the module), before any reader or database sees it."""
    problems = Problems()
    stack: list[tuple[object, str, int]] = [(value, "", 0)]
    while stack and not problems.full:
        item, place, depth = stack.pop()
        if depth > MAX_DEPTH:
            problems.add(place, _("nested more than %(limit)s levels deep") % {"limit": MAX_DEPTH})
            continue
        if isinstance(item, dict):
            children = []
            for key, child in item.items():
                if len(key) > MAX_KEY_LENGTH or _has_forbidden_characters(key):
                    problems.add(
                        place,
                        _(
                            "a key longer than %(limit)s characters or with characters that are not allowed"
                        )
                        % {"limit": MAX_KEY_LENGTH},
                    )
                    continue
                children.append((child, join_place(place, key), depth + 1))
            stack.extend(reversed(children))
        elif isinstance(item, list):
            stack.extend(
                (child, join_place(place, index), depth + 1)
                for index, child in reversed(list(enumerate(item)))
            )
        elif isinstance(item, str):
            if _has_forbidden_characters(item):
                problems.add(
                    place,
                    _("contains a NUL, another control character or a lone surrogate"),
                )
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if abs(item) > MAX_NUMBER:
                problems.add(place, _("a number too large (at most %(max)s)") % {"max": MAX_NUMBER})
        elif isinstance(item, float):
            if not math.isfinite(item) or abs(item) > MAX_NUMBER:
                problems.add(place, _("a number too large (at most %(max)s)") % {"max": MAX_NUMBER})
        else:
            problems.add(place, _("not a JSON value"))
    problems.raise_if_any()


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
        value = json.loads(
            text,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_parse_constant,
        )
    except _RefusedNumber as error:
        raise ValidationFailed(
            _("The file was not imported; nothing was changed."),
            details=[
                (
                    _("file"),
                    _("“%(number)s” is not a number this file may hold (at most %(max)s)")
                    % {"number": _shortened(str(error)), "max": MAX_NUMBER},
                )
            ],
        ) from None
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
    check_json_value(value)
    return value


def _shortened(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def join_place(base: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{base}[{key}]"
    key = _shortened(key)
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


def check_keys(obj: dict, place: str, allowed: Collection[str], problems: Problems) -> None:
    for key in obj:
        if key not in allowed:
            problems.add(join_place(place, key), _("unknown key"))


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
    here = join_place(place, key)
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
    here = join_place(place, key)
    if key not in obj or obj[key] is None:
        if required:
            problems.add(here, _("missing"))
        return default
    value = obj[key]
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(here, _("must be a whole number, not %(type)s") % {"type": _type_name(value)})
        return default
    # Without a bound of its own, what an integer column holds on every database.
    minimum = -(2**31) if minimum is None else minimum
    maximum = 2**31 - 1 if maximum is None else maximum
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
    here = join_place(place, key)
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
            join_place(place, key),
            _("“%(value)s” is not one of: %(choices)s")
            % {"value": value[:50], "choices": ", ".join(choices)},
        )
        return default
    return value or default


def get_translations(obj: dict, place: str, problems: Problems, fields: Collection[str]) -> dict:
    """{"de": {"name": "…"}}: language codes to texts of the given fields."""
    here = join_place(place, "translations")
    value = obj.get("translations")
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.add(here, _("must be an object, not %(type)s") % {"type": _type_name(value)})
        return {}
    result = {}
    for language, texts in value.items():
        lang_place = join_place(here, language)
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
            join_place(place, key), _("may only contain letters, digits, hyphens and underscores")
        )
    return value


def get_bool(obj, key, place, problems, default=False) -> bool:
    if key not in obj or obj[key] is None:
        return default
    if not isinstance(obj[key], bool):
        problems.add(
            join_place(place, key),
            _("must be true or false, not %(type)s") % {"type": _type_name(obj[key])},
        )
        return default
    return obj[key]


def get_ects(obj, key, place, problems):
    if obj.get(key) is None:
        return None
    value = obj[key]
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        problems.add(
            join_place(place, key),
            _("must be a number, not %(type)s") % {"type": _type_name(value)},
        )
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        problems.add(join_place(place, key), _("must be a number"))
        return None
    if number < 0 or number > 999:
        problems.add(join_place(place, key), _("must be between 0 and 999"))
        return None
    return number


def get_lines(obj, key, place, problems) -> str:
    """A list of texts (or one text), stored one per line."""
    value = obj.get(key)
    if not isinstance(value, list):
        return get_text(obj, key, place, problems)
    lines = []
    for index, line in enumerate(value):
        if not isinstance(line, str):
            problems.add(join_place(join_place(place, key), index), _("must be text"))
        elif line.strip():
            lines.append(line.strip())
    text = "\n".join(lines)
    if len(text) > MAX_TEXT:
        problems.add(
            join_place(place, key), _("longer than %(limit)s characters") % {"limit": MAX_TEXT}
        )
        return ""
    return text


def get_languages(obj, key, place, problems) -> list[str]:
    languages = []
    for index, language in enumerate(get_list(obj, key, place, problems, max_items=30)):
        if not isinstance(language, str) or not LANGUAGE_RE.match(language):
            problems.add(
                join_place(join_place(place, key), index), _("not a language code (like “en”)")
            )
        else:
            languages.append(language)
    return languages
