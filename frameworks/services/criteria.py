"""A draft micro badge's criteria, their rubrics and their alignments to competences."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import ValidationFailed, WorkflowError

from ..interchange import Problems
from ..interchange.fields import CRITERION_SERVICE_FIELDS
from ..models import (
    BadgeKind,
    BadgeVersion,
    Criterion,
    CriterionAlignment,
    RubricLevel,
)
from ._common import (
    _check_fields,
    _require,
    _require_draft,
)

CRITERION_FIELDS = CRITERION_SERVICE_FIELDS


def _describe(criterion: Criterion) -> dict:
    """What an audit event says about the criterion it records a change of."""
    version = criterion.badge_version
    return {
        "badge": version.badge.slug,
        "version": version.version,
        "code": criterion.code,
        "title": criterion.title,
    }


def criterion_create(*, actor, version: BadgeVersion, title: str, **fields) -> Criterion:
    _require(actor, "frameworks.change_badgeversion", version)
    _require_draft(version)
    if version.badge.kind != BadgeKind.MICRO:
        raise WorkflowError(
            _("Only micro badges have criteria; milestone and meta badges require other badges.")
        )
    _check_fields(fields, CRITERION_FIELDS, "criterion")
    with transaction.atomic():
        order = (version.criteria.aggregate(m=Max("order"))["m"] or 0) + 1
        criterion = Criterion.objects.create(
            badge_version=version, order=order, title=title, **fields
        )
        audit_record(
            actor=actor, action="criterion.created", obj=criterion, data=_describe(criterion)
        )
    return criterion


def criterion_update(*, actor, criterion: Criterion, **fields) -> Criterion:
    _require(actor, "frameworks.change_badgeversion", criterion.badge_version)
    _require_draft(criterion.badge_version)
    _check_fields(fields, {*CRITERION_FIELDS, "order"}, "criterion")
    with transaction.atomic():
        for name, value in fields.items():
            setattr(criterion, name, value)
        criterion.save()
        audit_record(
            actor=actor,
            action="criterion.updated",
            obj=criterion,
            data=_describe(criterion) | {"fields": sorted(fields)},
        )
    return criterion


def criterion_delete(*, actor, criterion: Criterion) -> None:
    _require(actor, "frameworks.change_badgeversion", criterion.badge_version)
    _require_draft(criterion.badge_version)
    with transaction.atomic():
        # Recorded first: the event names the criterion by its id, which deleting clears.
        audit_record(
            actor=actor, action="criterion.deleted", obj=criterion, data=_describe(criterion)
        )
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
        audit_record(
            actor=actor,
            action="criterion.rubric_set",
            obj=criterion,
            data=_describe(criterion)
            | {
                "levels": [level["name"] for level in levels],
                "passing": [level["name"] for level in levels if level.get("is_passing")],
            },
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
        audit_record(
            actor=actor,
            action="criterion.alignments_set",
            obj=criterion,
            data=_describe(criterion)
            | {
                "alignments": [
                    {
                        "framework": competence.framework.slug,
                        "framework_version": competence.framework.version,
                        "competence": competence.code,
                        "level": level.code if level is not None else None,
                    }
                    for competence, level in alignments
                ]
            },
        )
