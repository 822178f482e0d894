"""Baking: a credential embedded in its badge image (PNG iTXt chunk, SVG element).

Open Badges 2.0: PNG keyword `openbadges` (the hosted assertion URL), SVG
`<openbadges:assertion verify="URL"/>` in the namespace http://openbadges.org.
Open Badges 3.0: PNG keyword `openbadgecredential` (the signed JSON), SVG
`<openbadges:credential>` with the JSON in CDATA, namespace https://purl.imsglobal.org/ob/v3p0.
Existing chunks/elements with the same keyword are replaced, so there is exactly one.
"""

import base64
import io
import struct
import zlib
from functools import lru_cache
from xml.etree import ElementTree

from core.svg import remove_element, sanitize_svg
from frameworks.images import COLOURS, badge_image_bytes, initials
from frameworks.models import BadgeKind

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OB2_KEYWORD = "openbadges"
OB3_KEYWORD = "openbadgecredential"
OB2_SVG_NS = "http://openbadges.org"
OB3_SVG_NS = "https://purl.imsglobal.org/ob/v3p0"
# What baking adds to a badge SVG: kept (with these attributes) when a baked SVG is cleaned.
BAKED_SVG_ELEMENTS = {
    f"{{{OB2_SVG_NS}}}assertion": frozenset({"verify"}),
    f"{{{OB3_SVG_NS}}}credential": frozenset(),
}
MAX_BAKED_SVG_BYTES = 8 * 1024 * 1024


class BakingError(ValueError):
    pass


def _chunks(data: bytes):
    if not data.startswith(PNG_SIGNATURE):
        raise BakingError("Not a PNG image.")
    offset = len(PNG_SIGNATURE)
    while offset + 8 <= len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if len(body) != length:
            raise BakingError("Truncated PNG chunk.")
        yield kind, body, data[offset : offset + 12 + length]
        offset += 12 + length
        if kind == b"IEND":
            return
    raise BakingError("PNG without IEND.")


def _itxt_keyword(body: bytes) -> str:
    return body.split(b"\0", 1)[0].decode("latin-1")


def _itxt_chunk(keyword: str, text: str) -> bytes:
    # keyword \0 compression-flag(0) compression-method(0) language \0 translated \0 text
    body = keyword.encode("latin-1") + b"\0\0\0" + b"\0" + b"\0" + text.encode("utf-8")
    crc = zlib.crc32(b"iTXt" + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + b"iTXt" + body + struct.pack(">I", crc)


def bake_png(image: bytes, *, keyword: str, text: str) -> bytes:
    """`image` with exactly one uncompressed iTXt chunk `keyword` holding `text`."""
    out = [PNG_SIGNATURE]
    for kind, body, raw in _chunks(image):
        # Also an older tEXt/zTXt chunk with the keyword (OB 1.0 baking used tEXt): a
        # verifier must not find a second, foreign assertion in the image.
        if kind in (b"iTXt", b"tEXt", b"zTXt") and _itxt_keyword(body) == keyword:
            continue
        if kind == b"IEND":
            out.append(_itxt_chunk(keyword, text))
        out.append(raw)
    return b"".join(out)


def unbake_png(image: bytes, *, keyword: str) -> list[str]:
    """Every text of iTXt chunks named `keyword` (a valid baked image has exactly one)."""
    texts = []
    for kind, body, _raw in _chunks(image):
        if kind != b"iTXt" or _itxt_keyword(body) != keyword:
            continue
        rest = body[len(keyword) + 1 :]
        compressed = rest[0] == 1
        rest = rest[2:]
        _language, rest = rest.split(b"\0", 1)
        _translated, text = rest.split(b"\0", 1)
        texts.append((_inflate(text) if compressed else text).decode("utf-8"))
    return texts


MAX_BAKED_TEXT = 1024 * 1024


def _inflate(data: bytes) -> bytes:
    """A compressed iTXt text, bounded: a baked credential is kilobytes, not a bomb."""
    inflater = zlib.decompressobj()
    text = inflater.decompress(data, MAX_BAKED_TEXT + 1)
    if len(text) > MAX_BAKED_TEXT or inflater.unconsumed_tail:
        raise BakingError("Compressed text too large.")
    return text


def _bake_svg(svg: bytes, *, namespace: str, name: str, attrib=None, text=None) -> bytes:
    """Insert `<openbadges:name>` as the root's first child, with an XML parser (a regex on
    the bytes would be fooled by comments, `>` in attribute values or a foreign prefix),
    after removing every existing element of that name, so there is exactly one."""
    from lxml import etree  # noqa: PLC0415 - heavy: loaded only when an SVG is baked

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(svg, parser=parser)
    except etree.XMLSyntaxError as error:
        raise BakingError("Not an SVG image.") from error
    if not isinstance(root.tag, str) or etree.QName(root).localname != "svg":
        raise BakingError("Not an SVG image.")
    for old in list(root.iter(f"{{{namespace}}}{name}")):
        remove_element(old)
    prefix = "openbadges" if root.nsmap.get("openbadges", namespace) == namespace else None
    element = etree.Element(f"{{{namespace}}}{name}", nsmap={prefix: namespace})
    for key, value in (attrib or {}).items():
        element.set(key, value)
    if text is not None:
        # CDATA keeps the JSON readable; plain (escaped) text is the fallback for a "]]>".
        element.text = text if "]]>" in text else etree.CDATA(text)
    root.insert(0, element)
    if prefix:
        etree.cleanup_namespaces(root, top_nsmap={prefix: namespace})
    return etree.tostring(root.getroottree(), encoding="utf-8", xml_declaration=True)


def bake_svg_ob2(svg: bytes, *, assertion_url: str) -> bytes:
    return _bake_svg(svg, namespace=OB2_SVG_NS, name="assertion", attrib={"verify": assertion_url})


def bake_svg_ob3(svg: bytes, *, credential_json: str) -> bytes:
    return _bake_svg(svg, namespace=OB3_SVG_NS, name="credential", text=credential_json)


def clean_baked_svg(svg: bytes) -> bytes:
    """A stored baked SVG as it may be served: the badge part allow-listed again (a badge
    baked before the SVG rules were tightened is cleaned on the way out), the credential
    elements kept. UnsafeSvg when it cannot be parsed safely."""
    return sanitize_svg(svg, keep=BAKED_SVG_ELEMENTS, max_bytes=MAX_BAKED_SVG_BYTES)


def unbake_svg(svg: bytes) -> dict:
    """{'assertion': [verify URLs], 'credential': [texts]} read with an XML parser."""
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own baked output, no entities
    found: dict[str, list[str]] = {"assertion": [], "credential": []}
    for element in root.iter(f"{{{OB2_SVG_NS}}}assertion"):
        found["assertion"].append(element.get("verify", ""))
    for element in root.iter(f"{{{OB3_SVG_NS}}}credential"):
        found["credential"].append((element.text or "").strip())
    return found


@lru_cache(maxsize=64)
def _default_png(title: str, kind: str) -> bytes:
    from PIL import Image, ImageDraw  # noqa: PLC0415 - heavy: loaded only to draw a default badge

    stroke, fill = COLOURS.get(kind, COLOURS[BadgeKind.MICRO])
    image = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((16, 16, 240, 240), fill=fill, outline=stroke, width=14)
    draw.text((128, 128), initials(title), fill=stroke, anchor="mm", font_size=72)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def badge_images(version) -> tuple[bytes, bytes]:
    """(png, svg) of the badge version, for baking. An uploaded PNG is wrapped in an SVG;
    an SVG badge gets a generated PNG rendition."""
    data, mime = badge_image_bytes(version)
    if mime == "image/png":
        png = data
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" '
            'viewBox="0 0 256 256"><image width="256" height="256" href="data:image/png;base64,'
            + base64.b64encode(data).decode()
            + '"/></svg>'
        ).encode()
    else:
        svg = data
        png = _default_png(version.title, version.badge.kind)
    return png, svg
