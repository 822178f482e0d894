"""Badges and their versions: create, edit, copy to a new draft, publish, retire.

Published badge versions are immutable; editing one goes through `badge_new_draft`.
"""

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

from ..images import stored_image_name, validate_badge_image
from ..interchange import Problems
from ..interchange.fields import (
    CRITERION_SERVICE_FIELDS,
    RUBRIC_LEVEL_SERVICE_FIELDS,
    VERSION_FIELDS,
    VERSION_RANGES,
)
from ..models import (
    REQUIRED_KIND,
    Badge,
    BadgeKind,
    BadgeStatus,
    BadgeVersion,
    Constellation,
    Criterion,
    CriterionAlignment,
    RubricLevel,
    wrong_required_kind,
)
from ._common import (
    _check_fields,
    _require,
    _require_draft,
)


def _clean(version: BadgeVersion) -> None:
    """Model field validation (ranges, choices) as a ValidationFailed naming each field."""
    try:
        version.full_clean(exclude=["badge", "image", "required_badges", "description", "status"])
        errors: dict[str, list[str]] = {}
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


def _check_version_fields(fields: dict) -> None:
    _check_fields(fields, VERSION_FIELDS, "badge version")


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
                wrong_required_kind(version.badge.kind, badge.slug),
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
            changed = set(fields)
            if required_badges is not None:
                changed.add("required_badges")
            if image_data is not None or remove_image:
                changed.add("image")
            audit_record(
                actor=actor,
                action="badge.updated",
                obj=version,
                data={
                    "slug": version.badge.slug,
                    "version": version.version,
                    "fields": sorted(changed),
                },
            )
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
            **{name: getattr(criterion, name) for name in CRITERION_SERVICE_FIELDS},
        )
        RubricLevel.objects.bulk_create(
            RubricLevel(
                criterion=new,
                order=level.order,
                **{name: getattr(level, name) for name in RUBRIC_LEVEL_SERVICE_FIELDS},
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


def criterion_place(number: int, criterion: Criterion) -> str:
    """How a publishing problem names the criterion it is about (its place among the
    version's criteria, counted from 1)."""
    return _("criterion %(number)s “%(title)s”") % {"number": number, "title": criterion.title}


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
            place = criterion_place(index, criterion)
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
        # Told per kind rather than by inserting the stored values ("micro") into a
        # sentence: those are codes, not words of the reader's language.
        if not required:
            problems.add(
                "required_badges",
                _("choose the micro badges that count")
                if kind == BadgeKind.MILESTONE
                else _("choose the milestones that count"),
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
                    wrong_required_kind(kind, badge.slug),
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
