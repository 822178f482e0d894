"""Every write to frameworks, constellations and badges.

Imports validate the whole file first and write in one transaction: a bad file changes
nothing. Published badge versions are immutable; editing one goes through `badge_new_draft`.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.base import ContentFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from core.audit import audit_record
from core.errors import PermissionDeniedError, StaleObjectError, ValidationFailed, WorkflowError

from .images import stored_image_name, validate_badge_image
from .models import (
    Badge,
    BadgeKind,
    BadgeStatus,
    BadgeVersion,
    Competence,
    CompetenceArea,
    Constellation,
    Criterion,
    CriterionAlignment,
    Framework,
    ProficiencyLevel,
    RubricLevel,
)
from .rules import forget_coordinated_constellations
from .schema import REQUIRED_KIND, Problems, validate_constellation, validate_framework

FRAMEWORK_FORMAT = "competence-framework/1"
CONSTELLATION_FORMAT = "badge-constellation/1"
RESERVED_SLUGS = {"new", "import"}  # path segments of the constellation pages


def _require(actor, permission: str, obj=None) -> None:
    """Check a rules permission. `actor=None` is the system (management commands, demo data)."""
    if actor is not None and not actor.has_perm(permission, obj):
        raise PermissionDeniedError()


def _require_draft(version: BadgeVersion) -> None:
    if version.status != BadgeStatus.DRAFT:
        raise WorkflowError(
            _(
                "Version %(version)s is %(status)s and can no longer be changed; edit a new draft version instead."
            )
            % {"version": version.version, "status": version.get_status_display().lower()}
        )


# The limits the constellation import enforces (frameworks.schema). Beyond them a value
# breaks later steps: the review due date (submission + review_days) or the credential's
# expiry (issue date + validity_months) would fall outside the calendar.
VERSION_RANGES = {
    "max_rounds": (1, 100),
    "review_days": (1, 365),
    "validity_months": (1, 1200),
}


def _clean(version: BadgeVersion) -> None:
    """Model field validation (ranges, choices) as a ValidationFailed naming each field."""
    try:
        version.full_clean(exclude=["badge", "image", "required_badges", "description", "status"])
        errors = {}
        for name, (minimum, maximum) in VERSION_RANGES.items():
            value = getattr(version, name)
            for validator in (MinValueValidator(minimum), MaxValueValidator(maximum)):
                try:
                    if value is not None:
                        validator(value)
                except DjangoValidationError as error:
                    errors.setdefault(name, []).extend(error.messages)
        if errors:
            raise DjangoValidationError(errors)
    except DjangoValidationError as error:
        raise ValidationFailed(
            _("The badge was not saved."),
            details=[(name, " ".join(messages)) for name, messages in error.message_dict.items()],
        ) from None


def _now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


# Frameworks -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FrameworkImportResult:
    framework: Framework
    created: bool  # False: the file was identical to the newest stored version


def framework_content(framework: Framework) -> dict:
    """The comparable content of a stored framework (what an import would produce)."""
    return {
        "slug": framework.slug,
        "name": framework.name,
        "description": framework.description,
        "source": framework.source,
        "source_version": framework.source_version,
        "translations": framework.translations or {},
        "levels": [
            {
                "code": level.code,
                "name": level.name,
                "description": level.description,
                "translations": level.translations or {},
            }
            for level in framework.levels.order_by("order")
        ],
        "areas": [
            {
                "code": area.code,
                "name": area.name,
                "description": area.description,
                "translations": area.translations or {},
                "competences": [
                    {
                        "code": competence.code,
                        "name": competence.name,
                        "description": competence.description,
                        "translations": competence.translations or {},
                    }
                    for competence in sorted(
                        area.competences.all(), key=lambda c: (c.order, c.code)
                    )
                ],
            }
            for area in framework.areas.prefetch_related("competences").order_by("order", "code")
        ],
    }


def framework_export(framework: Framework) -> dict:
    """A framework as JSON-ready data in the documented format (docs/frameworks.md)."""
    content = framework_content(framework)
    data = {"format": FRAMEWORK_FORMAT, "slug": content.pop("slug"), "version": framework.version}
    data.update(content)
    data["levels"] = [
        {"code": level["code"], "order": index, **{k: v for k, v in level.items() if k != "code"}}
        for index, level in enumerate(data["levels"], start=1)
    ]
    return _drop_empty_translations(data)


def _drop_empty_translations(value):
    if isinstance(value, dict):
        return {
            k: _drop_empty_translations(v)
            for k, v in value.items()
            if not (k == "translations" and not v)
        }
    if isinstance(value, list):
        return [_drop_empty_translations(item) for item in value]
    return value


def framework_import(*, data, actor=None) -> FrameworkImportResult:
    """Import a framework file's parsed JSON. New slug → version 1; changed content → next
    version; identical to the newest version → nothing written (`created=False`)."""
    _require(actor, "frameworks.import_framework")
    content = validate_framework(data)
    with transaction.atomic():
        existing = (
            Framework.objects.select_for_update()
            .filter(slug=content["slug"])
            .order_by("-version")
            .first()
        )
        if existing is not None and framework_content(existing) == content:
            return FrameworkImportResult(existing, created=False)
        version = (existing.version + 1) if existing else 1
        framework = Framework.objects.create(
            slug=content["slug"],
            version=version,
            name=content["name"],
            description=content["description"],
            source=content["source"],
            source_version=content["source_version"],
            translations=content["translations"],
            imported_by=actor,
        )
        ProficiencyLevel.objects.bulk_create(
            ProficiencyLevel(
                framework=framework,
                order=index,
                code=level["code"],
                name=level["name"],
                description=level["description"],
                translations=level["translations"],
            )
            for index, level in enumerate(content["levels"], start=1)
        )
        competences = []
        for area_index, area_data in enumerate(content["areas"]):
            area = CompetenceArea.objects.create(
                framework=framework,
                order=area_index,
                code=area_data["code"],
                name=area_data["name"],
                description=area_data["description"],
                translations=area_data["translations"],
            )
            competences.extend(
                Competence(
                    framework=framework,
                    area=area,
                    order=index,
                    code=item["code"],
                    name=item["name"],
                    description=item["description"],
                    translations=item["translations"],
                )
                for index, item in enumerate(area_data["competences"])
            )
        Competence.objects.bulk_create(competences)
        audit_record(
            actor=actor,
            action="framework.imported",
            obj=framework,
            data={
                "slug": framework.slug,
                "version": framework.version,
                "areas": len(content["areas"]),
                "competences": len(competences),
                "levels": len(content["levels"]),
                "previous_version": existing.version if existing else None,
            },
        )
    return FrameworkImportResult(framework, created=True)


# Constellations ---------------------------------------------------------------------------


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


CONSTELLATION_FIELDS = {"name", "description", "is_illustrative", "translations"}


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
    unknown = set(fields) - CONSTELLATION_FIELDS
    if unknown:
        raise TypeError(f"Unknown constellation fields: {sorted(unknown)}")
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


# Badges -----------------------------------------------------------------------------------

# What a coordinator edits on a badge version, in the order the form shows it.
EDITABLE_VERSION_FIELDS = (
    "title",
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
    "max_rounds",
    "review_days",
    "double_assessment",
    "sample_percent",
    "hide_assessors",
    "required_count",
)
# Every field the services accept (imports also carry languages and translations).
VERSION_FIELDS = {*EDITABLE_VERSION_FIELDS, "languages", "translations"}


def _check_version_fields(fields: dict) -> None:
    unknown = set(fields) - VERSION_FIELDS
    if unknown:
        raise TypeError(f"Unknown badge version fields: {sorted(unknown)}")


def _set_required_badges(version: BadgeVersion, required_badges) -> None:
    required = list(required_badges)
    wanted = REQUIRED_KIND.get(version.badge.kind)
    problems = Problems()
    for badge in required:
        if badge.constellation_id != version.badge.constellation_id:
            problems.add(
                "required_badges",
                _("“%(slug)s” belongs to another constellation") % {"slug": badge.slug},
            )
        elif wanted is None:
            problems.add("required_badges", _("a micro badge does not require other badges"))
        elif badge.kind != wanted:
            problems.add(
                "required_badges",
                _("“%(slug)s” is a %(kind)s badge; this badge counts %(wanted)s badges")
                % {"slug": badge.slug, "kind": badge.kind, "wanted": wanted},
            )
    problems.raise_if_any(_("The badge was not saved."))
    version.required_badges.set(required)


def badge_create(
    *,
    actor,
    constellation: Constellation,
    slug: str,
    kind: str,
    title: str,
    required_badges=(),
    **fields,
) -> BadgeVersion:
    """A new badge and its first (draft) version."""
    _require(actor, "frameworks.change_constellation", constellation)
    _check_version_fields(fields)
    if kind not in BadgeKind.values:
        raise ValidationFailed(details=[("kind", _("must be micro, milestone or meta"))])
    if Badge.objects.filter(constellation=constellation, slug=slug).exists():
        raise ValidationFailed(
            _("The badge was not saved."),
            details=[
                ("slug", _("this constellation already has a badge “%(slug)s”") % {"slug": slug})
            ],
        )
    with transaction.atomic():
        order = (constellation.badges.aggregate(m=Max("order"))["m"] or 0) + 1
        badge = Badge.objects.create(constellation=constellation, slug=slug, kind=kind, order=order)
        version = BadgeVersion(badge=badge, version=1, title=title, **fields)
        _clean(version)
        version.save()
        if required_badges:
            _set_required_badges(version, required_badges)
        audit_record(
            actor=actor,
            action="badge.created",
            obj=version,
            to_state=version.status,
            data={"slug": slug, "kind": kind},
        )
    return version


def badge_version_update(
    *, actor, version: BadgeVersion, required_badges=None, image=None, remove_image=False, **fields
) -> BadgeVersion:
    """Change a draft version. A published version is never changed (see badge_new_draft)."""
    _require(actor, "frameworks.change_badgeversion", version)
    _check_version_fields(fields)
    _require_draft(version)
    image_data = validate_badge_image(image) if image is not None else None
    try:
        with transaction.atomic():
            for name, value in fields.items():
                setattr(version, name, value)
            _clean(version)
            if image_data is not None:
                data, extension = image_data
                version.image.save(stored_image_name(extension), ContentFile(data), save=False)
            elif remove_image:
                version.image = ""
            version.save()
            if required_badges is not None:
                _set_required_badges(version, required_badges)
    except ConcurrentTransition as error:
        raise StaleObjectError() from error
    return version


def _copy_version(source: BadgeVersion, number: int) -> BadgeVersion:
    copy = BadgeVersion(
        badge=source.badge,
        version=number,
        image=source.image.name if source.image else "",
        **{name: getattr(source, name) for name in VERSION_FIELDS},
    )
    copy.save()
    copy.required_badges.set(source.required_badges.all())
    for criterion in source.criteria.prefetch_related("rubric_levels", "alignments"):
        new = Criterion.objects.create(
            badge_version=copy,
            order=criterion.order,
            code=criterion.code,
            title=criterion.title,
            description=criterion.description,
            required_files=criterion.required_files,
            required_links=criterion.required_links,
            required_reflections=criterion.required_reflections,
            translations=criterion.translations,
        )
        RubricLevel.objects.bulk_create(
            RubricLevel(
                criterion=new,
                order=level.order,
                name=level.name,
                descriptor=level.descriptor,
                is_passing=level.is_passing,
                translations=level.translations,
            )
            for level in criterion.rubric_levels.all()
        )
        CriterionAlignment.objects.bulk_create(
            CriterionAlignment(
                criterion=new, competence_id=a.competence_id, target_level_id=a.target_level_id
            )
            for a in criterion.alignments.all()
        )
    return copy


def badge_new_draft(*, actor, version: BadgeVersion) -> BadgeVersion:
    """The badge's draft to edit: the existing draft, or a copy of `version` as the next version.

    The copy carries criteria, rubric levels, alignments and required badges; the source
    version stays exactly as it was (applications and credentials keep pointing at it).
    """
    _require(actor, "frameworks.change_badgeversion", version)
    existing = version.badge.versions.filter(status=BadgeStatus.DRAFT).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            number = (version.badge.versions.aggregate(m=Max("version"))["m"] or 0) + 1
            draft = _copy_version(version, number)
            audit_record(
                actor=actor,
                action="badge.new_version",
                obj=draft,
                to_state=draft.status,
                data={"from_version": version.version, "version": number},
            )
    except IntegrityError as error:  # a draft was created concurrently (one draft per badge)
        raise StaleObjectError() from error
    return draft


def badge_publish_problems(version: BadgeVersion) -> list[tuple[str, str]]:
    """Everything that keeps a version from being published, as (place, problem) pairs."""
    problems = Problems()
    if not version.title.strip():
        problems.add("title", _("missing"))
    if not version.description.strip():
        problems.add("description", _("missing"))
    if not version.learning_outcome_list:
        problems.add(
            "learning_outcomes",
            _("state at least one learning outcome (EU micro-credential element)"),
        )
    if version.ects is None and not version.workload_hours:
        problems.add(
            "workload",
            _("give the workload in ECTS credits or hours (EU micro-credential element)"),
        )
    if not version.assessment_type:
        problems.add("assessment_type", _("missing (EU micro-credential element)"))
    if not version.participation_form:
        problems.add("participation_form", _("missing (EU micro-credential element)"))
    if not version.quality_assurance.strip():
        problems.add(
            "quality_assurance",
            _("describe the type of quality assurance (EU micro-credential element)"),
        )
    if version.double_assessment == "sampled" and not version.sample_percent:
        problems.add(
            "sample_percent",
            _("a sampled share of more than zero percent is needed for sampled double assessment"),
        )
    kind = version.badge.kind
    if kind == BadgeKind.MICRO:
        criteria = list(version.criteria.prefetch_related("rubric_levels"))
        if not criteria:
            problems.add("criteria", _("a micro badge needs at least one criterion"))
        for index, criterion in enumerate(criteria, start=1):
            place = _("criterion %(number)s “%(title)s”") % {
                "number": index,
                "title": criterion.title,
            }
            if not criterion.has_evidence_requirement:
                problems.add(
                    place,
                    _(
                        "says no evidence is required: require at least one file, link or reflection"
                    ),
                )
            levels = list(criterion.rubric_levels.all())
            if levels and not any(level.is_passing for level in levels):
                problems.add(place, _("its rubric has no level that meets the criterion"))
    else:
        required = list(version.required_badges.prefetch_related("versions"))
        wanted = REQUIRED_KIND[kind]
        count = version.required_count
        if not required:
            problems.add(
                "required_badges", _("choose the %(wanted)s badges that count") % {"wanted": wanted}
            )
        if count is None or count < 1 or count > len(required):
            problems.add(
                "required_count",
                _("must be between 1 and the number of badges that count (%(n)s)")
                % {"n": len(required)},
            )
        for badge in required:
            if badge.constellation_id != version.badge.constellation_id:
                problems.add(
                    "required_badges",
                    _("“%(slug)s” belongs to another constellation") % {"slug": badge.slug},
                )
            elif badge.kind != wanted:
                problems.add(
                    "required_badges",
                    _("“%(slug)s” is a %(kind)s badge; a %(this)s badge counts %(wanted)s badges")
                    % {"slug": badge.slug, "kind": badge.kind, "this": kind, "wanted": wanted},
                )
            elif not any(v.status == BadgeStatus.PUBLISHED for v in badge.versions.all()):
                problems.add(
                    "required_badges",
                    _("“%(slug)s” is not published yet; publish it first") % {"slug": badge.slug},
                )
    return problems.items


def badge_publish(*, actor, version: BadgeVersion, when=None) -> BadgeVersion:
    """Publish a draft after checking it is complete. A previously published version of
    the same badge is retired (its applications and credentials stay with it)."""
    if actor is not None and not has_transition_perm(version.publish, actor):
        raise PermissionDeniedError()
    if not can_proceed(version.publish):
        raise WorkflowError(_("Only a draft can be published."))
    problems = badge_publish_problems(version)
    if problems:
        raise ValidationFailed(
            _("“%(title)s” cannot be published yet.") % {"title": version.title}, details=problems
        )
    when = when or timezone.now()
    try:
        with transaction.atomic():
            for previous in version.badge.versions.filter(status=BadgeStatus.PUBLISHED).exclude(
                pk=version.pk
            ):
                previous.retire()
                previous.save()
                audit_record(
                    actor=actor,
                    action="badge.retired",
                    obj=previous,
                    from_state=BadgeStatus.PUBLISHED,
                    to_state=BadgeStatus.RETIRED,
                    data={"replaced_by_version": version.version},
                )
            version.publish(when=when)
            version.save()
            audit_record(
                actor=actor,
                action="badge.published",
                obj=version,
                from_state=BadgeStatus.DRAFT,
                to_state=BadgeStatus.PUBLISHED,
                data={"slug": version.badge.slug, "version": version.version},
            )
    except ConcurrentTransition as error:
        raise StaleObjectError() from error
    return version


def badge_retire(*, actor, version: BadgeVersion) -> BadgeVersion:
    if actor is not None and not has_transition_perm(version.retire, actor):
        raise PermissionDeniedError()
    if not can_proceed(version.retire):
        raise WorkflowError(_("Only a published version can be retired."))
    try:
        with transaction.atomic():
            version.retire()
            version.save()
            audit_record(
                actor=actor,
                action="badge.retired",
                obj=version,
                from_state=BadgeStatus.PUBLISHED,
                to_state=BadgeStatus.RETIRED,
            )
    except ConcurrentTransition as error:
        raise StaleObjectError() from error
    return version


# Criteria, rubrics, alignments -------------------------------------------------------------

CRITERION_FIELDS = {
    "code",
    "title",
    "description",
    "required_files",
    "required_links",
    "required_reflections",
    "translations",
}


def criterion_create(*, actor, version: BadgeVersion, title: str, **fields) -> Criterion:
    _require(actor, "frameworks.change_badgeversion", version)
    _require_draft(version)
    if version.badge.kind != BadgeKind.MICRO:
        raise WorkflowError(
            _("Only micro badges have criteria; milestone and meta badges require other badges.")
        )
    unknown = set(fields) - CRITERION_FIELDS
    if unknown:
        raise TypeError(f"Unknown criterion fields: {sorted(unknown)}")
    order = (version.criteria.aggregate(m=Max("order"))["m"] or 0) + 1
    return Criterion.objects.create(badge_version=version, order=order, title=title, **fields)


def criterion_update(*, actor, criterion: Criterion, **fields) -> Criterion:
    _require(actor, "frameworks.change_badgeversion", criterion.badge_version)
    _require_draft(criterion.badge_version)
    unknown = set(fields) - CRITERION_FIELDS - {"order"}
    if unknown:
        raise TypeError(f"Unknown criterion fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(criterion, name, value)
    criterion.save()
    return criterion


def criterion_delete(*, actor, criterion: Criterion) -> None:
    _require(actor, "frameworks.change_badgeversion", criterion.badge_version)
    _require_draft(criterion.badge_version)
    criterion.delete()


def criterion_set_rubric(*, actor, criterion: Criterion, levels: list[dict]) -> None:
    """Replace the rubric: `levels` lowest first, each {name, descriptor, is_passing}."""
    _require(actor, "frameworks.change_badgeversion", criterion.badge_version)
    _require_draft(criterion.badge_version)
    if levels and not any(level.get("is_passing") for level in levels):
        raise ValidationFailed(
            _("The rubric was not saved."),
            details=[("rubric", _("at least one level must meet the criterion"))],
        )
    with transaction.atomic():
        criterion.rubric_levels.all().delete()
        RubricLevel.objects.bulk_create(
            RubricLevel(
                criterion=criterion,
                order=index,
                name=level["name"],
                descriptor=level.get("descriptor", ""),
                is_passing=bool(level.get("is_passing")),
                translations=level.get("translations") or {},
            )
            for index, level in enumerate(levels, start=1)
        )


def criterion_set_alignments(*, actor, criterion: Criterion, alignments: list[tuple]) -> None:
    """Replace the alignments: (competence, target_level or None) pairs."""
    _require(actor, "frameworks.change_badgeversion", criterion.badge_version)
    _require_draft(criterion.badge_version)
    problems = Problems()
    seen = set()
    for index, (competence, level) in enumerate(alignments, start=1):
        place = _("alignment %(n)s") % {"n": index}
        if competence.pk in seen:
            problems.add(
                place, _("competence %(code)s is listed twice") % {"code": competence.code}
            )
        seen.add(competence.pk)
        if level is not None and level.framework_id != competence.framework_id:
            problems.add(
                place,
                _("level %(level)s is not a level of the competence's framework")
                % {"level": level.code},
            )
    problems.raise_if_any(_("The alignments were not saved."))
    with transaction.atomic():
        criterion.alignments.all().delete()
        CriterionAlignment.objects.bulk_create(
            CriterionAlignment(criterion=criterion, competence=competence, target_level=level)
            for competence, level in alignments
        )


# Constellation export and import ----------------------------------------------------------


def _export_version(version: BadgeVersion) -> dict:
    badge = version.badge
    data = {
        "slug": badge.slug,
        "kind": badge.kind,
        "name": version.title,
        "version": version.version,
        "status": version.status,
        "description": version.description,
        "criteria_narrative": version.criteria_narrative,
        "learning_outcomes": version.learning_outcome_list,
        "eqf_level": version.eqf_level,
        "ects": float(version.ects) if version.ects is not None else None,
        "workload_hours": version.workload_hours,
        "assessment_type": version.assessment_type,
        "participation_form": version.participation_form,
        "quality_assurance": version.quality_assurance,
        "prerequisites": version.prerequisites,
        "validity_months": version.validity_months,
        "languages": list(version.languages or []),
        "translations": version.translations or {},
    }
    if badge.kind == BadgeKind.MICRO:
        data["review"] = {
            "max_rounds": version.max_rounds,
            "review_days": version.review_days,
            "double_assessment": version.double_assessment,
            "sample_percent": version.sample_percent,
            "hide_assessors": version.hide_assessors,
        }
        data["criteria"] = [
            {
                "code": criterion.code,
                "title": criterion.title,
                "description": criterion.description,
                "translations": criterion.translations or {},
                "evidence": {
                    "files": criterion.required_files,
                    "links": criterion.required_links,
                    "reflections": criterion.required_reflections,
                },
                "rubric": [
                    {
                        "name": level.name,
                        "descriptor": level.descriptor,
                        "passing": level.is_passing,
                        "translations": level.translations or {},
                    }
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
            for criterion in version.criteria.all()
        ]
    else:
        data["requires"] = {
            "count": version.required_count,
            "badges": [
                b.slug
                for b in sorted(version.required_badges.all(), key=lambda b: (b.order, b.slug))
            ],
        }
    return _drop_empty_translations(data)


def constellation_export(constellation: Constellation) -> dict:
    """The constellation with each badge at its newest version that is not retired."""
    from django.db.models import Prefetch

    versions = (
        BadgeVersion.objects.filter(badge__constellation=constellation)
        .exclude(status=BadgeStatus.RETIRED)
        .select_related("badge")
        .prefetch_related(
            "required_badges",
            Prefetch(
                "criteria",
                queryset=Criterion.objects.prefetch_related(
                    "rubric_levels",
                    Prefetch(
                        "alignments",
                        queryset=CriterionAlignment.objects.select_related(
                            "competence__framework", "target_level"
                        ),
                    ),
                ),
            ),
        )
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
    return _drop_empty_translations(
        {
            "format": CONSTELLATION_FORMAT,
            "exported_at": _now_iso(),
            "slug": constellation.slug,
            "name": constellation.name,
            "description": constellation.description,
            "is_illustrative": constellation.is_illustrative,
            "translations": constellation.translations or {},
            "frameworks": [{"slug": slug, "version": version} for slug, version in frameworks],
            "badges": badges,
        }
    )


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
            name=content["name"],
            description=content["description"],
            is_illustrative=content["is_illustrative"],
            translations=content["translations"],
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
                    code=criterion_data["code"],
                    title=criterion_data["title"],
                    description=criterion_data["description"],
                    required_files=criterion_data["required_files"],
                    required_links=criterion_data["required_links"],
                    required_reflections=criterion_data["required_reflections"],
                    translations=criterion_data["translations"],
                )
                RubricLevel.objects.bulk_create(
                    RubricLevel(
                        criterion=criterion,
                        order=index,
                        name=level["name"],
                        descriptor=level["descriptor"],
                        is_passing=level["passing"],
                        translations=level["translations"],
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
            rank = {BadgeKind.MICRO: 0, BadgeKind.MILESTONE: 1, BadgeKind.META: 2}
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
