"""Baking into hostile (but well-formed and upload-accepted) badge SVGs."""

import json

from lxml import etree

from certificates.openbadges import baking
from core.svg import check_svg

SVG_NS = "http://www.w3.org/2000/svg"
URL = "https://badges.example/ob2/assertions/1"


def _assertions(svg: bytes) -> list[str]:
    root = etree.fromstring(svg)
    return [e.get("verify") for e in root.iter(f"{{{baking.OB2_SVG_NS}}}assertion")]


def test_a_greater_than_sign_in_a_root_attribute_does_not_break_the_baked_svg():
    badge = f'<svg xmlns="{SVG_NS}" aria-label="A &gt; B, really a>b"><circle r="4"/></svg>'
    check_svg(badge.encode())  # an upload the badge editor accepts

    baked = baking.bake_svg_ob2(badge.encode(), assertion_url=URL)

    assert _assertions(baked) == [URL]
    assert etree.fromstring(baked).get("aria-label") == "A > B, really a>b"


def test_an_svg_tag_inside_a_leading_comment_does_not_swallow_the_assertion():
    badge = f'<!-- drawn from <svg> template --><svg xmlns="{SVG_NS}"><circle r="4"/></svg>'
    check_svg(badge.encode())

    baked = baking.bake_svg_ob2(badge.encode(), assertion_url=URL)

    assert _assertions(baked) == [URL]


def test_a_foreign_openbadges_prefix_on_the_root_does_not_change_the_element_namespace():
    badge = (
        f'<svg xmlns="{SVG_NS}" xmlns:openbadges="https://evil.example/ns"><circle r="4"/></svg>'
    )
    check_svg(badge.encode())

    baked = baking.bake_svg_ob3(badge.encode(), credential_json='{"id": "x"}')

    assert baking.unbake_svg(baked)["credential"] == ['{"id": "x"}']


def test_an_already_baked_badge_svg_is_replaced_not_duplicated():
    badge = baking.bake_svg_ob2(
        f'<svg xmlns="{SVG_NS}"><circle r="4"/></svg>'.encode(), assertion_url="https://other/1"
    )

    baked = baking.bake_svg_ob2(badge, assertion_url=URL)

    assert _assertions(baked) == [URL]


def test_a_credential_closing_cdata_and_svg_stays_inside_the_credential_element():
    text = json.dumps({"name": "x]]></openbadges:credential></svg><script>alert(1)</script>"})
    badge = f'<svg xmlns="{SVG_NS}"><circle r="4"/></svg>'.encode()

    baked = baking.bake_svg_ob3(badge, credential_json=text)

    root = etree.fromstring(baked)
    assert [e.tag for e in root.iter() if isinstance(e.tag, str)] == [
        f"{{{SVG_NS}}}svg",
        f"{{{baking.OB3_SVG_NS}}}credential",
        f"{{{SVG_NS}}}circle",
    ]
    assert baking.unbake_svg(baked)["credential"] == [text]


def _png_with_text_chunks() -> bytes:
    import io
    import struct
    import zlib

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, format="PNG")
    data = buffer.getvalue()

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    extra = chunk(b"tEXt", b"openbadges\0https://other.example/a") + chunk(
        b"zTXt", b"openbadges\0\0" + zlib.compress(b"https://other.example/b")
    )
    iend = data.rindex(b"IEND") - 4
    return data[:iend] + extra + data[iend:]


def test_baking_a_png_drops_an_older_text_chunk_with_the_same_keyword():
    baked = baking.bake_png(_png_with_text_chunks(), keyword="openbadges", text=URL)

    kinds = [(kind, body.split(b"\0", 1)[0]) for kind, body, _raw in baking._chunks(baked)]
    assert [k for k in kinds if k[1] == b"openbadges"] == [(b"iTXt", b"openbadges")]
    assert baking.unbake_png(baked, keyword="openbadges") == [URL]
