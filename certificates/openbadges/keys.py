"""Issuer signing keys: generation, loading, publication (creating and rotating them, which
write, are `certificates.services.issuer_keys_create` and `issuer_keys_rotate`).

Two keys per issuer are active at a time: Ed25519 (Data Integrity `eddsa-rdfc-2022`,
published as a Multikey verification method of the issuer profile) and RSA 2048 (VC-JWT
RS256, published as a JWK at its own URL, which is the token's `kid`, and in the issuer's
JWKS). ECDSA P-256 keys (ES256), which earlier versions signed VC-JWTs with, are retired
when the RS256 key is created and stay published, so their tokens keep verifying.

Private keys are stored encrypted (Fernet, key derived from ISSUER_KEY_SECRET or
SECRET_KEY) and leave this module only as key objects for signing; nothing here logs or
returns them as text. Rotation retires the active keys (they stay published) and creates new
ones, so credentials signed before keep verifying.
"""

import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ..models import Issuer, IssuerKey, KeyAlgorithm
from . import signing
from .urls_public import issuer_key_url, issuer_url

RSA_KEY_SIZE = 2048
# Keys published for VC-JWT verification: RS256 (signing now), ES256 (earlier versions).
JWT_ALGORITHMS = (KeyAlgorithm.RS256, KeyAlgorithm.ES256)


def new_key(issuer: Issuer, algorithm: str) -> IssuerKey:
    """A new key pair of `algorithm` for `issuer`, the private part encrypted (not saved)."""
    if algorithm == KeyAlgorithm.ED25519:
        private, raw = signing.new_ed25519()
        multikey = signing.ed25519_multikey(private.public_key())
        from joserfc.jwk import OKPKey  # noqa: PLC0415 - joserfc: loaded only where keys are made

        public_jwk = OKPKey.import_key(private.public_key()).as_dict(private=False)
        return IssuerKey(
            issuer=issuer,
            algorithm=algorithm,
            key_id=multikey,
            public_jwk=public_jwk,
            private_key_encrypted=signing.encrypt_private(raw),
        )
    from joserfc.jwk import RSAKey  # noqa: PLC0415 - joserfc: loaded only where keys are made

    key = RSAKey.generate_key(RSA_KEY_SIZE)
    thumbprint = key.thumbprint()
    public_jwk = {**key.as_dict(private=False), "kid": thumbprint, "alg": "RS256", "use": "sig"}
    return IssuerKey(
        issuer=issuer,
        algorithm=algorithm,
        key_id=thumbprint,
        public_jwk=public_jwk,
        private_key_encrypted=signing.encrypt_private(
            json.dumps(key.as_dict(private=True)).encode()
        ),
    )


def active_keys(issuer: Issuer) -> dict[str, IssuerKey]:
    return {key.algorithm: key for key in issuer.keys.filter(active=True)}


def ed25519_private(key: IssuerKey) -> Ed25519PrivateKey:
    return signing.ed25519_from_seed(signing.decrypt_private(key.private_key_encrypted))


def rs256_private_jwk(key: IssuerKey) -> dict:
    return json.loads(signing.decrypt_private(key.private_key_encrypted))


def verification_method(key: IssuerKey) -> str:
    """The Data Integrity verification method: a fragment of the issuer profile."""
    return f"{issuer_url(key.issuer)}#{key.key_id}"


def published_jwk(key: IssuerKey) -> dict:
    """The public JWK as published. An RS256 key's `kid` is the URL it is published at (the
    VC-JWT header's `kid`, which OB 3.0 requires to dereference to the JWK); ES256 keys of
    earlier versions keep the thumbprint their tokens name."""
    if key.algorithm == KeyAlgorithm.RS256:
        return {**key.public_jwk, "kid": issuer_key_url(key.issuer, key.key_id)}
    return dict(key.public_jwk)


def published_jwks(keys) -> list[dict]:
    """The JWKs of every VC-JWT key (active and retired) among `keys`."""
    return [published_jwk(key) for key in keys if key.algorithm in JWT_ALGORITHMS]
