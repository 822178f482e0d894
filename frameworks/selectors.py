"""Reads scoped to a user. Objects outside what a user may see are simply not in the queryset,
so views fetching through these answer 404 rather than leak their existence."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from core.rules import is_auditor, is_coordinator

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
)


def _count(model, link: str, **filters):
    """A correlated COUNT subquery (keeps list pages at one query whatever their size)."""
    return Coalesce(
        Subquery(
            model.objects.filter(**{link: OuterRef("pk")}, **filters)
            .order_by()
            .values(link)
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


# Frameworks -------------------------------------------------------------------------------


def frameworks_visible_to(*, user) -> QuerySet[Framework]:
    if is_coordinator(user) or is_auditor(user):
        return Framework.objects.all()
    return Framework.objects.none()


def framework_list(*, user) -> QuerySet[Framework]:
    """Every version of every framework, with counts; newest version first within a slug."""
    return (
        frameworks_visible_to(user=user)
        .select_related("imported_by")
        .annotate(
            area_count=_count(CompetenceArea, "framework"),
            competence_count=_count(Competence, "framework"),
            level_count=_count(ProficiencyLevel, "framework"),
        )
        .order_by("name", "slug", "-version")
    )


def framework_with_content(*, user, pk: int) -> Framework:
    """One framework with its levels, areas and competences prefetched (4 queries)."""
    return get_object_or_404(
        frameworks_visible_to(user=user).prefetch_related(
            "levels",
            Prefetch(
                "areas",
                queryset=CompetenceArea.objects.prefetch_related(
                    Prefetch("competences", queryset=Competence.objects.order_by("order", "code"))
                ),
            ),
        ),
        pk=pk,
    )


def latest_frameworks() -> QuerySet[Framework]:
    """The newest version of each framework (for alignment choices)."""
    newest = Framework.objects.filter(slug=OuterRef("slug")).order_by("-version").values("pk")[:1]
    return Framework.objects.filter(pk=Subquery(newest))


# Constellations ---------------------------------------------------------------------------


def constellations_visible_to(*, user) -> QuerySet[Constellation]:
    """Constellations a person manages (coordinators: their own) or inspects (auditors: all)."""
    if is_auditor(user):
        return Constellation.objects.all()
    if is_coordinator(user):
        return Constellation.objects.filter(coordinators=user)
    return Constellation.objects.none()


def constellation_list(*, user) -> QuerySet[Constellation]:
    return constellations_visible_to(user=user).annotate(
        micro_count=_count(Badge, "constellation", kind=BadgeKind.MICRO),
        milestone_count=_count(Badge, "constellation", kind=BadgeKind.MILESTONE),
        meta_count=_count(Badge, "constellation", kind=BadgeKind.META),
        published_count=_count(BadgeVersion, "badge__constellation", status=BadgeStatus.PUBLISHED),
        draft_count=_count(BadgeVersion, "badge__constellation", status=BadgeStatus.DRAFT),
    )


def constellation_badges(*, constellation: Constellation) -> Sequence[Badge]:
    """The constellation's badges with all their versions (newest first) and requirements.

    Each badge gets `.version_list`, `.latest` (newest version) and `.live` (the published
    version, if any). Constant number of queries.
    """
    badges = list(
        constellation.badges.prefetch_related(
            Prefetch(
                "versions",
                queryset=BadgeVersion.objects.annotate(criterion_count=Count("criteria"))
                .prefetch_related(
                    Prefetch("required_badges", queryset=Badge.objects.order_by("order", "slug"))
                )
                .order_by("-version"),
                to_attr="version_list",
            )
        ).order_by("order", "slug")
    )
    for badge in badges:
        badge.latest = badge.version_list[0] if badge.version_list else None
        badge.live = next(
            (v for v in badge.version_list if v.status == BadgeStatus.PUBLISHED), None
        )
    return badges


# Badge versions ---------------------------------------------------------------------------


def badge_versions_visible_to(*, user) -> QuerySet[BadgeVersion]:
    """Published (and retired) versions for everyone signed in; drafts for their coordinators and auditors."""
    if not getattr(user, "is_authenticated", False):
        return BadgeVersion.objects.none()
    public = Q(status__in=[BadgeStatus.PUBLISHED, BadgeStatus.RETIRED])
    if is_auditor(user):
        return BadgeVersion.objects.all()
    if is_coordinator(user):
        return BadgeVersion.objects.filter(
            public | Q(badge__constellation__coordinators=user)
        ).distinct()
    return BadgeVersion.objects.filter(public)


def criteria_in_full() -> Prefetch:
    """A badge version's criteria with their rubric levels and alignments (for a page or file)."""
    return Prefetch(
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
    )


def badge_version_detail(*, user, pk: int) -> BadgeVersion:
    return get_object_or_404(
        badge_versions_visible_to(user=user)
        .select_related("badge__constellation")
        .prefetch_related(
            criteria_in_full(),
            Prefetch("required_badges", queryset=Badge.objects.order_by("order", "slug")),
        ),
        pk=pk,
    )


def catalogue(*, user, constellation_slug: str | None = None) -> QuerySet[BadgeVersion]:
    """Published micro badges a learner can apply for, grouped by constellation."""
    if not getattr(user, "is_authenticated", False):
        return BadgeVersion.objects.none()
    qs = BadgeVersion.objects.filter(status=BadgeStatus.PUBLISHED, badge__kind=BadgeKind.MICRO)
    if constellation_slug:
        qs = qs.filter(badge__constellation__slug=constellation_slug)
    return (
        qs.select_related("badge__constellation")
        .annotate(criterion_count=Count("criteria"))
        .order_by("badge__constellation__name", "badge__order", "badge__slug")
    )


# Coverage matrix --------------------------------------------------------------------------


@dataclass
class CoverageColumn:
    badge: Badge
    version: BadgeVersion

    @property
    def is_draft(self) -> bool:
        return self.version.status == BadgeStatus.DRAFT


@dataclass
class CoverageCell:
    column: CoverageColumn
    levels: list[ProficiencyLevel] = field(default_factory=list)
    aligned: bool = False


@dataclass
class CoverageRow:
    competence: Competence
    cells: list[CoverageCell]

    @property
    def covering(self) -> list[CoverageColumn]:
        return [cell.column for cell in self.cells if cell.aligned]

    @property
    def count(self) -> int:
        return len(self.covering)

    @property
    def status(self) -> str:
        return "gap" if self.count == 0 else ("covered" if self.count == 1 else "overlap")

    @property
    def levels_reached(self) -> list[ProficiencyLevel]:
        seen = {}
        for cell in self.cells:
            for level in cell.levels:
                seen[level.pk] = level
        return sorted(seen.values(), key=lambda level: level.order)


@dataclass
class CoverageArea:
    area: CompetenceArea
    rows: list[CoverageRow]


@dataclass
class CoverageFramework:
    framework: Framework
    areas: list[CoverageArea]


@dataclass
class CoverageMatrix:
    columns: list[CoverageColumn]
    frameworks: list[CoverageFramework]

    def _rows(self):
        for block in self.frameworks:
            for area in block.areas:
                yield from area.rows

    @property
    def gap_count(self) -> int:
        return sum(1 for row in self._rows() if row.status == "gap")

    @property
    def covered_count(self) -> int:
        return sum(1 for row in self._rows() if row.status == "covered")

    @property
    def overlap_count(self) -> int:
        return sum(1 for row in self._rows() if row.status == "overlap")


def coverage_matrix(*, constellation: Constellation) -> CoverageMatrix:
    """Competences by micro badges of a constellation, in three queries whatever the size.

    Columns are the micro badges at their newest version that is not retired (a draft is
    shown as such). Rows are every competence of each framework version the constellation's
    badges align to, so that what is not covered at all shows as a gap.
    """
    versions = (
        BadgeVersion.objects.filter(badge__constellation=constellation, badge__kind=BadgeKind.MICRO)
        .exclude(status=BadgeStatus.RETIRED)
        .select_related("badge")
        .order_by("badge__order", "badge__slug", "-version")
    )
    columns: list[CoverageColumn] = []
    seen_badges = set()
    for version in versions:
        if version.badge_id not in seen_badges:
            seen_badges.add(version.badge_id)
            columns.append(CoverageColumn(badge=version.badge, version=version))
    column_by_version = {column.version.pk: index for index, column in enumerate(columns)}

    alignments = CriterionAlignment.objects.filter(
        criterion__badge_version_id__in=list(column_by_version)
    ).select_related("criterion", "competence", "target_level")
    aligned: dict[tuple[int, int], dict[int, ProficiencyLevel]] = defaultdict(dict)
    marked: set[tuple[int, int]] = set()
    framework_ids = set()
    for alignment in alignments:
        key = (alignment.competence_id, column_by_version[alignment.criterion.badge_version_id])
        marked.add(key)
        framework_ids.add(alignment.competence.framework_id)
        if alignment.target_level is not None:
            aligned[key][alignment.target_level.pk] = alignment.target_level

    competences = (
        Competence.objects.filter(framework_id__in=framework_ids)
        .select_related("area", "framework")
        .order_by(
            "framework__name", "framework__version", "area__order", "area__code", "order", "code"
        )
    )
    blocks: dict[int, CoverageFramework] = {}
    areas: dict[int, CoverageArea] = {}
    for competence in competences:
        block = blocks.get(competence.framework_id)
        if block is None:
            block = blocks[competence.framework_id] = CoverageFramework(competence.framework, [])
        area = areas.get(competence.area_id)
        if area is None:
            area = areas[competence.area_id] = CoverageArea(competence.area, [])
            block.areas.append(area)
        cells = []
        for index, column in enumerate(columns):
            key = (competence.pk, index)
            levels = sorted(aligned.get(key, {}).values(), key=lambda level: level.order)
            cells.append(CoverageCell(column=column, levels=levels, aligned=key in marked))
        area.rows.append(CoverageRow(competence=competence, cells=cells))
    return CoverageMatrix(columns=columns, frameworks=list(blocks.values()))
