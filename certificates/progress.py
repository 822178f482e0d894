"""The learner's progress map: for each constellation, every milestone and the meta badge
with the badges that count, each earned / in progress / not started, and what is still
needed. A constant number of queries, whatever the number of badges."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from applications.models import OPEN_STATES, Application
from frameworks.models import Badge, BadgeKind, BadgeStatus, BadgeVersion, Constellation

from .models import Credential


@dataclass
class BadgeProgress:
    badge: Badge
    title: str
    state: str  # earned | in_progress | not_started
    credential: Credential | None = None


@dataclass
class RuleProgress:
    version: BadgeVersion
    required_count: int
    items: list[BadgeProgress] = field(default_factory=list)
    credential: Credential | None = None

    @property
    def earned_count(self) -> int:
        return sum(1 for item in self.items if item.state == "earned")

    @property
    def still_needed(self) -> int:
        return max(0, self.required_count - self.earned_count)

    @property
    def percent(self) -> int:
        if not self.required_count:
            return 100
        return min(100, round(10 * self.earned_count / self.required_count) * 10)


@dataclass
class ConstellationProgress:
    constellation: Constellation
    rules: list[RuleProgress]


def progress_map(user, credentials) -> list[ConstellationProgress]:
    valid_by_badge: dict[int, Credential] = {}
    for credential in credentials:
        if credential.is_valid:
            valid_by_badge.setdefault(credential.badge_version.badge_id, credential)
    open_badges = set(
        Application.objects.filter(learner=user, state__in=list(OPEN_STATES)).values_list(
            "badge_version__badge_id", flat=True
        )
    )
    constellation_ids = {c.badge_version.badge.constellation_id for c in credentials}
    constellation_ids |= set(
        Application.objects.filter(learner=user).values_list(
            "badge_version__badge__constellation_id", flat=True
        )
    )
    published = BadgeVersion.objects.filter(status=BadgeStatus.PUBLISHED).order_by("-version")
    versions = (
        BadgeVersion.objects.filter(
            status=BadgeStatus.PUBLISHED,
            badge__kind__in=[BadgeKind.MILESTONE, BadgeKind.META],
            badge__constellation_id__in=constellation_ids,
        )
        .select_related("badge__constellation")
        .prefetch_related(
            Prefetch(
                "required_badges",
                queryset=Badge.objects.order_by("order", "slug").prefetch_related(
                    Prefetch("versions", queryset=published, to_attr="published_versions")
                ),
            )
        )
        .order_by("badge__constellation__name", "badge__kind", "badge__order")
    )
    by_constellation: dict[int, ConstellationProgress] = {}
    for version in versions:
        rule = RuleProgress(version=version, required_count=version.required_count or 0)
        rule.credential = valid_by_badge.get(version.badge_id)
        for badge in version.required_badges.all():
            # `published_versions`: the to_attr of the nested Prefetch above, which the
            # types of `required_badges` do not carry.
            published = badge.published_versions  # type: ignore[attr-defined]
            title = published[0].localized("title") if published else badge.slug
            if badge.pk in valid_by_badge:
                state = "earned"
            elif badge.pk in open_badges:
                state = "in_progress"
            else:
                state = "not_started"
            rule.items.append(BadgeProgress(badge, title, state, valid_by_badge.get(badge.pk)))
        constellation = version.badge.constellation
        by_constellation.setdefault(
            constellation.pk, ConstellationProgress(constellation=constellation, rules=[])
        ).rules.append(rule)
    return list(by_constellation.values())
