"""Hostile files are refused from their listing or header, with a clear message, in bounded
memory; SVG keeps only allow-listed elements and attributes; downloads carry the extension of
what the content is."""

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import ValidationFailed
from core.svg import SVG_HEADERS, UnsafeSvg, check_svg, sanitize_svg
from core.uploads import EVIDENCE_KINDS, inspect_upload, served_filename
from tests import hostile_files as hf

MB = 1024 * 1024
LIMIT = 20 * MB
TOO_MANY_PIXELS = (
    "The image is too large (30000 x 30000 pixels); the limit is 50 "
    "megapixels and 20000 pixels a side."
)
METHOD = (
    "The archive is not accepted: its entries use a compression method office documents do not use."
)
RATIO = "The archive is not accepted: an entry claims an extreme compression ratio."
ENTRIES = "The archive is not accepted: it has too many entries (at most 5000)."
UNPACKED = "The archive is not accepted: its entries would be too large once unpacked."
DAMAGED = "The image cannot be read; it may be damaged."
NOT_ACCEPTED = (
    "This kind of file is not accepted. Accepted: PDF, images (PNG, JPEG, GIF, WebP), office "
    "documents, plain text, common audio and video."
)


def polyglot(kind: str) -> str:
    return (
        "The file carries web page markup or script besides its content (or data after its "
        f"end); it is not accepted. Save it again as a plain {kind} file."
    )


# (id, content builder, message): every one is refused by inspect_upload.
HOSTILE_FILES = [
    ("odt-bzip2-bomb", hf.bzip2_bomb_odt, METHOD),
    ("odt-deflate-bomb", hf.deflate_bomb_odt, RATIO),
    ("odt-deflate-bomb-lying-sizes", hf.deflate_bomb_odt_lying_sizes, NOT_ACCEPTED),
    ("odt-lzma-members", hf.lzma_odt, METHOD),
    ("docx-lying-entry-count", hf.lying_entry_count_docx, ENTRIES),
    ("docx-6000-members", hf.many_members_docx, ENTRIES),
    ("docx-huge-declared-sizes", hf.huge_declared_size_docx, UNPACKED),
    ("docx-extreme-ratio", hf.extreme_ratio_docx, RATIO),
    ("png-30000x30000-header", lambda: hf.png_header(30000, 30000), TOO_MANY_PIXELS),
    ("png-30000x30000-bomb", hf.png_bomb, TOO_MANY_PIXELS),
    (
        "png-10000x10000",
        lambda: hf.png_header(10000, 10000),
        "The image is too large (10000 x 10000 pixels); the limit is 50 megapixels and 20000 "
        "pixels a side.",
    ),
    (
        "png-65000x1",
        lambda: hf.png_header(65000, 1),
        "The image is too large (65000 x 1 pixels); the limit is 50 megapixels and 20000 "
        "pixels a side.",
    ),
    ("gif-30000x30000", lambda: hf.gif_header(30000, 30000), TOO_MANY_PIXELS),
    ("jpeg-30000x30000", lambda: hf.jpeg_header(30000, 30000), TOO_MANY_PIXELS),
    (
        "webp-16384x16384",
        lambda: hf.webp_header(16384, 16384),
        "The image is too large (16384 x 16384 pixels); the limit is 50 megapixels and 20000 "
        "pixels a side.",
    ),
    (
        "webp-canvas-2^24",
        lambda: hf.webp_canvas(1 << 24, 1 << 24),
        "The image is too large (16777216 x 16777216 pixels); the limit is 50 megapixels and "
        "20000 pixels a side.",
    ),
    ("gif-js-polyglot", lambda: hf.GIF_JS, DAMAGED),
    ("png-truncated", lambda: hf.real_image("PNG")[:20], DAMAGED),
    ("pdf-html-polyglot", lambda: hf.PDF_HTML, polyglot("PDF")),
    ("png-with-html-appended", hf.png_with_html, polyglot("PNG")),
    (
        "jpeg-with-script-appended",
        lambda: hf.real_image("JPEG") + b"<script>alert(1)</script>",
        polyglot("JPG"),
    ),
    ("html", lambda: b"<!doctype html><script>alert(1)</script>", NOT_ACCEPTED),
    ("svg", lambda: hf.SVG_VECTORS[0][1].encode(), NOT_ACCEPTED),
    ("windows-exe", lambda: b"MZ\x90\x00" + b"\x00" * 60, NOT_ACCEPTED),
]


@pytest.mark.parametrize(
    ("build", "message"),
    [(build, message) for _id, build, message in HOSTILE_FILES],
    ids=[case[0] for case in HOSTILE_FILES],
)
def test_a_hostile_file_is_refused_with_a_clear_message(build, message):
    with pytest.raises(ValidationFailed) as refused:
        inspect_upload(
            SimpleUploadedFile("innocent.pdf", build()), allowed=EVIDENCE_KINDS, max_size=LIMIT
        )

    assert str(refused.value.message) == message


@pytest.mark.parametrize(
    ("content", "mime"),
    [
        (hf.real_image("PNG"), "image/png"),
        (hf.real_image("JPEG"), "image/jpeg"),
        (hf.real_image("GIF"), "image/gif"),
        (hf.real_image("WEBP"), "image/webp"),
        (hf.real_image("PNG", (8000, 6000)), "image/png"),
    ],
    ids=["png", "jpeg", "gif", "webp", "png-48-megapixels"],
)
def test_real_images_within_the_pixel_ceiling_pass(content, mime):
    kind = inspect_upload(
        SimpleUploadedFile("photo", content), allowed=EVIDENCE_KINDS, max_size=LIMIT
    )

    assert kind.mime == mime


def test_a_file_one_byte_over_the_limit_reads_as_over_the_limit():
    content = b"%PDF-1.7\n" + b"0" * (LIMIT + 1 - 9)

    with pytest.raises(ValidationFailed) as refused:
        inspect_upload(
            SimpleUploadedFile("big.pdf", content), allowed=EVIDENCE_KINDS, max_size=LIMIT
        )

    assert str(refused.value.message) == "The file is too large (20.1 MB); the limit is 20.0 MB."


def test_a_file_exactly_at_the_limit_passes():
    content = b"%PDF-1.7\n" + b"0" * (LIMIT - 9)

    kind = inspect_upload(
        SimpleUploadedFile("big.pdf", content), allowed=EVIDENCE_KINDS, max_size=LIMIT
    )

    assert kind.mime == "application/pdf"


# --- bounded memory ---------------------------------------------------------------------------

CHILD = """
import json, os, re, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 ** 3, 3 * 1024 ** 3))
import django
django.setup()
import lxml.etree, PIL.Image  # imported by both runs: only the inspection is measured
from django.core.files import File
from core.errors import ValidationFailed
from core.uploads import EVIDENCE_KINDS, inspect_upload
from frameworks.images import validate_badge_image


def peak_kb():
    # On Linux, ru_maxrss also carries the parent's peak across exec (the pytest process,
    # often larger than this child): the high-water mark of /proc/self/status, reset just
    # before the inspection, is the inspection's own. Elsewhere ru_maxrss is the measure.
    try:
        with open("/proc/self/status") as status:
            return int(re.search(r"VmHWM:\\s+(\\d+)", status.read()).group(1))
    except (OSError, AttributeError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


try:
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")  # reset the high-water mark to the current size
except OSError:
    pass
mode, path = sys.argv[1], sys.argv[2]
message = None
with open(path, "rb") as handle:
    upload = File(handle, name="upload")
    try:
        if mode == "evidence":
            inspect_upload(upload, allowed=EVIDENCE_KINDS, max_size=20 * 1024 * 1024)
        elif mode == "badge":
            validate_badge_image(upload)
    except ValidationFailed as error:
        message = str(error.message)
print(json.dumps({"peak_kb": peak_kb(), "message": message}))
"""


def _peak(mode: str, path: Path) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": ""}
    result = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def baseline_kb(tmp_path_factory) -> int:
    path = tmp_path_factory.mktemp("baseline") / "empty"
    path.write_bytes(b"x")
    return _peak("import-only", path)["peak_kb"]


@pytest.mark.parametrize(
    ("mode", "build", "message"),
    [
        ("evidence", hf.bzip2_bomb_odt, METHOD),
        ("evidence", hf.deflate_bomb_odt, RATIO),
        ("evidence", hf.deflate_bomb_odt_lying_sizes, NOT_ACCEPTED),
        ("evidence", hf.many_members_docx, ENTRIES),
        ("evidence", hf.png_bomb, TOO_MANY_PIXELS),
        (
            "evidence",
            lambda: hf.webp_canvas(1 << 24, 1 << 24),
            "The image is too large (16777216 x 16777216 pixels); the limit is 50 megapixels "
            "and 20000 pixels a side.",
        ),
        ("evidence", lambda: hf.gif_header(30000, 30000), TOO_MANY_PIXELS),
        ("evidence", lambda: hf.jpeg_header(30000, 30000), TOO_MANY_PIXELS),
        ("badge", hf.png_bomb, TOO_MANY_PIXELS.replace("50 megapixels", "16 megapixels")),
    ],
    ids=[
        "odt-bzip2-bomb",
        "odt-deflate-bomb",
        "odt-deflate-bomb-lying-sizes",
        "docx-6000-members",
        "png-bomb",
        "webp-canvas",
        "gif-header",
        "jpeg-header",
        "badge-png-bomb",
    ],
)
def test_inspecting_a_hostile_file_stays_within_bounded_memory(
    tmp_path, baseline_kb, mode, build, message
):
    path = tmp_path / "upload"
    path.write_bytes(build())

    measured = _peak(mode, path)

    assert measured["message"] == message
    growth_mb = (measured["peak_kb"] - baseline_kb) / 1024
    assert growth_mb < 64, f"inspection grew the process by {growth_mb:.0f} MB"


# --- SVG --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("svg", "message"),
    [(svg, message) for _id, svg, message in hf.SVG_VECTORS],
    ids=[case[0] for case in hf.SVG_VECTORS],
)
def test_an_svg_upload_with_a_script_vector_is_refused(svg, message):
    with pytest.raises(UnsafeSvg) as refused:
        check_svg(svg.encode())

    assert str(refused.value.message) == message


DANGEROUS_OUTPUT = (
    b"script",
    b"javascript",
    b"onload",
    b"onclick",
    b"onmouseover",
    b"onbegin",
    b"<set",
    b"animate",
    b"evil.example",
    b"foreignObject",
    b"iframe",
    b"@import",
    b"font-face",
    b"expression",
    b"data:text",
    b"data:image/svg",
    b"\\72",
)


@pytest.mark.parametrize(
    "svg",
    [svg for _id, svg, _message in hf.SVG_VECTORS if "DOCTYPE" not in svg],
    ids=[case[0] for case in hf.SVG_VECTORS if "DOCTYPE" not in case[1]],
)
def test_sanitising_an_svg_for_output_drops_every_script_vector(svg):
    cleaned = sanitize_svg(svg.encode())

    assert [marker for marker in DANGEROUS_OUTPUT if marker in cleaned.lower()] == []
    assert cleaned.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<svg")


@pytest.mark.parametrize("svg", [svg for _id, svg, _m in hf.SVG_VECTORS if "DOCTYPE" in svg])
def test_an_svg_with_a_doctype_cannot_be_sanitised_for_output(svg):
    with pytest.raises(UnsafeSvg) as refused:
        sanitize_svg(svg.encode())

    assert str(refused.value.message) == "The SVG image may not declare a DOCTYPE or entities."


@pytest.mark.parametrize("clean", [check_svg, sanitize_svg], ids=["upload", "output"])
@pytest.mark.parametrize(
    ("svg", "message"),
    [
        (
            hf.use_bomb(),
            "The SVG image is too complex: its <use> references expand to too many elements.",
        ),
        (hf.USE_CYCLE, "The SVG image has <use> references that refer to themselves."),
    ],
    ids=["use-bomb", "use-cycle"],
)
def test_an_svg_whose_use_references_explode_is_refused(clean, svg, message):
    with pytest.raises(UnsafeSvg) as refused:
        clean(svg.encode())

    assert str(refused.value.message) == message


def test_modest_nested_use_references_are_kept():
    svg = hf.use_bomb(levels=3, fan_out=10)

    assert check_svg(svg.encode()).count(b"<use") == 31


def test_an_accepted_svg_is_stored_without_unknown_elements_attributes_and_comments():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        b'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" viewBox="0 0 10 10" '
        b'inkscape:version="1.3"><!-- drawn by hand --><inkscape:grid/>'
        b'<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient>'
        b'<circle id="c" r="4"/></defs><use xlink:href="#c" fill="url(#g)" data-x="1"/>'
        b'<blink>gone</blink>kept<rect width="10" height="10" style="fill:#1b5e7a"/></svg>'
    )

    cleaned = check_svg(svg)

    assert cleaned == (
        b"<?xml version='1.0' encoding='utf-8'?>\n"
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        b'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" viewBox="0 0 10 10">'
        b'<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient>'
        b'<circle id="c" r="4"/></defs><use xlink:href="#c" fill="url(#g)"/>'
        b'kept<rect width="10" height="10" style="fill:#1b5e7a"/></svg>'
    )


def test_an_embedded_image_over_the_pixel_ceiling_is_dropped_on_output():
    svg = {case_id: svg for case_id, svg, _m in hf.SVG_VECTORS}["image-data-png-30000x30000"]

    assert sanitize_svg(svg.encode()) == (
        b"<?xml version='1.0' encoding='utf-8'?>\n" + hf.SVG_OPEN.encode() + b"<image/></svg>"
    )


def test_an_embedded_png_image_is_kept():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><image width="1" height="1" '
        b'href="data:image/png;base64,' + base64.b64encode(hf.real_image("PNG")) + b'"/></svg>'
    )

    assert b'href="data:image/png;base64,' + base64.b64encode(hf.real_image("PNG")) in check_svg(
        svg
    )


def test_the_svg_response_headers_forbid_script_and_every_fetch_but_data_images():
    assert SVG_HEADERS == {
        "Content-Security-Policy": (
            "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
        ),
        "X-Content-Type-Options": "nosniff",
    }


# --- served names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("original", "mime", "served"),
    [
        ("notes.html", "text/plain", "notes.txt"),
        ("run.bat", "text/plain", "run.txt"),
        ("x.hta", "text/plain", "x.txt"),
        ("doc.svg", "text/plain", "doc.txt"),
        ("script.js", "text/plain", "script.txt"),
        ("shell.php", "text/plain", "shell.txt"),
        ("page.htm", "application/pdf", "page.pdf"),
        ("setup.exe", "image/png", "setup.png"),
        ("report.pdf", "application/pdf", "report.pdf"),
        ("REPORT.PDF", "application/pdf", "REPORT.PDF"),
        ("photo.jpeg", "image/jpeg", "photo.jpeg"),
        ("budget.xls", "application/vnd.ms-office", "budget.xls"),
        ("notes.md", "text/plain", "notes.md"),
        ("invoice.pdf.exe", "application/pdf", "invoice.pdf.pdf"),
        ("README", "text/plain", "README.txt"),
        (".hta", "text/plain", "hta.txt"),
        ("", "application/pdf", "evidence.pdf"),
        ("old.html", "", "old.bin"),
    ],
)
def test_the_served_name_carries_the_extension_of_the_sniffed_type(original, mime, served):
    assert served_filename(original, mime, fallback="evidence") == served
