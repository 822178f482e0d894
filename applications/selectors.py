"""Reads: which applications a user may see, and of one application its working evidence,
its rounds, and what changed between rounds.

Who may see an application: its learner, the coordinators of its constellation and auditors
— and whoever an app above grants it to. `review` knows who assesses and moderates (its
assignments, moderators and conflicts of interest) and registers that grant in
`ReviewConfig.ready` (`register_visibility`), so this app reads none of review's data.
Views fetch through `applications_visible_to`: anything outside it is a 404.

In the same way, what became of an approved application afterwards (its credential revoked
or expired) is told by certificates through `register_outcomes`, read with `outcomes_of`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from core.roles import Role
from frameworks.models import Constellation, Criterion, RubricLevel

from .models import Application, ApplicationState, EvidenceItem, Round, SelfAssessment

# user -> Q over Application: who else may see which applications (registered by apps above).
_visibility_grants: list[Callable[..., Q]] = []


def register_visibility(grant: Callable[..., Q]) -> None:
    """Add a grant (called with the signed-in user, returns a Q over Application)."""
    if grant not in _visibility_grants:
        _visibility_grants.append(grant)


def applications_visible_to(*, user) -> QuerySet[Application]:
    if not user.is_authenticated:
        return Application.objects.none()
    qs = Application.objects.select_related("learner", "badge_version__badge__constellation")
    if user.has_role(Role.AUDITOR):
        return qs
    coordinated = Constellation.objects.filter(coordinators=user).values("pk")
    visible = Q(learner_id=user.pk) | Q(badge_version__badge__constellation__in=coordinated)
    for grant in _visibility_grants:
        visible |= grant(user)
    return qs.filter(visible)


@dataclass(frozen=True)
class Outcome:
    """What became of an approved application since, as an app above tells it (certificates:
    its credential was revoked or has expired). `state` names the CSS state class."""

    state: str
    label: str
    explanation: str
    reason: str = ""


# approved applications -> {application id: Outcome} (registered by apps above).
_outcome_sources: list[Callable[[list[Application]], dict[int, Outcome]]] = []


def register_outcomes(source: Callable[[list[Application]], dict[int, Outcome]]) -> None:
    """Add a source of outcomes (called with approved applications, one query per call)."""
    if source not in _outcome_sources:
        _outcome_sources.append(source)


def outcomes_of(applications) -> dict[int, Outcome]:
    """The outcomes of the approved ones among `applications` (no query when none is)."""
    approved = [a for a in applications if a.state == ApplicationState.APPROVED]
    outcomes: dict[int, Outcome] = {}
    if approved:
        for source in _outcome_sources:
            outcomes.update(source(approved))
    return outcomes


def application_visible_to(*, user, pk) -> Application:
    """One application the user may see, else Http404."""
    return get_object_or_404(applications_visible_to(user=user), pk=pk)


def applications_of_learner(*, learner) -> QuerySet[Application]:
    return (
        Application.objects.filter(learner=learner)
        .select_related("badge_version__badge__constellation")
        .order_by("-updated_at", "-id")
    )


def criteria_of(application: Application) -> list[Criterion]:
    return list(
        Criterion.objects.filter(badge_version_id=application.badge_version_id)
        .prefetch_related(Prefetch("rubric_levels", queryset=RubricLevel.objects.order_by("order")))
        .order_by("order", "id")
    )


def working_evidence(application: Application) -> list[EvidenceItem]:
    return list(
        EvidenceItem.objects.filter(application=application, retired_at__isnull=True)
        .prefetch_related("criteria")
        .order_by("created_at", "id")
    )


def working_self_assessments(application: Application) -> dict[int, SelfAssessment]:
    return {
        s.criterion_id: s
        for s in SelfAssessment.objects.filter(
            application=application, round__isnull=True
        ).select_related("rubric_level")
    }


def rounds_of(application: Application) -> list[Round]:
    """Every round, with its frozen evidence (and their criteria) and self-assessments."""
    return list(
        Round.objects.filter(application=application)
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=EvidenceItem.objects.prefetch_related("criteria").order_by(
                    "created_at", "id"
                ),
            ),
            Prefetch(
                "self_assessments", queryset=SelfAssessment.objects.select_related("rubric_level")
            ),
        )
        .order_by("number")
    )


@dataclass
class CriterionEvidence:
    """One criterion with the evidence attached to it (and, for a round, what changed)."""

    criterion: Criterion
    items: list = field(default_factory=list)
    self_assessment: SelfAssessment | None = None
    previous_self_assessment: SelfAssessment | None = None
    # Only for a round compared with the round before it:
    added: list = field(default_factory=list)
    changed: list = field(default_factory=list)  # (new item, old item)
    unchanged: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    compared: bool = False

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.removed) or self._self_assessment_changed

    @property
    def _self_assessment_changed(self) -> bool:
        if not self.compared:
            return False
        now, before = self.self_assessment, self.previous_self_assessment

        def key(s):
            return (s.status, s.rubric_level_id, s.comment) if s else None

        return key(now) != key(before)


def group_by_criterion(
    criteria: list[Criterion], items, self_assessments: dict[int, SelfAssessment] | None = None
) -> list[CriterionEvidence]:
    rows = {c.pk: CriterionEvidence(criterion=c) for c in criteria}
    for item in items:
        for criterion in item.criteria.all():
            if criterion.pk in rows:
                rows[criterion.pk].items.append(item)
    for criterion_id, assessment in (self_assessments or {}).items():
        if criterion_id in rows:
            rows[criterion_id].self_assessment = assessment
    return list(rows.values())


def _ancestors(item, by_id: dict[int, EvidenceItem], known: set[int]) -> int | None:
    """The nearest ancestor of `item` (through `previous`) that is in `known`."""
    seen = set()
    current = item.previous_id
    while current is not None and current not in seen:
        if current in known:
            return current
        seen.add(current)
        parent = by_id.get(current)
        current = parent.previous_id if parent else None
    return None


def compare_rounds(
    criteria: list[Criterion],
    current: Round,
    previous: Round | None,
    lineage: dict[int, EvidenceItem],
) -> list[CriterionEvidence]:
    """Per criterion: the evidence of `current`, and what was added, changed, removed or kept
    since `previous`. `lineage` maps id → item for every evidence item of the application
    (to follow `previous` links through edits made between rounds)."""
    current_sa = {s.criterion_id: s for s in current.self_assessments.all()}
    rows = group_by_criterion(criteria, current.evidence.all(), current_sa)
    if previous is None:
        return rows
    previous_sa = {s.criterion_id: s for s in previous.self_assessments.all()}
    previous_by_criterion: dict[int, dict[int, EvidenceItem]] = {c.pk: {} for c in criteria}
    for item in previous.evidence.all():
        for criterion in item.criteria.all():
            if criterion.pk in previous_by_criterion:
                previous_by_criterion[criterion.pk][item.pk] = item
    for row in rows:
        row.compared = True
        row.previous_self_assessment = previous_sa.get(row.criterion.pk)
        before = previous_by_criterion[row.criterion.pk]
        matched = set()
        for item in row.items:
            if item.pk in before:
                row.unchanged.append(item)
                matched.add(item.pk)
                continue
            ancestor = _ancestors(item, lineage, set(before))
            if ancestor is not None:
                row.changed.append((item, before[ancestor]))
                matched.add(ancestor)
            else:
                row.added.append(item)
        row.removed = [item for pk, item in before.items() if pk not in matched]
    return rows


def evidence_lineage(application: Application) -> dict[int, EvidenceItem]:
    return {
        item.pk: item
        for item in EvidenceItem.objects.filter(application=application).only(
            "id", "previous_id", "description", "kind"
        )
    }
