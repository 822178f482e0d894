"""Badge images: an uploaded SVG or PNG, or a generated default.

Certificates bake the image into credentials, so `badge_image_bytes(version)` is the one
function that answers "what does this badge look like" — the upload if there is one,
otherwise a generated SVG (initials on a shape whose colour depends on the kind of badge).
"""

import io
import math
import uuid
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from core.svg import UnsafeSvg, check_svg, sanitize_svg
from core.uploads import PNG, SVG, check_image_header, file_size, inspect_upload, sniff

from .models import BadgeKind, BadgeVersion

MAX_IMAGE_BYTES = 1024 * 1024
# A badge is shown at a few hundred pixels and embedded in PDFs: 16 megapixels (4000 x 4000)
# is plenty, and bounds what WeasyPrint and the baking code ever decode.
MAX_IMAGE_PIXELS = 16_000_000
COLOURS: dict[str, tuple[str, str]] = {
    BadgeKind.MICRO: ("#1f6f8b", "#e8f3f7"),
    BadgeKind.MILESTONE: ("#7a4fa3", "#f1ebf7"),
    BadgeKind.META: ("#b5651d", "#fbf0e4"),
}


def validate_badge_image(upload) -> tuple[bytes, str]:
    """Read and check an uploaded badge image; return (bytes, extension) or raise ValidationFailed."""
    size = file_size(upload)
    if size == 0:
        raise ValidationFailed(_("The image file is empty."))
    if size > MAX_IMAGE_BYTES:
        raise ValidationFailed(
            _("The image is too large (%(size)s KB); the limit is %(limit)s KB.")
            % {"size": math.ceil(size / 1024), "limit": MAX_IMAGE_BYTES // 1024}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = inspect_upload(
            upload,
            allowed=frozenset({"image"}),
            max_size=MAX_IMAGE_BYTES,
            max_pixels=MAX_IMAGE_PIXELS,
        )
        if kind != PNG:
            raise ValidationFailed(_("A badge image must be an SVG or PNG file."))
        data = upload.read()
        upload.seek(0)
        return data, PNG.extension
    if sniff(upload) not in (None, SVG):
        raise ValidationFailed(_("A badge image must be an SVG or PNG file."))
    data = upload.read()
    upload.seek(0)
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not stripped.startswith((b"<svg", b"<?xml", b"<!doctype", b"<!--")):
        raise ValidationFailed(_("A badge image must be an SVG or PNG file."))
    # What is stored is the allow-listed rewrite, not the upload.
    return check_svg(data), SVG.extension


def stored_image_name(extension: str) -> str:
    """A generated name (the upload_to folder is added by the field)."""
    return f"{uuid.uuid4().hex}.{extension}"


def initials(title: str) -> str:
    words = [word for word in title.replace("-", " ").split() if word[:1].isalnum()]
    letters = "".join(word[0] for word in words[:3]).upper()
    return letters or "?"


def default_badge_svg(version: BadgeVersion) -> bytes:
    kind = version.badge.kind
    stroke, fill = COLOURS.get(kind, COLOURS[BadgeKind.MICRO])
    label = escape(initials(version.title))
    title = escape(version.title)
    if kind == BadgeKind.META:
        shape = f'<circle cx="128" cy="128" r="112" fill="{fill}" stroke="{stroke}" stroke-width="14"/><circle cx="128" cy="128" r="90" fill="none" stroke="{stroke}" stroke-width="4"/>'
    elif kind == BadgeKind.MILESTONE:
        shape = f'<polygon points="128,14 236,76 236,180 128,242 20,180 20,76" fill="{fill}" stroke="{stroke}" stroke-width="14"/>'
    else:
        shape = (
            f'<circle cx="128" cy="128" r="112" fill="{fill}" stroke="{stroke}" stroke-width="14"/>'
        )
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256" role="img">'
        f"<title>{title}</title>{shape}"
        f'<text x="128" y="150" text-anchor="middle" font-family="sans-serif" font-size="64" '
        f'font-weight="700" fill="{stroke}">{label}</text></svg>'
    )
    return svg.encode("utf-8")


def _stored_image(data: bytes) -> tuple[bytes, str] | None:
    """A stored upload, checked again as it leaves (images stored before today's rules
    included): a PNG within the pixel ceiling, or the SVG's allow-listed rewrite; None when
    it is neither."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        try:
            check_image_header(io.BytesIO(data), PNG, max_pixels=MAX_IMAGE_PIXELS)
        except ValidationFailed:
            return None
        return data, PNG.mime
    try:
        return sanitize_svg(data), SVG.mime
    except UnsafeSvg:
        return None


def badge_image_bytes(version: BadgeVersion) -> tuple[bytes, str]:
    """(bytes, mime type) of the version's image: the upload (checked and cleaned again), or
    the generated default SVG when there is none or it is not safe to use."""
    if version.image:
        try:
            with version.image.open("rb") as handle:
                data = handle.read(MAX_IMAGE_BYTES + 1)
        except (FileNotFoundError, OSError):
            data = b""
        if data and len(data) <= MAX_IMAGE_BYTES:
            stored = _stored_image(data)
            if stored is not None:
                return stored
    return default_badge_svg(version), SVG.mime
