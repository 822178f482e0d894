"""A corpus of hostile files, generated in code (no binary fixtures): archive bombs,
images whose headers declare huge dimensions, decompression-bomb images, polyglots, files
with dangerous names, and SVG with every script vector. Shared by the upload tests."""

import base64
import bz2
import io
import struct
import zipfile
import zlib
from functools import lru_cache

from PIL import Image

MB = 1024 * 1024
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


# --- archives -------------------------------------------------------------------------------


def raw_zip(members) -> bytes:
    """A zip built byte by byte, so the declared sizes and methods can lie: members are
    (name, method, data as stored, declared uncompressed size, declared compressed size)."""
    body, directory = b"", b""
    for name, method, data, size, compressed_size in members:
        encoded = name.encode()
        local = struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0, 0, compressed_size, size,
            len(encoded), 0,
        )  # fmt: skip
        directory += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0, 0, compressed_size, size,
            len(encoded), 0, 0, 0, 0, 0, len(body),
        ) + encoded  # fmt: skip
        body += local + encoded + data
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), len(body), 0
    )
    return body + directory + end


def _deflate_zeros(size: int) -> bytes:
    """Raw deflate of `size` zero bytes, built from one repeated fully-flushed block (cheap
    to make, expensive to inflate)."""
    block_size = MB
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(b"\0" * block_size) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = zlib.compressobj(9, zlib.DEFLATED, -15)
    again.compress(b"\0" * block_size)
    again.flush(zlib.Z_FULL_FLUSH)
    repeated = again.compress(b"\0" * block_size) + again.flush(zlib.Z_FULL_FLUSH)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    return block + repeated * (size // block_size - 1) + tail


@lru_cache(maxsize=1)
def deflate_bomb_odt() -> bytes:
    """An .odt whose deflated `mimetype` member inflates to 1 GiB of zeros."""
    data = _deflate_zeros(1024 * MB)
    return raw_zip([("mimetype", zipfile.ZIP_DEFLATED, data, 1024 * MB, len(data))])


@lru_cache(maxsize=1)
def deflate_bomb_odt_lying_sizes() -> bytes:
    """The same bomb, its listing claiming a 39-byte member: only reading less can save us."""
    data = _deflate_zeros(1024 * MB)
    return raw_zip([("mimetype", zipfile.ZIP_DEFLATED, data, len(ODT_MIMETYPE), len(data))])


def lying_entry_count_docx(count: int = 6000) -> bytes:
    """A docx whose end record claims one entry while its directory holds `count`."""
    data = bytearray(many_members_docx(count))
    at = data.rfind(b"PK\x05\x06")
    data[at + 8 : at + 12] = struct.pack("<HH", 1, 1)
    return bytes(data)


@lru_cache(maxsize=1)
def bzip2_bomb_odt() -> bytes:
    """An .odt whose bzip2 `mimetype` member (a few hundred bytes) expands to 128 MiB."""
    compressor = bz2.BZ2Compressor(9)
    chunk = ODT_MIMETYPE + b" " * (MB - len(ODT_MIMETYPE))
    parts = [compressor.compress(chunk)]
    parts += [compressor.compress(b" " * MB) for _ in range(127)]
    data = b"".join(parts) + compressor.flush()
    return raw_zip([("mimetype", zipfile.ZIP_BZIP2, data, 128 * MB, len(data))])


def lzma_odt() -> bytes:
    """An .odt whose members are LZMA-compressed (office files never are)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_LZMA) as archive:
        archive.writestr("mimetype", ODT_MIMETYPE)
        archive.writestr("content.xml", b" " * MB)
    return buffer.getvalue()


def many_members_docx(count: int = 6000) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for index in range(count):
            archive.writestr(f"word/m{index}.xml", "")
    return buffer.getvalue()


def huge_declared_size_docx() -> bytes:
    """A docx whose members claim 600 MB each (at a plausible ratio): 1.8 GB unpacked."""
    members = [("[Content_Types].xml", zipfile.ZIP_STORED, b"<Types/>", 8, 8)]
    members += [
        (f"word/part{i}.xml", zipfile.ZIP_DEFLATED, b"\x03\x00", 600 * MB, 6 * MB) for i in range(3)
    ]
    return raw_zip(members)


def extreme_ratio_docx() -> bytes:
    """A docx whose one member inflates 1000-fold (4 GB from 4 MB)."""
    data = b"\x03\x00"
    return raw_zip(
        [
            ("[Content_Types].xml", zipfile.ZIP_STORED, b"<Types/>", 8, 8),
            ("word/document.xml", zipfile.ZIP_DEFLATED, data, 0xFFFFFFFF, 4 * MB),
        ]
    )


# --- images ---------------------------------------------------------------------------------


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header(width: int, height: int, idat: bytes = b"") -> bytes:
    """A PNG declaring width x height (8-bit greyscale), with the given (or a token) IDAT."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat or zlib.compress(b"\0\0"))
        + _png_chunk(b"IEND", b"")
    )


@lru_cache(maxsize=1)
def png_bomb() -> bytes:
    """A real decompression bomb: a valid 1-bit 30000 x 30000 PNG of a few hundred KB."""
    width = height = 30000
    row = b"\0" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def gif_header(width: int, height: int) -> bytes:
    screen = struct.pack("<HHBBB", width, height, 0, 0, 0)
    descriptor = b"," + struct.pack("<HHHHB", 0, 0, width, height, 0)
    return b"GIF89a" + screen + descriptor + b"\x02\x02\x44\x01\x00;"


def webp_header(width: int, height: int) -> bytes:
    """A lossless (VP8L) WebP declaring width x height (each at most 16384)."""
    bits = (width - 1) | ((height - 1) << 14)
    vp8l = b"\x2f" + bits.to_bytes(4, "little") + b"\x00" * 5
    body = b"WEBP" + b"VP8L" + struct.pack("<I", len(vp8l)) + vp8l
    return b"RIFF" + struct.pack("<I", len(body)) + body


def webp_canvas(width: int, height: int) -> bytes:
    """An extended (VP8X) WebP whose canvas is width x height (up to 2**24 a side)."""
    vp8x = b"\x00" * 4 + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    body = b"WEBP" + b"VP8X" + struct.pack("<I", len(vp8x)) + vp8x + webp_header(8, 8)[12:]
    return b"RIFF" + struct.pack("<I", len(body)) + body


def jpeg_header(width: int, height: int) -> bytes:
    """A baseline JPEG start (SOI, SOF0) declaring width x height."""
    sof = struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"
    quant = b"\x00" + bytes(range(1, 65))
    return (
        b"\xff\xd8"
        + b"\xff\xdb"
        + struct.pack(">H", len(quant) + 2)
        + quant
        + b"\xff\xc0"
        + struct.pack(">H", len(sof) + 2)
        + sof
        + b"\xff\xd9"
    )


def real_image(fmt: str, size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (27, 94, 122)).save(buffer, fmt)
    return buffer.getvalue()


# --- polyglots ------------------------------------------------------------------------------

PDF_HTML = (
    b"%PDF-1.4\n<html><body><script>alert(document.domain)</script></body></html>\n"
    b"1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
GIF_JS = b"GIF89a/*\x0a\x00\x0a\x00\x00\x00\x00*/=1;alert(document.domain);//" + b"\x00;"


def png_with_html() -> bytes:
    return real_image("PNG") + b"<html><script>alert(document.domain)</script></html>"


# --- SVG ------------------------------------------------------------------------------------

SVG_OPEN = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'viewBox="0 0 10 10">'
)
SCRIPT = "The SVG image contains script or embedded content."
HANDLER = "The SVG image contains event handlers (script)."
EXTERNAL = "The SVG image refers to an external resource."
STYLE_EXTERNAL = "The SVG image's style refers to an external resource."
STYLE_ACTIVE = "The SVG image's style contains CSS escapes or expressions, which are not allowed."
ANIMATION = "The SVG image contains animation that changes a link, style or script."
DOCTYPE = "The SVG image may not declare a DOCTYPE or entities."

# (id, SVG, the message an upload gets)
SVG_VECTORS = [
    ("script", SVG_OPEN + "<script>alert(1)</script></svg>", SCRIPT),
    ("script-in-g", SVG_OPEN + "<g><script href='data:,alert(1)'/></g></svg>", SCRIPT),
    ("onload", SVG_OPEN.replace("viewBox", 'onload="alert(1)" viewBox') + "</svg>", HANDLER),
    ("onclick", SVG_OPEN + '<rect onclick="alert(1)"/></svg>', HANDLER),
    ("ONMOUSEOVER", SVG_OPEN + '<rect ONMOUSEOVER="alert(1)"/></svg>', HANDLER),
    (
        "set-href-javascript",
        SVG_OPEN + '<a><set attributeName="href" to="javascript:alert(1)"/>'
        "<text y='5'>x</text></a></svg>",
        ANIMATION,
    ),
    (
        "set-xlink-href-javascript",
        SVG_OPEN + '<a xlink:href="#x"><set attributeName="xlink:href" to="javascript:alert(1)"/>'
        "<text>x</text></a></svg>",
        ANIMATION,
    ),
    (
        "animate-href-values",
        SVG_OPEN + '<a><animate attributeName="href" values="javascript:alert(1)"/>'
        "<text>x</text></a></svg>",
        ANIMATION,
    ),
    (
        "animate-style-url",
        SVG_OPEN + '<rect><animate attributeName="style" to="fill:url(http://evil.example/x)"/>'
        "</rect></svg>",
        ANIMATION,
    ),
    (
        "animateTransform-onbegin",
        SVG_OPEN + '<rect><animateTransform attributeName="transform" onbegin="alert(1)"/>'
        "</rect></svg>",
        HANDLER,
    ),
    (
        "animate-to-javascript",
        SVG_OPEN + '<a><animate attributeName="xlink:href" to="javascript:alert(1)"/></a></svg>',
        ANIMATION,
    ),
    ("a-javascript", SVG_OPEN + '<a href="javascript:alert(1)"><text>x</text></a></svg>', EXTERNAL),
    (
        "a-xlink-javascript",
        SVG_OPEN + '<a xlink:href=" JaVaScRiPt:alert(1)"><text>x</text></a></svg>',
        EXTERNAL,
    ),
    (
        "image-external",
        SVG_OPEN + '<image xlink:href="https://evil.example/track.png"/></svg>',
        EXTERNAL,
    ),
    ("use-external", SVG_OPEN + '<use href="https://evil.example/s.svg#x"/></svg>', EXTERNAL),
    (
        "data-text-html",
        SVG_OPEN + '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="/></svg>',
        EXTERNAL,
    ),
    (
        "image-data-svg",
        SVG_OPEN + '<image href="data:image/svg+xml;base64,PHN2Zy8+"/></svg>',
        EXTERNAL,
    ),
    (
        "image-data-png-30000x30000",
        SVG_OPEN
        + '<image href="data:image/png;base64,'
        + base64.b64encode(png_header(30000, 30000)).decode()
        + '"/></svg>',
        "The image is too large (30000 x 30000 pixels); the limit is 16 "
        "megapixels and 20000 pixels a side.",
    ),
    (
        "style-attribute-url",
        SVG_OPEN + '<rect style="fill:url(http://evil.example/p)"/></svg>',
        STYLE_EXTERNAL,
    ),
    (
        "style-attribute-url-quoted",
        SVG_OPEN + "<rect style=\"background:URL( 'https://evil.example/p')\"/></svg>",
        STYLE_EXTERNAL,
    ),
    (
        "fill-attribute-url",
        SVG_OPEN + '<rect fill="url(https://evil.example/g.svg#g)"/></svg>',
        EXTERNAL,
    ),
    (
        "style-element-url",
        SVG_OPEN + "<style>rect{fill:url(http://evil.example/p)}</style></svg>",
        STYLE_EXTERNAL,
    ),
    (
        "style-element-import",
        SVG_OPEN + "<style>@import 'https://evil.example/a.css';</style></svg>",
        STYLE_EXTERNAL,
    ),
    (
        "style-element-font-face",
        SVG_OPEN + "<style>@font-face{font-family:x;src:local(x)}</style></svg>",
        STYLE_EXTERNAL,
    ),
    (
        "style-comment-split",
        SVG_OPEN + "<style>@im/**/port url(https://evil.example/a.css);</style></svg>",
        STYLE_EXTERNAL,
    ),
    (
        "style-escape",
        SVG_OPEN + "<style>rect{fill:u\\72l(https://evil.example/p)}</style></svg>",
        STYLE_ACTIVE,
    ),
    (
        "css-expression",
        SVG_OPEN + '<rect style="width:expression(alert(1))"/></svg>',
        STYLE_ACTIVE,
    ),
    (
        "foreignObject",
        SVG_OPEN + "<foreignObject><div xmlns='http://www.w3.org/1999/xhtml'>"
        "<iframe src='javascript:alert(1)'/></div></foreignObject></svg>",
        SCRIPT,
    ),
    ("iframe", SVG_OPEN + "<iframe src='https://evil.example'/></svg>", SCRIPT),
    (
        "xxe",
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        + SVG_OPEN
        + "<text>&xxe;</text></svg>",
        DOCTYPE,
    ),
    (
        "billion-laughs",
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' + SVG_OPEN + "<text>&b;</text></svg>",
        DOCTYPE,
    ),
    (
        "doctype-external-dtd",
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">' + SVG_OPEN + "</svg>",
        DOCTYPE,
    ),
]


def use_bomb(levels: int = 8, fan_out: int = 10) -> str:
    """Each level draws the level below ten times: 10**8 shapes from a few hundred bytes."""
    defs = '<g id="l0"><rect width="1" height="1"/></g>'
    for level in range(1, levels + 1):
        uses = "".join(f'<use href="#l{level - 1}"/>' for _ in range(fan_out))
        defs += f'<g id="l{level}">{uses}</g>'
    return SVG_OPEN + f'<defs>{defs}</defs><use href="#l{levels}"/></svg>'


USE_CYCLE = SVG_OPEN + '<g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g></svg>'
