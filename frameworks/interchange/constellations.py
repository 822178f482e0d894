"""The badge constellation file (format "badge-constellation/1", docs/frameworks.md).

`validate_constellation` reads a file into normalised data (references to frameworks are
resolved by the import service); `constellation_export` writes the file. Both walk the
field tables of `frameworks.interchange.fields`.
"""

from datetime import UTC, datetime
from typing import Any

from django.utils.translation import gettext as _

from ..models import (
    REQUIRED_KIND,
    BadgeKind,
    BadgeStatus,
    BadgeVersion,
    Constellation,
    Criterion,
    wrong_required_kind,
)
from ..selectors import criteria_in_full
from .fields import (
    BADGE_VERSION_FIELDS,
    CONSTELLATION_FIELDS,
    CRITERION_FIELDS,
    RUBRIC_LEVEL_FIELDS,
    dump_fields,
    in_group,
    read_fields,
    translated,
)
from .frameworks import drop_empty_translations
from .parsing import (
    Problems,
    check_json_value,
    check_keys,
    expect_object,
    get_int,
    get_list,
    get_slug,
    get_text,
    get_translations,
    join_place,
)

CONSTELLATION_FORMAT = "badge-constellation/1"

_BADGE_TOP = in_group(BADGE_VERSION_FIELDS, "")
_REVIEW = in_group(BADGE_VERSION_FIELDS, "review")
_REQUIRES = in_group(BADGE_VERSION_FIELDS, "requires")
# List-valued keys are read before the others, so their problems are reported first.
_READ_FIRST = tuple(f for f in _BADGE_TOP if f.kind in ("lines", "languages"))
_READ_AFTER_SLUG = tuple(f for f in _BADGE_TOP if f.imported and f not in _READ_FIRST)
_CRITERION_TOP = in_group(CRITERION_FIELDS, "")
_EVIDENCE = in_group(CRITERION_FIELDS, "evidence")

CONSTELLATION_KEYS = {
    "format",
    "slug",
    *(f.json_key for f in CONSTELLATION_FIELDS),
    "translations",
    "badges",
    "frameworks",
    "exported_at",
}
BADGE_KEYS = {
    "slug",
    "kind",
    *(f.json_key for f in _BADGE_TOP),
    "review",
    "criteria",
    "requires",
    "translations",
}
REVIEW_KEYS = {f.json_key for f in _REVIEW}
CRITERION_KEYS = {
    *(f.json_key for f in _CRITERION_TOP),
    "evidence",
    "rubric",
    "alignments",
    "translations",
}
RUBRIC_LEVEL_KEYS = {*(f.json_key for f in RUBRIC_LEVEL_FIELDS), "translations"}
ALIGNMENT_KEYS = {"framework", "framework_version", "competence", "level"}


# Reading ----------------------------------------------------------------------------------


def _criterion(raw, place, problems) -> dict | None:
    criterion = expect_object(raw, place, problems)
    if criterion is None:
        return None
    check_keys(criterion, place, CRITERION_KEYS, problems)
    evidence = criterion.get("evidence")
    counts = {field.attr: field.default for field in _EVIDENCE}
    eplace = join_place(place, "evidence")
    if evidence is None:
        problems.add(eplace, _("missing (say how many files, links and reflections are required)"))
    elif expect_object(evidence, eplace, problems) is not None:
        check_keys(evidence, eplace, {f.json_key for f in _EVIDENCE}, problems)
        counts = read_fields(_EVIDENCE, evidence, eplace, problems)
        if not any(counts.values()):
            problems.add(eplace, _("at least one file, link or reflection must be required"))
    rubric = []
    for index, raw_level in enumerate(get_list(criterion, "rubric", place, problems, max_items=10)):
        rplace = join_place(join_place(place, "rubric"), index)
        level = expect_object(raw_level, rplace, problems)
        if level is None:
            continue
        check_keys(level, rplace, RUBRIC_LEVEL_KEYS, problems)
        rubric.append(
            read_fields(RUBRIC_LEVEL_FIELDS, level, rplace, problems)
            | {
                "translations": get_translations(
                    level, rplace, problems, translated(RUBRIC_LEVEL_FIELDS)
                )
            }
        )
    if rubric and not any(level["is_passing"] for level in rubric):
        problems.add(
            join_place(place, "rubric"), _("at least one rubric level must be marked as passing")
        )
    alignments = []
    for index, raw_alignment in enumerate(
        get_list(criterion, "alignments", place, problems, max_items=50)
    ):
        aplace = join_place(join_place(place, "alignments"), index)
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
    return (
        read_fields(_CRITERION_TOP, criterion, place, problems)
        | counts
        | {
            "translations": get_translations(
                criterion, place, problems, translated(CRITERION_FIELDS)
            ),
            "rubric": rubric,
            "alignments": alignments,
        }
    )


def _requires(badge, kind, place, problems) -> dict | None:
    requires = badge.get("requires")
    qplace = join_place(place, "requires")
    if requires is None:
        problems.add(
            qplace,
            _("missing (a %(kind)s badge says how many of which badges it requires)")
            % {"kind": kind},
        )
        return None
    if expect_object(requires, qplace, problems) is None:
        return None
    check_keys(requires, qplace, {*(f.json_key for f in _REQUIRES), "badges"}, problems)
    slugs = []
    for index, slug in enumerate(
        get_list(requires, "badges", qplace, problems, required=True, max_items=200)
    ):
        if not isinstance(slug, str):
            problems.add(
                join_place(join_place(qplace, "badges"), index), _("must be a badge slug (text)")
            )
        else:
            slugs.append(slug)
    (count,) = read_fields(_REQUIRES, requires, qplace, problems).values()
    return {"count": count, "badges": slugs}


def _badge(raw, place, problems) -> dict | None:
    badge = expect_object(raw, place, problems)
    if badge is None:
        return None
    check_keys(badge, place, BADGE_KEYS, problems)
    kind = get_text(badge, "kind", place, problems, required=True)
    if kind and kind not in BadgeKind.values:
        problems.add(join_place(place, "kind"), _("must be micro, milestone or meta"))
        kind = ""
    first = read_fields(_READ_FIRST, badge, place, problems)
    review = badge.get("review") or {}
    rplace = join_place(place, "review")
    if expect_object(review, rplace, problems) is None:
        review = {}
    check_keys(review, rplace, REVIEW_KEYS, problems)
    result: dict[str, Any] = {"slug": get_slug(badge, "slug", place, problems), "kind": kind}
    result |= read_fields(_READ_AFTER_SLUG, badge, place, problems) | first
    result |= read_fields(_REVIEW, review, rplace, problems)
    result["translations"] = get_translations(
        badge, place, problems, translated(BADGE_VERSION_FIELDS)
    )
    result |= {"criteria": [], "requires": None}
    criteria = get_list(badge, "criteria", place, problems, max_items=50)
    if kind == BadgeKind.MICRO:
        for index, raw_criterion in enumerate(criteria):
            criterion = _criterion(
                raw_criterion, join_place(join_place(place, "criteria"), index), problems
            )
            if criterion:
                result["criteria"].append(criterion)
        if badge.get("requires") is not None:
            problems.add(
                join_place(place, "requires"),
                _("only milestone and meta badges require other badges"),
            )
    elif kind:
        if criteria:
            problems.add(join_place(place, "criteria"), _("only micro badges have criteria"))
        result["requires"] = _requires(badge, kind, place, problems)
    return result


def validate_constellation(data) -> dict:
    """A constellation file → normalised dict. References to frameworks are resolved by the service."""
    check_json_value(data)
    problems = Problems()
    if expect_object(data, "", problems) is None:
        problems.items = [(_("file"), _("a constellation file holds one JSON object"))]
        problems.raise_if_any()
    check_keys(data, "", CONSTELLATION_KEYS, problems)
    result: dict[str, Any] = {"slug": get_slug(data, "slug", "", problems)}
    result |= read_fields(CONSTELLATION_FIELDS, data, "", problems)
    result["translations"] = get_translations(data, "", problems, translated(CONSTELLATION_FIELDS))
    result["badges"] = []
    seen: dict[str, tuple[str, str]] = {}
    for index, raw in enumerate(
        get_list(data, "badges", "", problems, required=True, max_items=500)
    ):
        place = join_place("badges", index)
        badge = _badge(raw, place, problems)
        if badge is None:
            continue
        badge["place"] = place
        if badge["slug"]:
            if badge["slug"] in seen:
                problems.add(
                    join_place(place, "slug"),
                    _("duplicate badge slug “%(slug)s” (also at %(other)s)")
                    % {"slug": badge["slug"], "other": seen[badge["slug"]][0]},
                )
            else:
                seen[badge["slug"]] = (join_place(place, "slug"), badge["kind"])
        result["badges"].append(badge)
    for badge in result["badges"]:
        requires = badge["requires"]
        if not requires:
            continue
        qplace = join_place(badge["place"], "requires")
        wanted = REQUIRED_KIND.get(badge["kind"])
        for index, slug in enumerate(requires["badges"]):
            if slug not in seen:
                problems.add(
                    join_place(join_place(qplace, "badges"), index),
                    _("no badge “%(slug)s” in this file") % {"slug": slug[:80]},
                )
            elif seen[slug][1] and seen[slug][1] != wanted:
                problems.add(
                    join_place(join_place(qplace, "badges"), index),
                    wrong_required_kind(badge["kind"], slug),
                )
        if len(set(requires["badges"])) != len(requires["badges"]):
            problems.add(join_place(qplace, "badges"), _("lists a badge twice"))
        count = requires["count"]
        if count is not None and count > len(requires["badges"]):
            problems.add(
                join_place(qplace, "count"),
                _("requires %(count)s badges but lists only %(listed)s")
                % {"count": count, "listed": len(requires["badges"])},
            )
    problems.raise_if_any()
    return result


# Writing ----------------------------------------------------------------------------------


def _translated(data: dict, instance) -> dict:
    return data | {"translations": instance.translations or {}}


def _export_criterion(criterion: Criterion) -> dict:
    return _translated(dump_fields(_CRITERION_TOP, criterion), criterion) | {
        "evidence": dump_fields(_EVIDENCE, criterion),
        "rubric": [
            _translated(dump_fields(RUBRIC_LEVEL_FIELDS, level), level)
            for level in criterion.rubric_levels.all()
        ],
        "alignments": [
            {
                "framework": alignment.competence.framework.slug,
                "framework_version": alignment.competence.framework.version,
                "competence": alignment.competence.code,
                "level": alignment.target_level.code if alignment.target_level else None,
            }
            for alignment in criterion.alignments.all()
        ],
    }


def _export_version(version: BadgeVersion) -> dict:
    badge = version.badge
    data: dict[str, Any] = {"slug": badge.slug, "kind": badge.kind}
    data |= _translated(dump_fields(_BADGE_TOP, version), version)
    if badge.kind == BadgeKind.MICRO:
        data["review"] = dump_fields(_REVIEW, version)
        data["criteria"] = [_export_criterion(criterion) for criterion in version.criteria.all()]
    else:
        data["requires"] = dump_fields(_REQUIRES, version) | {
            "badges": [
                b.slug
                for b in sorted(version.required_badges.all(), key=lambda b: (b.order, b.slug))
            ],
        }
    return drop_empty_translations(data)


def constellation_export(constellation: Constellation) -> dict:
    """The constellation with each badge at its newest version that is not retired."""
    versions = (
        BadgeVersion.objects.filter(badge__constellation=constellation)
        .exclude(status=BadgeStatus.RETIRED)
        .select_related("badge")
        .prefetch_related("required_badges", criteria_in_full())
        .order_by("badge__order", "badge__slug", "-version")
    )
    newest: dict[int, BadgeVersion] = {}
    for version in versions:
        newest.setdefault(version.badge_id, version)
    badges = [_export_version(version) for version in newest.values()]
    frameworks = sorted(
        {
            (a["framework"], a["framework_version"])
            for badge in badges
            for criterion in badge.get("criteria", [])
            for a in criterion["alignments"]
        }
    )
    return drop_empty_translations(
        {
            "format": CONSTELLATION_FORMAT,
            "exported_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "slug": constellation.slug,
            **_translated(dump_fields(CONSTELLATION_FIELDS, constellation), constellation),
            "frameworks": [{"slug": slug, "version": version} for slug, version in frameworks],
            "badges": badges,
        }
    )
