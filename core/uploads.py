"""Uploaded files are judged by their content, never by their name.

`inspect_upload` reads the first and last bytes (and, for zip-based office files, the
archive listing; for images, the header) and returns what the file really is, or raises
`ValidationFailed`. Nothing is decompressed or decoded whole: archives that could be bombs
and images with more pixels than a ceiling are refused from their listing or header. Storage
names are generated (`generated_name`); the original name is only ever shown, cleaned
(`display_filename`), and files are served as attachments under the learner's base name with
the extension of the sniffed type (`served_filename`). Archives are judged in `core.archives`, SVG in `core.svg`.
"""

import math
import os
import struct
import unicodedata
import uuid
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .archives import office_format
from .errors import ValidationFailed

SNIFF_BYTES = 8192


@dataclass(frozen=True)
class FileKind:
    label: str  # "pdf", "image", "office", "text", "audio", "video"
    mime: str
    extension: str


PDF = FileKind("pdf", "application/pdf", "pdf")
PNG = FileKind("image", "image/png", "png")
JPEG = FileKind("image", "image/jpeg", "jpg")
GIF = FileKind("image", "image/gif", "gif")
WEBP = FileKind("image", "image/webp", "webp")
SVG = FileKind("image", "image/svg+xml", "svg")
TEXT = FileKind("text", "text/plain", "txt")
DOCX = FileKind(
    "office", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"
)
XLSX = FileKind(
    "office", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
)
PPTX = FileKind(
    "office", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"
)
ODT = FileKind("office", "application/vnd.oasis.opendocument.text", "odt")
ODS = FileKind("office", "application/vnd.oasis.opendocument.spreadsheet", "ods")
ODP = FileKind("office", "application/vnd.oasis.opendocument.presentation", "odp")
OLE = FileKind("office", "application/vnd.ms-office", "doc")
MP3 = FileKind("audio", "audio/mpeg", "mp3")
WAV = FileKind("audio", "audio/wav", "wav")
OGG = FileKind("audio", "audio/ogg", "ogg")
MP4 = FileKind("video", "video/mp4", "mp4")
M4A = FileKind("audio", "audio/mp4", "m4a")
MOV = FileKind("video", "video/quicktime", "mov")
WEBM = FileKind("video", "video/webm", "webm")

EVIDENCE_KINDS = frozenset({"pdf", "image", "office", "text", "audio", "video"})
_OFFICE = {
    "docx": DOCX,
    "xlsx": XLSX,
    "pptx": PPTX,
    ODT.mime: ODT,
    ODS.mime: ODS,
    ODP.mime: ODP,
}
_MARKUP_PREFIXES = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<body", b"<head")


def _read_head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head


def _zip_kind(upload) -> FileKind | None:
    found = office_format(getattr(upload, "file", upload))
    return _OFFICE.get(found) if found else None


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sniffed block is still text.
        if error.start < len(head) - 4:
            return False
        text = head[: error.start].decode("utf-8")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\r\n\t\f")
    return controls == 0


def sniff(upload) -> FileKind | None:
    """What the content is, from its bytes; None when it is nothing we accept (ArchiveRefused
    for a zip that could be a compression bomb)."""
    head = _read_head(upload)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return MP3
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"M4A ", b"M4B "):
            return M4A
        if brand == b"qt  ":
            return MOV
        return MP4
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    if _looks_like_text(head):
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if stripped.startswith(_MARKUP_PREFIXES):
            return None  # markup could run script in a browser: not accepted as text
        return TEXT
    return None


def display_filename(name: str | None, *, fallback: str = "file") -> str:
    """The original name, safe to show: no directories, no control characters, bounded."""
    name = (name or "").replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    return (name or fallback)[:150]


def generated_name(prefix: str, kind: FileKind) -> str:
    """A storage name that reveals nothing and can never collide or traverse."""
    return f"{prefix}/{uuid.uuid4().hex}.{kind.extension}"


def file_size(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, os.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    return int(size)


# Pixel ceilings, checked from the image header before anything is decoded (a 30000x30000
# PNG is a few kilobytes of file and gigabytes of memory once decoded).
IMAGE_MAX_PIXELS = 50_000_000  # e.g. a 48-megapixel photo
IMAGE_MAX_SIDE = 20_000
_HEADER_CHECKED = (PNG, JPEG, GIF, WEBP)
# Markup a browser would run if it ever sniffed the file as a page: a file that is a PDF,
# image, office document or media file does not carry it in its first or last bytes.
_POLYGLOT_MARKERS = (
    b"<html",
    b"<!doctype html",
    b"<script",
    b"<body",
    b"<iframe",
    b"<svg",
    b"<object",
    b"<embed",
)


def megabytes_up(size: int) -> str:
    """A size in MB, rounded up to one decimal (so a size just over a limit never reads as
    the limit itself)."""
    return f"{math.ceil(size * 10 / 1048576) / 10:.1f}"


def megabytes_down(size: int) -> str:
    return f"{math.floor(size * 10 / 1048576) / 10:.1f}"


def _webp_size(fileobj) -> tuple[int, int]:
    """Canvas size from a WebP header (VP8X, VP8L or VP8 chunk), read by hand: Pillow's WebP
    reader hands the whole file to libwebp's animation decoder as it opens it, so a hostile
    canvas is refused before libwebp ever sees it."""
    fileobj.seek(12)
    chunk = fileobj.read(30)
    kind, body = chunk[:4], chunk[8:]
    if kind == b"VP8X" and len(body) >= 10:
        return int.from_bytes(body[4:7], "little") + 1, int.from_bytes(body[7:10], "little") + 1
    if kind == b"VP8L" and len(body) >= 5 and body[0] == 0x2F:
        bits = int.from_bytes(body[1:5], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if kind == b"VP8 " and len(body) >= 10 and body[3:6] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", body[6:10])
        return width & 0x3FFF, height & 0x3FFF
    raise ValueError("not a WebP image")


def _image_size(fileobj, kind: FileKind) -> tuple[int, int]:
    """(width, height) from the header. The format's reader class is used directly: it
    parses the header only, and unlike `Image.open` applies no bomb check of its own (whose
    warning, or error past twice Pillow's ceiling, would hide the real size) — ours follows."""
    if kind == WEBP:
        return _webp_size(fileobj)
    # Pillow is heavy: loaded only where it is used.
    from PIL import GifImagePlugin, ImageFile, JpegImagePlugin, PngImagePlugin  # noqa: PLC0415

    image: ImageFile.ImageFile
    if kind == PNG:
        image = PngImagePlugin.PngImageFile(fileobj)
    elif kind == JPEG:
        image = JpegImagePlugin.JpegImageFile(fileobj)
    else:
        image = GifImagePlugin.GifImageFile(fileobj)
    with image:
        return image.size


def check_image_header(upload, kind: FileKind, *, max_pixels: int = IMAGE_MAX_PIXELS) -> None:
    """Refuse an image whose header declares more pixels than `max_pixels` (or a side longer
    than IMAGE_MAX_SIDE), or whose header cannot be read. Only the header is read: nothing
    is decoded."""
    fileobj = getattr(upload, "file", upload)
    fileobj.seek(0)
    try:
        size = _image_size(fileobj, kind)
    except Exception as error:  # any failure to parse a hostile header: "cannot be read"
        raise ValidationFailed(_("The image cannot be read; it may be damaged.")) from error
    finally:
        fileobj.seek(0)
    width, height = size
    if width <= 0 or height <= 0:
        raise ValidationFailed(_("The image cannot be read; it may be damaged."))
    if width > IMAGE_MAX_SIDE or height > IMAGE_MAX_SIDE or width * height > max_pixels:
        raise ValidationFailed(
            _(
                "The image is too large (%(width)s x %(height)s pixels); the limit is "
                "%(limit)s megapixels and %(side)s pixels a side."
            )
            % {
                "width": width,
                "height": height,
                "limit": f"{max_pixels / 1_000_000:g}",
                "side": IMAGE_MAX_SIDE,
            }
        )


def _png_ends_cleanly(upload) -> bool:
    """True when the PNG's chunks end with IEND and nothing follows (no appended page or
    script). Reads chunk headers only: the chunk data is skipped, never decompressed."""
    fileobj = getattr(upload, "file", upload)
    try:
        fileobj.seek(0, os.SEEK_END)
        end = fileobj.tell()
        offset = 8
        while offset + 12 <= end:
            fileobj.seek(offset)
            length, chunk = struct.unpack(">I4s", fileobj.read(8))
            offset += 12 + length
            if chunk == b"IEND":
                return offset == end
        return False
    finally:
        fileobj.seek(0)


def _is_polyglot(upload, kind: FileKind) -> bool:
    if kind.label == "text":
        return False  # markup at the start of text is refused by sniff()
    if kind == PNG and not _png_ends_cleanly(upload):
        return True
    head = _read_head(upload)
    fileobj = getattr(upload, "file", upload)
    fileobj.seek(0, os.SEEK_END)
    fileobj.seek(max(0, fileobj.tell() - SNIFF_BYTES))
    tail = fileobj.read(SNIFF_BYTES)
    fileobj.seek(0)
    return any(marker in part.lower() for part in (head, tail) for marker in _POLYGLOT_MARKERS)


def inspect_upload(
    upload, *, allowed: frozenset[str], max_size: int, max_pixels: int = IMAGE_MAX_PIXELS
) -> FileKind:
    """Check size and content; return the real kind or raise ValidationFailed. Reads are
    bounded: the first and last bytes, a zip listing, an image header."""
    size = file_size(upload)
    if size == 0:
        raise ValidationFailed(_("The file is empty."))
    if size > max_size:
        raise ValidationFailed(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": megabytes_up(size), "limit": megabytes_down(max_size)}
        )
    kind = sniff(upload)
    if kind is None or kind.label not in allowed:
        raise ValidationFailed(
            _(
                "This kind of file is not accepted. Accepted: PDF, images (PNG, JPEG, GIF, "
                "WebP), office documents, plain text, common audio and video."
            )
            if allowed == EVIDENCE_KINDS
            else _("This kind of file is not accepted here.")
        )
    if kind in _HEADER_CHECKED:
        check_image_header(upload, kind, max_pixels=max_pixels)
    if _is_polyglot(upload, kind):
        raise ValidationFailed(
            _(
                "The file carries web page markup or script besides its content (or data "
                "after its end); it is not accepted. Save it again as a plain %(type)s file."
            )
            % {"type": kind.extension.upper()}
        )
    return kind


# What an evidence file may be called when it is downloaded: the sniffed kind's extension,
# or a usual spelling of it. Anything else (notes.html, run.bat, doc.svg) gets the kind's.
_EXTENSION_ALIASES = {
    "jpg": {"jpg", "jpeg", "jpe"},
    "txt": {"txt", "text", "md", "log"},
    "doc": {"doc", "dot", "xls", "xlt", "ppt", "pps", "pot"},
    "mp4": {"mp4", "m4v"},
    "ogg": {"ogg", "oga", "ogv", "opus"},
    "m4a": {"m4a", "m4b"},
}
ALL_KINDS = (
    PDF, PNG, JPEG, GIF, WEBP, SVG, TEXT, DOCX, XLSX, PPTX, ODT, ODS, ODP, OLE,
    MP3, WAV, OGG, MP4, M4A, MOV, WEBM,
)  # fmt: skip


def kind_for_mime(mime: str) -> FileKind | None:
    return next((kind for kind in ALL_KINDS if kind.mime == mime), None)


def served_filename(original: str, mime: str, *, fallback: str = "file") -> str:
    """The name a stored file is downloaded under: the learner's base name, with the
    extension of what the content is (from the stored, sniffed type), never the one the
    uploader chose."""
    name = display_filename(original, fallback=fallback)
    kind = kind_for_mime(mime)
    extension = kind.extension if kind is not None else "bin"
    base, dot, current = name.rpartition(".")
    if not dot or not base:
        base, current = name, ""
    if current.lower() in _EXTENSION_ALIASES.get(extension, {extension}):
        return name
    return f"{base.rstrip('. ') or fallback}.{extension}"
