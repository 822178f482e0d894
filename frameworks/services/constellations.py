"""Constellations: creating, editing and importing them (the file format, its validation
and the export: frameworks.interchange.constellations).

A constellation import validates the whole file first and writes in one transaction: a bad
file changes nothing.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import ValidationFailed

from ..interchange import Problems, validate_constellation
from ..interchange.fields import (
    CONSTELLATION_SERVICE_FIELDS,
    CRITERION_SERVICE_FIELDS,
    RUBRIC_LEVEL_SERVICE_FIELDS,
)
from ..models import (
    Badge,
    BadgeKind,
    BadgeVersion,
    Constellation,
    Criterion,
    CriterionAlignment,
    Framework,
    RubricLevel,
)
from ..rules import forget_coordinated_constellations
from ._common import (
    RESERVED_SLUGS,
    _check_fields,
    _require,
)
from .badges import VERSION_FIELDS, badge_publish


def constellation_create(
    *,
    actor,
    slug: str,
    name: str,
    description: str = "",
    is_illustrative: bool = False,
    coordinators=(),
    assessors=(),
    moderators=(),
) -> Constellation:
    """Create a constellation; a coordinator who creates one coordinates it."""
    _require(actor, "frameworks.add_constellation")
    if slug in RESERVED_SLUGS:
        raise ValidationFailed(
            _("This slug cannot be used."),
            details=[("slug", _("“%(slug)s” is reserved; choose another") % {"slug": slug})],
        )
    if Constellation.objects.filter(slug=slug).exists():
        raise ValidationFailed(
            _("A constellation with this slug already exists."),
            details=[("slug", _("“%(slug)s” is taken") % {"slug": slug})],
        )
    with transaction.atomic():
        constellation = Constellation.objects.create(
            slug=slug, name=name, description=description, is_illustrative=is_illustrative
        )
        people = list(coordinators) + ([actor] if actor is not None else [])
        constellation.coordinators.add(*people)
        constellation.assessors.add(*assessors)
        constellation.moderators.add(*moderators)
        audit_record(
            actor=actor, action="constellation.created", obj=constellation, data={"slug": slug}
        )
    for person in people:
        forget_coordinated_constellations(person)
    return constellation


CONSTELLATION_FIELDS = CONSTELLATION_SERVICE_FIELDS


def constellation_update(
    *,
    actor,
    constellation: Constellation,
    assessors=None,
    moderators=None,
    coordinators=None,
    **fields,
) -> Constellation:
    _require(actor, "frameworks.change_constellation", constellation)
    _check_fields(fields, CONSTELLATION_FIELDS, "constellation")
    with transaction.atomic():
        for name, value in fields.items():
            setattr(constellation, name, value)
        constellation.save()
        if assessors is not None:
            constellation.assessors.set(assessors)
        if moderators is not None:
            constellation.moderators.set(moderators)
        if coordinators is not None:
            if not coordinators:
                raise ValidationFailed(
                    _("A constellation needs at least one coordinator."),
                    details=[("coordinators", _("at least one coordinator is required"))],
                )
            constellation.coordinators.set(coordinators)
        audit_record(
            actor=actor,
            action="constellation.updated",
            obj=constellation,
            data={"fields": sorted(fields)},
        )
    if actor is not None:
        forget_coordinated_constellations(actor)
    return constellation


def _resolve_alignments(content: dict, problems: Problems) -> None:
    """Replace each alignment's codes by (competence, level) objects, or record problems."""
    wanted = {
        a["framework"]
        for badge in content["badges"]
        for criterion in badge["criteria"]
        for a in criterion["alignments"]
        if a["framework"]
    }
    frameworks: dict[tuple[str, int], Framework] = {}
    latest: dict[str, Framework] = {}
    framework: Framework | None
    for framework in Framework.objects.filter(slug__in=wanted).prefetch_related(
        "competences", "levels"
    ):
        frameworks[(framework.slug, framework.version)] = framework
        if framework.slug not in latest or latest[framework.slug].version < framework.version:
            latest[framework.slug] = framework
    for badge in content["badges"]:
        for criterion in badge["criteria"]:
            for alignment in criterion["alignments"]:
                place = alignment["place"]
                if not alignment["framework"] or not alignment["competence"]:
                    continue
                if alignment["framework_version"] is None:
                    framework = latest.get(alignment["framework"])
                else:
                    framework = frameworks.get(
                        (alignment["framework"], alignment["framework_version"])
                    )
                if framework is None:
                    problems.add(
                        f"{place}.framework",
                        _("no framework “%(slug)s”%(version)s is installed; import it first")
                        % {
                            "slug": alignment["framework"],
                            "version": f" v{alignment['framework_version']}"
                            if alignment["framework_version"]
                            else "",
                        },
                    )
                    continue
                competence = next(
                    (c for c in framework.competences.all() if c.code == alignment["competence"]),
                    None,
                )
                if competence is None:
                    problems.add(
                        f"{place}.competence",
                        _("%(framework)s has no competence “%(code)s”")
                        % {"framework": framework, "code": alignment["competence"]},
                    )
                level = None
                if alignment["level"]:
                    levels = list(framework.levels.all())
                    if not levels:
                        problems.add(
                            f"{place}.level",
                            _("%(framework)s has no proficiency levels") % {"framework": framework},
                        )
                    else:
                        level = next((lv for lv in levels if lv.code == alignment["level"]), None)
                        if level is None:
                            problems.add(
                                f"{place}.level",
                                _("unknown level code “%(code)s”; %(framework)s has %(codes)s")
                                % {
                                    "code": alignment["level"],
                                    "framework": framework,
                                    "codes": ", ".join(lv.code for lv in levels),
                                },
                            )
                alignment["resolved"] = (competence, level)
        seen = set()
        for index, criterion in enumerate(badge["criteria"]):
            for position, alignment in enumerate(criterion["alignments"]):
                resolved = alignment.get("resolved")
                if resolved and resolved[0] is not None:
                    key = (index, resolved[0].pk)
                    if key in seen:
                        problems.add(
                            alignment["place"],
                            _("this competence is already aligned to the criterion"),
                        )
                    seen.add(key)
                del position


def constellation_import(*, data, actor=None, publish: bool = False) -> Constellation:
    """Create a constellation from a file. Badges become version 1 drafts, or — with
    `publish=True` — are published (micro, then milestone, then meta); if any cannot be
    published the whole import is undone."""
    _require(actor, "frameworks.import_constellation")
    content = validate_constellation(data)
    problems = Problems()
    if content["slug"] in RESERVED_SLUGS:
        problems.add(
            "slug", _("“%(slug)s” is reserved; choose another") % {"slug": content["slug"]}
        )
    if Constellation.objects.filter(slug=content["slug"]).exists():
        problems.add(
            "slug",
            _(
                "a constellation “%(slug)s” already exists; change the slug in the file to import a copy"
            )
            % {"slug": content["slug"]},
        )
    _resolve_alignments(content, problems)
    problems.raise_if_any()
    with transaction.atomic():
        constellation = Constellation.objects.create(
            slug=content["slug"],
            **{name: content[name] for name in CONSTELLATION_SERVICE_FIELDS},
        )
        if actor is not None:
            constellation.coordinators.add(actor)
        badges: dict[str, Badge] = {}
        versions: list[BadgeVersion] = []
        for order, item in enumerate(content["badges"], start=1):
            badge = Badge.objects.create(
                constellation=constellation, slug=item["slug"], kind=item["kind"], order=order
            )
            badges[item["slug"]] = badge
            version = BadgeVersion.objects.create(
                badge=badge,
                version=1,
                required_count=item["requires"]["count"] if item["requires"] else None,
                **{name: item[name] for name in VERSION_FIELDS - {"required_count"}},
            )
            versions.append(version)
            for position, criterion_data in enumerate(item["criteria"], start=1):
                criterion = Criterion.objects.create(
                    badge_version=version,
                    order=position,
                    **{name: criterion_data[name] for name in CRITERION_SERVICE_FIELDS},
                )
                RubricLevel.objects.bulk_create(
                    RubricLevel(
                        criterion=criterion,
                        order=index,
                        **{name: level[name] for name in RUBRIC_LEVEL_SERVICE_FIELDS},
                    )
                    for index, level in enumerate(criterion_data["rubric"], start=1)
                )
                CriterionAlignment.objects.bulk_create(
                    CriterionAlignment(
                        criterion=criterion,
                        competence=a["resolved"][0],
                        target_level=a["resolved"][1],
                    )
                    for a in criterion_data["alignments"]
                )
        for item, version in zip(content["badges"], versions, strict=True):
            if item["requires"]:
                version.required_badges.set([badges[slug] for slug in item["requires"]["badges"]])
        audit_record(
            actor=actor,
            action="constellation.imported",
            obj=constellation,
            data={"slug": constellation.slug, "badges": len(versions), "published": publish},
        )
        if publish:
            rank: dict[str, int] = {BadgeKind.MICRO: 0, BadgeKind.MILESTONE: 1, BadgeKind.META: 2}
            failures = Problems()
            for item, version in sorted(
                zip(content["badges"], versions, strict=True), key=lambda p: rank[p[1].badge.kind]
            ):
                try:
                    badge_publish(actor=None, version=version)
                except ValidationFailed as error:
                    for place, problem in error.details:
                        failures.add(f"{item['place']} ({item['slug']}): {place}", problem)
            if failures:
                raise ValidationFailed(
                    _("The constellation was not imported: some badges cannot be published."),
                    details=failures.items,
                )
    if actor is not None:
        forget_coordinated_constellations(actor)
    return constellation
