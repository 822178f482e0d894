"""Cryptography for credentials: pinned JSON-LD contexts, Data Integrity `eddsa-rdfc-2022`
proofs, VC-JWT (RS256; ES256 tokens issued by earlier versions still verify),
Multikey/multibase encoding, key encryption at rest.

No network, ever: the JSON-LD document loader serves only the contexts pinned in
`contexts/` beside this module (copied from registry packages, see contexts/PROVENANCE.md)
and refuses every other URL. The signer also refuses a document that JSON-LD safe mode would
refuse: a property that expansion would drop (pyld silently ignores undefined terms, which
would leave them unsigned), or a type or id that is not an absolute IRI (pyld resolves an
undefined term used as a value of `type` against a made-up base IRI; other processors drop
or refuse it).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
from functools import cache, lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"
VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_V3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_V3_EXTENSIONS_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
DID_V1_CONTEXT = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1_CONTEXT = "https://w3id.org/security/multikey/v1"
OB_V2_CONTEXT = "https://w3id.org/openbadges/v2"
PINNED_CONTEXTS = {
    VC_V2_CONTEXT: "credentials-v2.jsonld",
    OB_V3_CONTEXT: "ob-v3p0-context-3.0.3.json",
    OB_V3_EXTENSIONS_CONTEXT: "ob-v3p0-extensions.json",
    DID_V1_CONTEXT: "did-v1.jsonld",
    MULTIKEY_V1_CONTEXT: "multikey-v1.jsonld",
}
# The contexts of each kind of document the app signs or serves (every term they use is
# defined by them; tests expand each kind in JSON-LD safe mode).
CREDENTIAL_CONTEXTS = [VC_V2_CONTEXT, OB_V3_CONTEXT, OB_V3_EXTENSIONS_CONTEXT]
# The issuer profile is also the controller document of its keys: the DID v1 context (first,
# as controller documents are read) defines verificationMethod and assertionMethod, the
# Multikey context the keys themselves.
PROFILE_CONTEXTS = [DID_V1_CONTEXT, OB_V3_CONTEXT, MULTIKEY_V1_CONTEXT]
CRYPTOSUITE = "eddsa-rdfc-2022"
ED25519_MULTICODEC = b"\xed\x01"


class SigningError(Exception):
    """A document that cannot be signed or verified as asked."""


class ContextNotPinned(SigningError):
    pass


class PropertyDropped(SigningError):
    pass


class RelativeIri(SigningError):
    """A type or id that is not an absolute IRI: undefined by the contexts."""


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
    from pyld.jsonld import JsonLdError  # noqa: PLC0415 - PyLD is heavy: loaded where JSON-LD is used

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


# Strict canonicalisation resolves relative IRIs against this base (a reserved, never
# resolvable name) so that any left in the output can be found and refused.
RELATIVE_IRI_BASE = "https://relative-iri.invalid/"
_RELATIVE_IRI = re.compile("<" + re.escape(RELATIVE_IRI_BASE) + r"([^>]*)>")


def canonicalize(document: dict, *, strict: bool = True) -> str:
    """RDF Dataset Canonicalization (RDFC-1.0 = URDNA2015) to N-Quads. With `strict`, what
    JSON-LD safe mode refuses is refused, in the same single expansion pass: a property the
    contexts would drop (PropertyDropped), and a type or id that is not an absolute IRI,
    such as an undefined term used as a value of `type` (RelativeIri). Without `strict` (to
    verify what was signed before), pyld's defaults apply."""
    from pyld.jsonld import JsonLdProcessor  # noqa: PLC0415 - PyLD is heavy: loaded where JSON-LD is used

    dropped: list[str] = []
    processor = JsonLdProcessor(on_property_dropped=lambda prop: dropped.append(str(prop)))
    options = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": document_loader,
    }
    if strict:
        options["base"] = RELATIVE_IRI_BASE
    nquads = processor.normalize(document, options)
    if strict and dropped:
        raise PropertyDropped(f"Properties not defined by the contexts: {sorted(set(dropped))}")
    relative = _RELATIVE_IRI.findall(nquads) if strict else []
    if relative:
        raise RelativeIri(f"Types or ids not defined by the contexts: {sorted(set(relative))}")
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

JWT_ALGORITHM = "RS256"  # the one algorithm OB 3.0 requires every verifier to support
# Accepted when verifying: RS256, and ES256 for tokens issued by earlier versions.
JWT_VERIFY_ALGORITHMS = ["RS256", "ES256"]


@lru_cache(maxsize=32)
def _rsa_key(private_jwk_json: str):
    """The RSA key object of a private JWK. Loading one validates the key (about 50 ms for
    RSA 2048), so each process does it once per key rather than once per credential."""
    from joserfc.jwk import RSAKey  # noqa: PLC0415 - joserfc: loaded only where tokens are made or read

    return RSAKey.import_key(json.loads(private_jwk_json))


def jwt_sign(claims: dict, *, private_jwk: dict, kid: str) -> str:
    """An RS256 VC-JWT; `kid` is a URL that dereferences to the public JWK (OB 3.0 8.2)."""
    from joserfc import jwt  # noqa: PLC0415 - joserfc: loaded only where tokens are made or read

    key = _rsa_key(json.dumps(private_jwk, sort_keys=True))
    return jwt.encode(
        {"alg": JWT_ALGORITHM, "typ": "JWT", "kid": kid}, claims, key, algorithms=[JWT_ALGORITHM]
    )


def jwt_part(token: str, index: int) -> dict:
    """Part `index` of a compact JWT (0: header, 1: claims) as JSON, NOT verified: for
    reading what a token says about itself before or without verifying it. SigningError if
    it is malformed."""
    try:
        parts = token.split(".")
        if len(parts) != 3:
            raise ValueError("not three parts")
        part = parts[index]
        value = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, RecursionError, AttributeError) as error:  # JSONDecodeError too
        raise SigningError("Not a compact JWT.") from error
    if not isinstance(value, dict):
        raise SigningError("Not a compact JWT.")
    return value


def jwt_verify(token: str, *, public_jwks: list[dict]) -> dict | None:
    """The claims if the signature verifies with the key of one of the JWKs that the
    header's `kid` names, else None."""
    # joserfc: loaded only where tokens are made or read.
    from joserfc import jwt  # noqa: PLC0415 - joserfc is heavy: loaded only where it is used
    from joserfc.errors import JoseError  # noqa: PLC0415 - joserfc is heavy: loaded only where it is used
    from joserfc.jwk import KeySet  # noqa: PLC0415 - joserfc is heavy: loaded only where it is used

    try:
        key_set = KeySet.import_key_set({"keys": public_jwks})
        return dict(jwt.decode(token, key_set, algorithms=JWT_VERIFY_ALGORITHMS).claims)
    except (JoseError, ValueError, TypeError, KeyError):
        return None


# --- private keys at rest ------------------------------------------------------------------


def _fernet() -> Fernet:
    secret = settings.ISSUER_KEY_SECRET or settings.SECRET_KEY
    key = hashlib.sha256(b"issuer-private-keys:" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_private(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt_private(token: bytes | memoryview) -> bytes:
    return _fernet().decrypt(bytes(token))


def new_ed25519() -> tuple[Ed25519PrivateKey, bytes]:
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return key, raw


def ed25519_from_seed(seed: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(seed)
