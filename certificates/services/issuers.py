"""Issuers and their signing keys: the profile, key creation and rotation (creating keys
also signs the issuer's status list).
"""

import logging

from django.db import transaction
from django.utils import timezone

from core.audit import audit_record

from ..models import SIGNING_ALGORITHMS, Issuer, IssuerKey, StatusList
from ..openbadges.keys import new_key
from .status_lists import status_list_refresh

logger = logging.getLogger(__name__)


def issuer_save(*, actor, issuer: Issuer, constellations=None) -> Issuer:
    with transaction.atomic():
        created = issuer.pk is None
        if issuer.is_default:
            Issuer.objects.filter(is_default=True).exclude(pk=issuer.pk).update(is_default=False)
        issuer.country_code = issuer.country_code.upper()
        issuer.save()
        if constellations is not None:
            issuer.constellations.set(constellations)
        audit_record(
            actor=actor, action="issuer.created" if created else "issuer.updated", obj=issuer
        )
    return issuer


def _key_retire(key: IssuerKey, *, actor, now) -> None:
    key.active = False
    key.retired_at = now
    key.save(update_fields=["active", "retired_at"])
    audit_record(actor=actor, action="issuer_key.retired", obj=key, data={"key_id": key.key_id})


def issuer_keys_create(*, issuer: Issuer, actor=None) -> list[IssuerKey]:
    """Create the missing active signing keys of `issuer` (idempotent); retire an active key
    of an algorithm no longer used for signing (it stays published). An issuer with keys
    has a signed (empty, at first) status list, so that its public URL answers at once."""
    created = []
    with transaction.atomic():
        now = timezone.now()
        for key in (
            issuer.keys.select_for_update()
            .filter(active=True)
            .exclude(algorithm__in=SIGNING_ALGORITHMS)
        ):
            _key_retire(key, actor=actor, now=now)
        for algorithm in SIGNING_ALGORITHMS:
            if issuer.keys.filter(algorithm=algorithm, active=True).exists():
                continue
            key = new_key(issuer, algorithm)
            key.save()
            audit_record(
                actor=actor,
                action="issuer_key.created",
                obj=key,
                data={"algorithm": algorithm, "key_id": key.key_id},
            )
            created.append(key)
        if not StatusList.objects.filter(issuer=issuer).exclude(signed_credential={}).exists():
            status_list_refresh(issuer=issuer)
    for key in created:
        logger.info("Created %s key %s for issuer %s", key.algorithm, key.key_id, issuer.pk)
    return created


def issuer_keys_rotate(*, issuer: Issuer, actor=None) -> list[IssuerKey]:
    """Retire the active keys (they stay published) and create new ones."""
    with transaction.atomic():
        now = timezone.now()
        for key in issuer.keys.select_for_update().filter(active=True):
            _key_retire(key, actor=actor, now=now)
        return issuer_keys_create(issuer=issuer, actor=actor)
