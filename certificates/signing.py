"""Cryptography for credentials: pinned JSON-LD contexts, Data Integrity `eddsa-rdfc-2022`
proofs, VC-JWT (ES256), Multikey/multibase encoding, key encryption at rest.

No network, ever: the JSON-LD document loader serves only the contexts pinned in
`certificates/contexts/` (copied from registry packages, see contexts/PROVENANCE.md) and
refuses every other URL. The signer also refuses a document in which expansion would drop
a property (pyld silently ignores undefined terms, which would leave them unsigned).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"
VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_V3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_V2_CONTEXT = "https://w3id.org/openbadges/v2"
PINNED_CONTEXTS = {
    VC_V2_CONTEXT: "credentials-v2.jsonld",
    OB_V3_CONTEXT: "ob-v3p0-context-3.0.3.json",
}
CRYPTOSUITE = "eddsa-rdfc-2022"
ED25519_MULTICODEC = b"\xed\x01"


class SigningError(Exception):
    """A document that cannot be signed or verified as asked."""


class ContextNotPinned(SigningError):
    pass


class PropertyDropped(SigningError):
    pass


# --- base58btc / multibase / Multikey ------------------------------------------------------

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58btc_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rem = divmod(number, 58)
        out = _B58[rem] + out
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + out


def base58btc_decode(text: str) -> bytes:
    number = 0
    for char in text:
        index = _B58.find(char)
        if index < 0:
            raise SigningError("Not base58btc.")
        number = number * 58 + index
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    pad = len(text) - len(text.lstrip("1"))
    return b"\0" * pad + body


def multibase_encode(data: bytes) -> str:
    return "z" + base58btc_encode(data)


def multibase_decode(text: str) -> bytes:
    if not text or text[0] != "z":
        raise SigningError("Only base58btc multibase values ('z…') are supported.")
    return base58btc_decode(text[1:])


def ed25519_multikey(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return multibase_encode(ED25519_MULTICODEC + raw)


def ed25519_from_multikey(multikey: str) -> Ed25519PublicKey:
    data = multibase_decode(multikey)
    if len(data) != 34 or data[:2] != ED25519_MULTICODEC:
        raise SigningError("Not an Ed25519 Multikey.")
    return Ed25519PublicKey.from_public_bytes(data[2:])


# --- JSON-LD: pinned contexts only ---------------------------------------------------------


@cache
def pinned_context(url: str) -> dict:
    name = PINNED_CONTEXTS.get(url)
    if name is None:
        raise ContextNotPinned(f"JSON-LD context not pinned: {url}")
    return json.loads((CONTEXTS_DIR / name).read_text(encoding="utf-8"))


def document_loader(url, options=None):
    """pyld document loader: the pinned contexts, nothing else, never the network."""
    from pyld.jsonld import JsonLdError

    try:
        document = pinned_context(url)
    except ContextNotPinned as exc:
        raise JsonLdError(
            str(exc), "jsonld.LoadDocumentError", code="loading document failed"
        ) from exc
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": document,
    }


def expand_strict(document: dict) -> list:
    """JSON-LD expansion that fails if any property would be dropped."""
    from pyld import jsonld

    dropped: list[str] = []
    expanded = jsonld.expand(
        document,
        {"documentLoader": document_loader},
        on_property_dropped=lambda prop: dropped.append(str(prop)),
    )
    if dropped:
        raise PropertyDropped(f"Properties not defined by the contexts: {sorted(set(dropped))}")
    return expanded


def canonicalize(document: dict, *, strict: bool = True) -> str:
    """RDF Dataset Canonicalization (RDFC-1.0 = URDNA2015) to N-Quads. With `strict`, the
    same single expansion pass refuses any property the contexts would drop."""
    from pyld.jsonld import JsonLdProcessor

    dropped: list[str] = []
    processor = JsonLdProcessor(on_property_dropped=lambda prop: dropped.append(str(prop)))
    nquads = processor.normalize(
        document,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": document_loader,
        },
    )
    if strict and dropped:
        raise PropertyDropped(f"Properties not defined by the contexts: {sorted(set(dropped))}")
    return nquads


# --- Data Integrity eddsa-rdfc-2022 --------------------------------------------------------


def _hash_data(document: dict, proof_options: dict, *, strict: bool) -> bytes:
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = dict(proof_options)
    options.pop("proofValue", None)
    options["@context"] = document["@context"]
    proof_hash = hashlib.sha256(canonicalize(options, strict=strict).encode()).digest()
    document_hash = hashlib.sha256(canonicalize(unsecured, strict=strict).encode()).digest()
    return proof_hash + document_hash


def di_sign(
    document: dict, *, private_key: Ed25519PrivateKey, verification_method: str, created: str
) -> dict:
    """Return a copy of `document` with an embedded DataIntegrityProof (as a list)."""
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = private_key.sign(_hash_data(document, proof, strict=True))
    signed = copy.deepcopy({k: v for k, v in document.items() if k != "proof"})
    signed["proof"] = [{**proof, "proofValue": multibase_encode(signature)}]
    return signed


def di_verify(document: dict, *, resolve_key) -> bool:
    """Check every eddsa-rdfc-2022 proof; `resolve_key(verification_method)` returns an
    Ed25519PublicKey or None. Any error reads as "not verified"."""
    from cryptography.exceptions import InvalidSignature

    proofs = document.get("proof")
    if isinstance(proofs, dict):
        proofs = [proofs]
    if not proofs:
        return False
    try:
        for proof in proofs:
            if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
                return False
            public_key = resolve_key(proof.get("verificationMethod", ""))
            if public_key is None:
                return False
            signature = multibase_decode(proof["proofValue"])
            public_key.verify(signature, _hash_data(document, proof, strict=False))
    except (InvalidSignature, SigningError, KeyError, TypeError, ValueError, AttributeError):
        return False
    except Exception as exc:  # pyld raises its own errors for malformed JSON-LD
        if type(exc).__name__ == "JsonLdError":
            return False
        raise
    return True


# --- VC-JWT --------------------------------------------------------------------------------


def jwt_sign(claims: dict, *, private_jwk: dict, kid: str) -> str:
    from joserfc import jwt
    from joserfc.jwk import ECKey

    key = ECKey.import_key(private_jwk)
    return jwt.encode({"alg": "ES256", "typ": "JWT", "kid": kid}, claims, key, algorithms=["ES256"])


def jwt_verify(token: str, *, public_jwks: list[dict]) -> dict | None:
    """The claims if the ES256 signature verifies with one of the keys, else None."""
    from joserfc import jwt
    from joserfc.errors import JoseError
    from joserfc.jwk import KeySet

    try:
        key_set = KeySet.import_key_set({"keys": public_jwks})
        return dict(jwt.decode(token, key_set, algorithms=["ES256"]).claims)
    except (JoseError, ValueError, TypeError, KeyError):
        return None


# --- private keys at rest ------------------------------------------------------------------


def _fernet() -> Fernet:
    secret = settings.ISSUER_KEY_SECRET or settings.SECRET_KEY
    key = hashlib.sha256(b"issuer-private-keys:" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_private(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt_private(token: bytes) -> bytes:
    return _fernet().decrypt(bytes(token))


def new_ed25519() -> tuple[Ed25519PrivateKey, bytes]:
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return key, raw


def ed25519_from_seed(seed: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(seed)
