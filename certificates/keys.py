"""Issuer signing keys: creation, rotation, loading, publication.

Two keys per issuer are active at a time: Ed25519 (Data Integrity `eddsa-rdfc-2022`,
published as a Multikey) and ECDSA P-256 (VC-JWT ES256, published in a JWKS). Private keys
are stored encrypted (Fernet, key derived from ISSUER_KEY_SECRET or SECRET_KEY) and leave
this module only as key objects for signing; nothing here logs or returns them as text.
Rotation retires the active key (it stays published) and creates a new one, so credentials
signed before keep verifying.
"""

import json
import logging

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record

from . import signing
from .models import Issuer, IssuerKey, KeyAlgorithm
from .urls_public import issuer_url

logger = logging.getLogger(__name__)


def _new_key(issuer: Issuer, algorithm: str) -> IssuerKey:
    if algorithm == KeyAlgorithm.ED25519:
        private, raw = signing.new_ed25519()
        multikey = signing.ed25519_multikey(private.public_key())
        from joserfc.jwk import OKPKey

        public_jwk = OKPKey.import_key(private.public_key()).as_dict(private=False)
        return IssuerKey(
            issuer=issuer,
            algorithm=algorithm,
            key_id=multikey,
            public_jwk=public_jwk,
            private_key_encrypted=signing.encrypt_private(raw),
        )
    from joserfc.jwk import ECKey

    key = ECKey.generate_key("P-256")
    thumbprint = key.thumbprint()
    public_jwk = {**key.as_dict(private=False), "kid": thumbprint, "alg": "ES256", "use": "sig"}
    return IssuerKey(
        issuer=issuer,
        algorithm=algorithm,
        key_id=thumbprint,
        public_jwk=public_jwk,
        private_key_encrypted=signing.encrypt_private(
            json.dumps(key.as_dict(private=True)).encode()
        ),
    )


def issuer_keys_create(*, issuer: Issuer, actor=None) -> list[IssuerKey]:
    """Create the missing active keys of `issuer` (idempotent)."""
    created = []
    with transaction.atomic():
        for algorithm in KeyAlgorithm.values:
            if issuer.keys.filter(algorithm=algorithm, active=True).exists():
                continue
            key = _new_key(issuer, algorithm)
            key.save()
            audit_record(
                actor=actor,
                action="issuer_key.created",
                obj=key,
                data={"algorithm": algorithm, "key_id": key.key_id},
            )
            created.append(key)
    for key in created:
        logger.info("Created %s key %s for issuer %s", key.algorithm, key.key_id, issuer.pk)
    return created


def issuer_keys_rotate(*, issuer: Issuer, actor=None) -> list[IssuerKey]:
    """Retire the active keys (they stay published) and create new ones."""
    with transaction.atomic():
        now = timezone.now()
        for key in issuer.keys.select_for_update().filter(active=True):
            key.active = False
            key.retired_at = now
            key.save(update_fields=["active", "retired_at"])
            audit_record(
                actor=actor, action="issuer_key.retired", obj=key, data={"key_id": key.key_id}
            )
        return issuer_keys_create(issuer=issuer, actor=actor)


def active_keys(issuer: Issuer) -> dict[str, IssuerKey]:
    return {key.algorithm: key for key in issuer.keys.filter(active=True)}


def ed25519_private(key: IssuerKey) -> Ed25519PrivateKey:
    return signing.ed25519_from_seed(signing.decrypt_private(key.private_key_encrypted))


def es256_private_jwk(key: IssuerKey) -> dict:
    return json.loads(signing.decrypt_private(key.private_key_encrypted))


def verification_method(key: IssuerKey) -> str:
    return f"{issuer_url(key.issuer)}#{key.key_id}"


def published_keys(keys) -> dict:
    """The public parts, as published in the issuer profile: Multikey and JWKS."""
    multikeys, jwks = [], []
    for key in keys:
        if key.algorithm == KeyAlgorithm.ED25519:
            multikeys.append(key)
        else:
            jwks.append(key.public_jwk)
    return {"multikeys": multikeys, "jwks": jwks}
