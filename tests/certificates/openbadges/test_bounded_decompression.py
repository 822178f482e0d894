"""Decoding a status list or a compressed baked text stops at a bound, never inflating a
bomb whole."""

import base64
import gzip
import struct
import zlib

import pytest

from certificates.openbadges import baking
from certificates.openbadges.status_list import (
    MAX_BITSTRING_BYTES,
    decode_bitstring,
    encode_bitstring,
)


def test_a_real_status_list_decodes():
    assert decode_bitstring(encode_bitstring([0, 9], 131072))[:2] == b"\x80\x40"


def test_a_gzip_bomb_status_list_is_refused():
    bomb = gzip.compress(b"\0" * (MAX_BITSTRING_BYTES + 1), mtime=0)
    encoded = "u" + base64.urlsafe_b64encode(bomb).rstrip(b"=").decode()

    with pytest.raises(ValueError) as refused:
        decode_bitstring(encoded)

    assert str(refused.value) == "The status list is too large."


def _compressed_itxt(keyword: str, text: bytes) -> bytes:
    body = keyword.encode() + b"\0\x01\x00" + b"\0" + b"\0" + zlib.compress(text)
    return (
        struct.pack(">I", len(body))
        + b"iTXt"
        + body
        + struct.pack(">I", zlib.crc32(b"iTXt" + body))
    )


def test_a_compressed_baked_text_inflating_beyond_the_bound_is_refused():
    png = baking._default_png("Bomb", "micro")
    iend = png.rindex(b"IEND") - 4
    bombed = (
        png[:iend] + _compressed_itxt("openbadges", b" " * (baking.MAX_BAKED_TEXT + 1)) + png[iend:]
    )

    with pytest.raises(baking.BakingError) as refused:
        baking.unbake_png(bombed, keyword="openbadges")

    assert str(refused.value) == "Compressed text too large."


def test_a_compressed_baked_text_within_the_bound_is_read():
    png = baking._default_png("Small", "micro")
    iend = png.rindex(b"IEND") - 4
    baked = png[:iend] + _compressed_itxt("openbadges", b"https://a.example/1") + png[iend:]

    assert baking.unbake_png(baked, keyword="openbadges") == ["https://a.example/1"]
