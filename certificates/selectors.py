"""Reads of the certificates app, scoped to who asks."""

from django.db.models import Q
from django.http import Http404

from core.roles import Role

from .models import Credential, Issuer, IssuerKey


def credential_public(public_id) -> Credential:
    """One credential for the public pages and documents (one query), or 404."""
    credential = (
        Credential.objects.select_related("issuer", "badge_version__badge", "recipient")
        .filter(public_id=public_id)
        .first()
    )
    if credential is None or credential.issuer_id is None or not credential.ob3_credential:
        raise Http404
    return credential


def issuer_public(public_id) -> Issuer:
    issuer = Issuer.objects.filter(public_id=public_id).first()
    if issuer is None:
        raise Http404
    return issuer


def published_keys_of(issuer_id: int) -> list[IssuerKey]:
    """Active and retired keys (rotation keeps old credentials verifiable), public parts."""
    return list(
        IssuerKey.objects.filter(issuer_id=issuer_id)
        .select_related("issuer")  # a published JWK's kid names its issuer
        .defer("private_key_encrypted")
        .order_by("algorithm", "-created_at")
    )


def credentials_of(user):
    return (
        Credential.objects.filter(recipient=user)
        .select_related("badge_version__badge__constellation", "issuer")
        .order_by("-issued_at", "-id")
    )


def credentials_visible_to(user):
    """Coordinators: their constellations' credentials; auditors: all; others: none."""
    base = Credential.objects.select_related(
        "badge_version__badge__constellation", "recipient", "issuer"
    ).order_by("-issued_at", "-id")
    if user.has_role(Role.AUDITOR):
        return base
    if user.has_role(Role.COORDINATOR):
        return base.filter(Q(badge_version__badge__constellation__coordinators=user)).distinct()
    return base.none()


def published_keys_of_all() -> list[IssuerKey]:
    return list(
        IssuerKey.objects.select_related("issuer")
        .defer("private_key_encrypted")
        .order_by("issuer", "algorithm", "-created_at")
    )
