"""Issuers and their signing keys: the profile, key creation and rotation (creating keys
also signs the issuer's status list).
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.errors import PermissionDeniedError, ValidationFailed
from frameworks.models import Constellation

from ..models import SIGNING_ALGORITHMS, Issuer, IssuerKey, StatusList
from ..openbadges.keys import new_key
from ..rules import forget_owned_issuers
from .status_lists import status_list_refresh

logger = logging.getLogger(__name__)


def _may(actor, perm: str, obj=None) -> bool:
    """Commands and data set-up act without a person (actor None): they may."""
    return not getattr(actor, "pk", None) or actor.has_perm(perm, obj)


def issuer_save(*, actor, issuer: Issuer, constellations=None, owners=None) -> Issuer:
    """Create or change an issuer profile.

    `constellations`: the constellations it awards among those `actor` coordinates (the
    others it awards stay as they are: attaching or detaching one needs rights over the
    issuer and the constellation). `owners`: who may change it (a new issuer: its creator
    unless given). Refused (PermissionDeniedError) what `actor` may not do.
    """
    with transaction.atomic():
        created = issuer.pk is None
        if created:
            allowed = _may(actor, "certificates.add_issuer")
            was_default = False
        else:
            stored = Issuer.objects.select_for_update().get(pk=issuer.pk)
            allowed = _may(actor, "certificates.change_issuer", stored)
            was_default = stored.is_default
        if not allowed:
            raise PermissionDeniedError(_("You may not change this issuer."))
        if issuer.is_default != was_default and not _may(
            actor, "certificates.set_default_issuer", issuer
        ):
            raise PermissionDeniedError(
                _("Only the owners of the current default issuer may change the default.")
            )
        if owners is not None and not owners:
            raise ValidationFailed(_("An issuer needs at least one owner."))
        if issuer.is_default:
            Issuer.objects.filter(is_default=True).exclude(pk=issuer.pk).update(is_default=False)
        issuer.country_code = issuer.country_code.upper()
        issuer.save()
        if constellations is not None:
            _constellations_set(actor, issuer, set(constellations))
        if owners is not None:
            issuer.owners.set(owners)
        elif created and getattr(actor, "pk", None):
            issuer.owners.add(actor)
        forget_owned_issuers(actor)
        audit_record(
            actor=actor,
            action="issuer.created" if created else "issuer.updated",
            obj=issuer,
            data={
                "owners": sorted(issuer.owners.values_list("pk", flat=True)),
                "constellations": sorted(issuer.constellations.values_list("pk", flat=True)),
            },
        )
    return issuer


def _constellations_set(actor, issuer: Issuer, chosen: set) -> None:
    current = set(issuer.constellations.all())
    if getattr(actor, "pk", None):
        mine = set(Constellation.objects.filter(coordinators=actor))
        if chosen - mine:
            raise PermissionDeniedError(
                _("You may only attach constellations you coordinate to an issuer.")
            )
        chosen |= current - mine  # what others attached stays attached
    issuer.constellations.set(chosen)


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
