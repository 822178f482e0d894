"""Uploads are judged by their bytes, never by their names."""

import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.errors import ValidationFailed
from core.svg import check_svg
from core.uploads import (
    EVIDENCE_KINDS,
    display_filename,
    generated_name,
    inspect_upload,
    sniff,
)

MB = 1024 * 1024
NOT_ACCEPTED = (
    "This kind of file is not accepted. Accepted: PDF, images (PNG, JPEG, GIF, WebP), office "
    "documents, plain text, common audio and video."
)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (27, 94, 122)).save(buffer, fmt)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Evidence</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return buffer.getvalue()


def mp3_bytes() -> bytes:
    # An ID3v2.4 tag, then MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz: 417 bytes each).
    tag = b"ID3\x04\x00\x00\x00\x00\x00\x00"
    frame = b"\xff\xfb\x90\x64" + b"\x00" * 413
    return tag + frame * 4


def mp4_bytes() -> bytes:
    ftyp = b"ftyp" + b"isom" + struct.pack(">I", 0x200) + b"isomiso2avc1mp41"
    box = struct.pack(">I", len(ftyp) + 4) + ftyp
    free = struct.pack(">I", 8) + b"free"
    return box + free + struct.pack(">I", 16) + b"mdat" + b"\x00" * 8


def pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PDF")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "mime", "extension"),
    [
        ("report.pdf", pdf_bytes(), "application/pdf", "pdf"),
        ("photo.png", image_bytes("PNG"), "image/png", "png"),
        ("photo.jpeg", image_bytes("JPEG"), "image/jpeg", "jpg"),
        (
            "essay.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        ("essay.odt", odt_bytes(), "application/vnd.oasis.opendocument.text", "odt"),
        ("talk.mp3", mp3_bytes(), "audio/mpeg", "mp3"),
        ("clip.mp4", mp4_bytes(), "video/mp4", "mp4"),
        ("notes.txt", "Reflexion über Lernziele: ✓\n".encode(), "text/plain", "txt"),
    ],
)
def test_real_files_of_accepted_kinds_are_recognised(name, content, mime, extension):
    kind = inspect_upload(upload(name, content), allowed=EVIDENCE_KINDS, max_size=5 * MB)

    assert (kind.mime, kind.extension) == (mime, extension)


def test_the_kind_comes_from_the_content_not_the_name():
    kind = inspect_upload(
        upload("photo.pdf", image_bytes("PNG")), allowed=EVIDENCE_KINDS, max_size=MB
    )

    assert kind.mime == "image/png"


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        b"\xef\xbb\xbf  <html><body onload=alert(1)>",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56,
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56,
        b"PK\x03\x04 not really a zip",
    ],
    ids=["html", "html-with-bom", "svg", "elf", "windows-exe", "broken-zip"],
)
def test_a_wrong_type_behind_a_pdf_name_is_refused(content):
    with pytest.raises(ValidationFailed) as refused:
        inspect_upload(upload("report.pdf", content), allowed=EVIDENCE_KINDS, max_size=MB)

    assert str(refused.value.message) == NOT_ACCEPTED


def test_a_kind_not_allowed_here_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        inspect_upload(
            upload("photo.png", image_bytes("PNG")), allowed=frozenset({"pdf"}), max_size=MB
        )

    assert str(refused.value.message) == "This kind of file is not accepted here."


def test_an_oversize_file_is_refused():
    content = b"%PDF-1.7\n" + b"0" * (MB + 1)

    with pytest.raises(ValidationFailed) as refused:
        inspect_upload(upload("big.pdf", content), allowed=EVIDENCE_KINDS, max_size=MB)

    assert str(refused.value.message) == "The file is too large (1.1 MB); the limit is 1.0 MB."


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        inspect_upload(upload("empty.pdf", b""), allowed=EVIDENCE_KINDS, max_size=MB)

    assert str(refused.value.message) == "The file is empty."


def test_sniffing_leaves_the_file_at_its_start():
    file = upload("report.pdf", pdf_bytes())

    sniff(file)

    assert file.read(5) == b"%PDF-"


@pytest.mark.parametrize(
    ("original", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\cmd.exe", "cmd.exe"),
        ("/absolute/path/report.pdf", "report.pdf"),
        ("re\x00port\x1b[31m.pdf", "report[31m.pdf"),
        ("line\nbreak\r.pdf", "linebreak.pdf"),
        ("bidi\u202etxt.exe", "biditxt.exe"),
        ("..", "file"),
        ("", "file"),
        (None, "file"),
        ("a" * 400 + ".pdf", "a" * 150),
    ],
)
def test_display_filename_removes_path_tricks_and_control_characters(original, shown):
    assert display_filename(original) == shown


def test_generated_names_reveal_nothing_and_never_repeat():
    from core.uploads import PDF

    first, second = generated_name("evidence", PDF), generated_name("evidence", PDF)

    assert first != second
    assert first.startswith("evidence/") and first.endswith(".pdf")
    assert len(first) == len("evidence/") + 32 + len(".pdf")


SAFE_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    b'viewBox="0 0 10 10"><defs><circle id="c" r="4"/></defs><use xlink:href="#c"/>'
    b'<rect width="10" height="10" fill="#1b5e7a"/></svg>'
)


def test_a_plain_svg_passes():
    check_svg(SAFE_SVG)


@pytest.mark.parametrize(
    ("svg", "message"),
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "The SVG image contains script or embedded content.",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "The SVG image contains event handlers (script).",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="x()"/></svg>',
            "The SVG image contains event handlers (script).",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            b'<image xlink:href="https://evil.example/track.png"/></svg>',
            "The SVG image refers to an external resource.",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)">x</a></svg>',
            "The SVG image refers to an external resource.",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div/></foreignObject></svg>',
            "The SVG image contains script or embedded content.",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg"><text>&xxe;</text></svg>',
            "The SVG image may not declare a DOCTYPE or entities.",
        ),
        (
            b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/'
            b'DTD/svg11.dtd"><svg xmlns="http://www.w3.org/2000/svg"/>',
            "The SVG image may not declare a DOCTYPE or entities.",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://evil.example/a.css);'
            b"</style></svg>",
            "The SVG image's style refers to an external resource.",
        ),
        (b"<svg><unclosed></svg>", "The SVG image is not well-formed XML."),
        (b"<html/>", "The file is not an SVG image."),
    ],
    ids=[
        "script",
        "onload",
        "onclick",
        "external-image",
        "javascript-link",
        "foreignObject",
        "entities",
        "doctype",
        "style-import",
        "malformed",
        "not-svg",
    ],
)
def test_an_svg_that_could_run_or_fetch_anything_is_refused(svg, message):
    with pytest.raises(ValidationFailed) as refused:
        check_svg(svg)

    assert str(refused.value.message) == message
