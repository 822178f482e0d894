"""Milestone and meta badges: issued once the holder's valid credentials meet their N-of-M rule."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from frameworks.models import BadgeKind, BadgeStatus, BadgeVersion

from ..models import Credential
from .errors import IssuingNotPossible
from .issuing import _issue

logger = logging.getLogger(__name__)


def _valid_credentials_by_badge(recipient) -> dict[int, list[Credential]]:
    now = timezone.now()
    by_badge: dict[int, list[Credential]] = {}
    credentials = (
        Credential.objects.filter(recipient=recipient, revoked_at__isnull=True)
        .exclude(expires_at__lte=now)
        .select_related("badge_version__badge")
        .order_by("-issued_at", "-id")
    )
    for credential in credentials:
        by_badge.setdefault(credential.badge_version.badge_id, []).append(credential)
    return by_badge


def _rule_versions():
    return (
        BadgeVersion.objects.filter(
            status=BadgeStatus.PUBLISHED,
            badge__kind__in=[BadgeKind.MILESTONE, BadgeKind.META],
            required_count__gt=0,
        )
        .select_related("badge__constellation")
        .prefetch_related("required_badges")
        .order_by("badge__kind", "pk")
    )


def rule_progress(version: BadgeVersion, by_badge: dict[int, list[Credential]]) -> tuple[list, int]:
    """(the required badges that are met, how many more are needed)."""
    required = [badge.pk for badge in version.required_badges.all()]
    met = [badge_id for badge_id in required if badge_id in by_badge]
    return met, max(0, (version.required_count or 0) - len(met))


def credentials_check_rules(*, recipient) -> list[Credential]:
    """Issue every milestone/meta credential whose N-of-M rule the recipient's valid
    credentials now satisfy, once; repeats until nothing changes (meta after milestones)."""
    issued: list[Credential] = []
    versions = list(_rule_versions())
    while True:
        by_badge = _valid_credentials_by_badge(recipient)
        progressed = False
        for version in versions:
            if version.badge_id in by_badge:
                continue
            met, missing = rule_progress(version, by_badge)
            if missing:
                continue
            components = [by_badge[badge_id][0] for badge_id in met]
            try:
                with transaction.atomic():
                    credential = _issue(
                        recipient=recipient,
                        version=version,
                        application=None,
                        components=components,
                        issued_at=timezone.now(),
                    )
            except IntegrityError:
                continue  # issued concurrently
            except IssuingNotPossible as error:
                logger.error("Rule credential %s not issued: %s", version.pk, error.message)
                continue
            issued.append(credential)
            progressed = True
        if not progressed:
            return issued
