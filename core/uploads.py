"""Uploaded files are judged by their content, never by their name.

`inspect_upload` reads the first bytes (and, for zip-based office files, the archive
listing) and returns what the file really is, or raises `ValidationFailed`. Storage names are
generated (`generated_name`); the original name is only ever shown, cleaned
(`display_filename`), and files are served as attachments.
"""

import io
import os
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

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
_ODF = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
    b"application/vnd.oasis.opendocument.presentation": ODP,
}
_MARKUP_PREFIXES = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<body", b"<head")


def _read_head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head


def _zip_kind(upload) -> FileKind | None:
    try:
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                return _ODF.get(archive.read("mimetype").strip())
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return DOCX
                if any(n.startswith("xl/") for n in names):
                    return XLSX
                if any(n.startswith("ppt/") for n in names):
                    return PPTX
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    return None


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
    """What the content is, from its bytes; None when it is nothing we accept."""
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


def inspect_upload(upload, *, allowed: frozenset[str], max_size: int) -> FileKind:
    """Check size and content; return the real kind or raise ValidationFailed."""
    size = file_size(upload)
    if size == 0:
        raise ValidationFailed(_("The file is empty."))
    if size > max_size:
        raise ValidationFailed(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": f"{size / 1048576:.1f}", "limit": f"{max_size / 1048576:.1f}"}
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
    return kind


def check_svg(data: bytes) -> None:
    """Refuse SVG that could run script or fetch anything: used for badge images."""
    from lxml import etree  # noqa: PLC0415 - lxml is heavy: loaded only where it is used

    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as error:
        raise ValidationFailed(_("The SVG image is not well-formed XML.")) from error
    if not isinstance(root.tag, str) or etree.QName(root).localname != "svg":
        raise ValidationFailed(_("The file is not an SVG image."))
    if b"<!ENTITY" in data or b"<!DOCTYPE" in data.upper():
        raise ValidationFailed(_("The SVG image may not declare a DOCTYPE or entities."))
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname.lower()
        if name in {"script", "foreignobject", "iframe", "embed", "object", "handler"}:
            raise ValidationFailed(_("The SVG image contains script or embedded content."))
        for attribute, value in element.attrib.items():
            local = etree.QName(attribute).localname.lower()
            if local.startswith("on"):
                raise ValidationFailed(_("The SVG image contains event handlers (script)."))
            if local == "href" and not value.strip().startswith(("#", "data:image/")):
                raise ValidationFailed(_("The SVG image refers to an external resource."))
        if (
            name == "style"
            and element.text
            and ("url(" in element.text or "@import" in element.text)
        ):
            raise ValidationFailed(_("The SVG image's style refers to an external resource."))
