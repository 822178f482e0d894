"""Server-side re-check of a credential's proofs, from the issuer's published keys only."""

import json
from dataclasses import dataclass

from ..models import KeyAlgorithm
from . import signing
from .keys import published_jwks
from .urls_public import issuer_url


@dataclass
class ProofCheck:
    data_integrity: bool
    jwt: bool
    jwt_algorithm: str = ""  # as the token's header says (RS256; ES256 from earlier versions)

    @property
    def ok(self) -> bool:
        return self.data_integrity and self.jwt


def ed25519_resolver(issuer, keys):
    """verificationMethod "<issuer url>#<multikey>" -> public key, for this issuer's keys."""
    prefix = issuer_url(issuer) + "#"
    multikeys = {k.key_id for k in keys if k.algorithm == KeyAlgorithm.ED25519}

    def resolve(method: str):
        if not isinstance(method, str) or not method.startswith(prefix):
            return None
        key_id = method[len(prefix) :]
        if key_id not in multikeys:
            return None
        return signing.ed25519_from_multikey(key_id)

    return resolve


def check_credential(credential, keys) -> ProofCheck:
    document = credential.ob3_credential
    di_ok = signing.di_verify(document, resolve_key=ed25519_resolver(credential.issuer, keys))
    claims = signing.jwt_verify(credential.ob3_jwt, public_jwks=published_jwks(keys))
    jwt_ok = claims is not None and claims.get("id") == document.get("id")
    try:
        algorithm = str(signing.jwt_part(credential.ob3_jwt, 0).get("alg", ""))
    except signing.SigningError:
        algorithm = ""
    return ProofCheck(data_integrity=di_ok, jwt=jwt_ok, jwt_algorithm=algorithm)


MAX_SUBMITTED = 200_000


def parse_submitted(text: str):
    """('json', dict) or ('jwt', str) or raise ValueError."""
    text = (text or "").strip()
    if not text or len(text) > MAX_SUBMITTED:
        raise ValueError("empty or too long")
    if text.startswith("{"):
        try:
            document = json.loads(text)
        except RecursionError as error:  # nested deeper than any credential can be
            raise ValueError("nested too deeply") from error
        if not isinstance(document, dict):
            raise ValueError("not an object")
        return "json", document
    if text.count(".") == 2:
        return "jwt", text
    raise ValueError("neither JSON nor a JWT")
