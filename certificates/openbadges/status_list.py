"""W3C Bitstring Status List: the issuer's revocation list as an unsigned credential, and
the encoding of its bits (GZIP, base64url, multibase; bit 0 is the first byte's MSB)."""

import base64
import gzip
import zlib
from datetime import datetime

from . import signing
from .ob3 import iso
from .urls_public import issuer_url, status_list_url

MAX_BITSTRING_BYTES = 16 * 1024 * 1024


def encode_bitstring(indices, size: int) -> str:
    """GZIP-compressed, base64url (no padding), multibase 'u' prefix; bit 0 = MSB of byte 0."""
    data = bytearray(size // 8)
    for index in indices:
        data[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(data), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode()


def decode_bitstring(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("Not a base64url multibase value.")
    body = encoded[1:]
    # Bounded: a real status list is kilobytes uncompressed; a gzip bomb is refused.
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    data = inflater.decompress(
        base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)), MAX_BITSTRING_BYTES + 1
    )
    if len(data) > MAX_BITSTRING_BYTES or inflater.unconsumed_tail:
        raise ValueError("The status list is too large.")
    return data


def bit_is_set(bitstring: bytes, index: int) -> bool:
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def build_status_list(issuer, *, revoked_indices, size: int, now: datetime) -> dict:
    url = status_list_url(issuer)
    return {
        "@context": [signing.VC_V2_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_url(issuer),
        "validFrom": iso(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bitstring(revoked_indices, size),
        },
    }
