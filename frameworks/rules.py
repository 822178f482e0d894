"""Who may see and change frameworks, constellations and badges.

- Coordinators import frameworks, create constellations (becoming their coordinator) and
  manage the constellations they coordinate.
- Auditors see everything, read-only.
- Every signed-in person sees published badges (the catalogue learners choose from).

Which objects a person can reach at all is decided by `selectors.py` (outside: 404); these
predicates decide what they may do with what they reach (not allowed: 403).
"""

import rules

from core.rules import forget_ids_cached_on_user, ids_cached_on_user, is_auditor, is_coordinator

from .models import BadgeStatus, BadgeVersion, Constellation, Criterion


def coordinated_constellation_ids(user) -> frozenset[int]:
    """Ids of the constellations `user` coordinates; one query, cached on the user object."""
    return ids_cached_on_user(
        user,
        "_coordinated_constellation_ids",
        lambda u: u.coordinated_constellations.values_list("id", flat=True),
    )


def forget_coordinated_constellations(user) -> None:
    forget_ids_cached_on_user(user, "_coordinated_constellation_ids")


def _constellation_id(obj) -> int | None:
    if isinstance(obj, Constellation):
        return obj.pk
    if isinstance(obj, BadgeVersion):
        return obj.badge.constellation_id
    if isinstance(obj, Criterion):
        return obj.badge_version.badge.constellation_id
    return None


@rules.predicate
def coordinates(user, obj) -> bool:
    """The user coordinates the constellation `obj` belongs to (a constellation, version or criterion)."""
    constellation_id = _constellation_id(obj)
    return constellation_id is not None and constellation_id in coordinated_constellation_ids(user)


@rules.predicate
def is_published_version(user, version) -> bool:
    return isinstance(version, BadgeVersion) and version.status in (
        BadgeStatus.PUBLISHED,
        BadgeStatus.RETIRED,
    )


@rules.predicate
def is_live_version(user, version) -> bool:
    return isinstance(version, BadgeVersion) and version.status == BadgeStatus.PUBLISHED


@rules.predicate
def is_draft_version(user, version) -> bool:
    return isinstance(version, BadgeVersion) and version.status == BadgeStatus.DRAFT


manages = is_coordinator & coordinates

# Frameworks
rules.add_perm("frameworks.view_framework", is_coordinator | is_auditor)
rules.add_perm("frameworks.import_framework", is_coordinator)
# Frameworks are shared by every constellation: any coordinator may translate their texts.
rules.add_perm("frameworks.change_framework", is_coordinator)
# Constellations
rules.add_perm("frameworks.view_constellation_list", is_coordinator | is_auditor)
rules.add_perm("frameworks.add_constellation", is_coordinator)
rules.add_perm("frameworks.import_constellation", is_coordinator)
rules.add_perm("frameworks.view_constellation", is_auditor | manages)
rules.add_perm("frameworks.change_constellation", manages)
# Badges
rules.add_perm("frameworks.view_catalogue", rules.is_authenticated)
rules.add_perm(
    "frameworks.view_badgeversion",
    (rules.is_authenticated & is_published_version) | is_auditor | manages,
)
rules.add_perm("frameworks.change_badgeversion", manages)
rules.add_perm("frameworks.publish_badgeversion", manages & is_draft_version)
rules.add_perm("frameworks.retire_badgeversion", manages & is_live_version)
