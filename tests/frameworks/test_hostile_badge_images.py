"""The hostile-file corpus against the badge image upload (new badge and badge edit): each is
a 400 with its message, and nothing is stored. Badge images, including ones stored before
the SVG allow-list, leave the site allow-listed, within the pixel ceiling, and sandboxed."""

import html

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.svg import SVG_HEADERS
from frameworks.images import badge_image_bytes, default_badge_svg
from frameworks.models import Badge, BadgeVersion
from tests import hostile_files as hf
from tests.factories.frameworks import BadgeFactory, BadgeVersionFactory, published_badge_version

pytestmark = pytest.mark.django_db

FORM = {
    "title": "T",
    "description": "D",
    "assessment_type": "artefact",
    "participation_form": "online",
    "review_days": "14",
    "double_assessment": "none",
    "sample_percent": "0",
}
NOT_SVG_OR_PNG = "A badge image must be an SVG or PNG file."
TOO_MANY_PIXELS = (
    "The image is too large (30000 x 30000 pixels); the limit is 16 "
    "megapixels and 20000 pixels a side."
)
HOSTILE_IMAGES = [
    ("png-30000x30000-header", lambda: hf.png_header(30000, 30000), TOO_MANY_PIXELS),
    ("png-30000x30000-bomb", hf.png_bomb, TOO_MANY_PIXELS),
    (
        "png-4001x4001",
        lambda: hf.png_header(4001, 4001),
        "The image is too large (4001 x 4001 pixels); the limit is 16 megapixels and 20000 "
        "pixels a side.",
    ),
    (
        "png-with-html-appended",
        hf.png_with_html,
        "The file carries web page markup or script besides its content (or data after its "
        "end); it is not accepted. Save it again as a plain PNG file.",
    ),
    (
        "png-truncated",
        lambda: hf.real_image("PNG")[:20],
        "The image cannot be read; it may be damaged.",
    ),
    ("gif", lambda: hf.gif_header(8, 8), NOT_SVG_OR_PNG),
    ("gif-30000x30000", lambda: hf.gif_header(30000, 30000), NOT_SVG_OR_PNG),
    ("jpeg", lambda: hf.real_image("JPEG"), NOT_SVG_OR_PNG),
    ("webp", lambda: hf.webp_header(16384, 16384), NOT_SVG_OR_PNG),
    ("gif-js-polyglot", lambda: hf.GIF_JS, NOT_SVG_OR_PNG),
    ("pdf-html-polyglot", lambda: hf.PDF_HTML, NOT_SVG_OR_PNG),
    (
        "odt-bzip2-bomb",
        hf.bzip2_bomb_odt,
        "The archive is not accepted: its entries use a compression method office documents do "
        "not use.",
    ),
    (
        "docx-6000-members",
        hf.many_members_docx,
        "The archive is not accepted: it has too many entries (at most 5000).",
    ),
    ("html", lambda: b"<html><body><script>alert(1)</script></body></html>", NOT_SVG_OR_PNG),
    (
        "html-with-doctype",
        lambda: b"<!doctype html><script>alert(1)</script>",
        "The SVG image is not well-formed XML.",
    ),
    ("windows-exe", lambda: b"MZ\x90\x00" + b"\x00" * 60, NOT_SVG_OR_PNG),
    (
        "one-byte-over",
        lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * (1024 * 1024 + 1 - 8),
        "The image is too large (1025 KB); the limit is 1024 KB.",
    ),
]
CASES = [
    *HOSTILE_IMAGES,
    *[(case_id, lambda svg=svg: svg.encode(), msg) for case_id, svg, msg in hf.SVG_VECTORS],
    (
        "svg-use-bomb",
        lambda: hf.use_bomb().encode(),
        "The SVG image is too complex: its <use> references expand to too many elements.",
    ),
]


def stored_badge_images() -> list[str]:
    return (
        default_storage.listdir("badge-images")[1] if default_storage.exists("badge-images") else []
    )


def errors_of(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("build", "message"), [(b, m) for _i, b, m in CASES], ids=[c[0] for c in CASES]
)
def test_a_hostile_image_is_refused_on_the_badge_edit_page(
    client, coordinator, own_constellation, build, message
):
    version = BadgeVersionFactory(badge=BadgeFactory(constellation=own_constellation))
    title = version.title
    client.force_login(coordinator)

    response = client.post(
        reverse("frameworks:badge_edit", args=[version.pk]),
        {**FORM, "image_upload": SimpleUploadedFile("badge.svg", build())},
    )

    version.refresh_from_db()
    assert response.status_code == 400
    assert message in errors_of(response)
    assert (version.image.name, version.title, stored_badge_images()) == ("", title, [])


@pytest.mark.parametrize(
    ("build", "message"), [(b, m) for _i, b, m in CASES], ids=[c[0] for c in CASES]
)
def test_a_hostile_image_on_a_new_badge_creates_nothing(
    client, coordinator, own_constellation, build, message
):
    client.force_login(coordinator)

    response = client.post(
        reverse("frameworks:badge_create", args=[own_constellation.slug]),
        {
            **FORM,
            "kind": "micro",
            "slug": "new-badge",
            "languages": "en",
            "image_upload": SimpleUploadedFile("badge.png", build()),
        },
    )

    assert response.status_code == 400
    assert message in errors_of(response)
    assert (Badge.objects.filter(slug="new-badge").count(), stored_badge_images()) == (0, [])


def test_an_accepted_svg_is_stored_as_its_allow_listed_rewrite(
    client, coordinator, own_constellation
):
    version = BadgeVersionFactory(badge=BadgeFactory(constellation=own_constellation))
    client.force_login(coordinator)
    upload = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:sodipodi="http://sodipodi.sourceforge.net'
        b'/DTD/sodipodi-0.dtd" viewBox="0 0 4 4"><sodipodi:namedview/><!-- note -->'
        b'<circle r="2" sodipodi:type="arc"/></svg>'
    )

    response = client.post(
        reverse("frameworks:badge_edit", args=[version.pk]),
        {**FORM, "image_upload": SimpleUploadedFile("badge.svg", upload)},
    )

    version.refresh_from_db()
    assert response.status_code == 302
    with version.image.open("rb") as handle:
        assert handle.read() == (
            b"<?xml version='1.0' encoding='utf-8'?>\n"
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:sodipodi="http://sodipodi.sourceforge'
            b'.net/DTD/sodipodi-0.dtd" viewBox="0 0 4 4"><circle r="2"/></svg>'
        )


def _store_image_directly(version: BadgeVersion, name: str, data: bytes) -> None:
    """An image stored under earlier, laxer rules (written past today's upload checks)."""
    stored = default_storage.save(f"badge-images/{name}", ContentFile(data))
    BadgeVersion.objects.filter(pk=version.pk).update(image=stored)
    version.refresh_from_db()


SVG_STORED_BEFORE = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><a><set attributeName="href" '
    b'to="javascript:alert(1)"/><rect width="10" height="10" '
    b'style="fill:url(http://evil.example/p)" fill="#123456"/></a></svg>'
)
SVG_CLEANED = (
    b"<?xml version='1.0' encoding='utf-8'?>\n"
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><a>'
    b'<rect width="10" height="10" fill="#123456"/></a></svg>'
)


@pytest.mark.parametrize("url_name", ["frameworks:badge_image", "certificates:badge_image"])
def test_an_svg_stored_before_the_allow_list_is_served_clean_and_sandboxed(client, url_name):
    version = published_badge_version()
    _store_image_directly(version, "old.svg", SVG_STORED_BEFORE)

    response = client.get(reverse(url_name, args=[version.pk]))

    assert response.status_code == 200
    assert response.content == SVG_CLEANED
    assert response["Content-Type"] == "image/svg+xml"
    assert {name: response[name] for name in SVG_HEADERS} == SVG_HEADERS


@pytest.mark.parametrize(
    "data",
    [
        hf.png_header(30000, 30000),
        hf.png_header(4001, 4001),
        b"<?xml version='1.0'?><!DOCTYPE svg [<!ENTITY x 'x'>]><svg xmlns='http://www.w3.org/2000/svg'/>",
        b"<svg><unclosed></svg>",
    ],
    ids=["png-30000x30000", "png-4001x4001", "svg-with-entities", "malformed"],
)
def test_a_stored_image_that_is_not_safe_to_use_is_replaced_by_the_generated_one(data):
    version = published_badge_version()
    _store_image_directly(version, "old.png", data)

    assert badge_image_bytes(version) == (default_badge_svg(version), "image/svg+xml")


def test_a_png_badge_image_is_served_sandboxed_too(client):
    version = published_badge_version()
    png = hf.real_image("PNG")
    _store_image_directly(version, "ok.png", png)

    response = client.get(reverse("certificates:badge_image", args=[version.pk]))

    assert (response.content, response["Content-Type"]) == (png, "image/png")
    assert {name: response[name] for name in SVG_HEADERS} == SVG_HEADERS
    assert response["Access-Control-Allow-Origin"] == "*"
