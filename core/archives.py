"""Office documents (OOXML, ODF) are zip archives: what they are is read from the archive
listing, and an archive that could be a compression bomb is refused from it, before a single
member is decompressed. Only the ODF `mimetype` member is ever read, at most a few hundred
bytes of it."""

import os
import struct
import zipfile

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import ValidationFailed

# Office documents are zip archives of stored or deflated members, at most a few thousand
# of them. Anything else (bzip2/LZMA members, a million entries, a member that claims to grow
# a thousandfold) is a decompression bomb, not a document: it is refused from the listing,
# before a single member is decompressed.
ZIP_MAX_MEMBERS = 5000
ZIP_MAX_DIRECTORY_BYTES = 1024 * 1024
ZIP_MAX_TOTAL_UNCOMPRESSED = 1024 * 1024 * 1024
ZIP_MAX_RATIO = 200  # for members larger than ZIP_RATIO_FLOOR once uncompressed
ZIP_RATIO_FLOOR = 1024 * 1024
ODF_MIMETYPE_BYTES = 200  # the ODF "mimetype" member is one short line


class ArchiveRefused(ValidationFailed):
    default_message = gettext_lazy(
        "The archive is not accepted: it looks like a compression bomb (too many entries, "
        "an unusual compression method or an extreme compression ratio)."
    )


def _zip_directory_size(fileobj) -> tuple[int, int] | None:
    """(entries, central directory bytes) from the end record, read without parsing the
    directory itself (zipfile would build an object per entry first); None if not a zip."""
    fileobj.seek(0, os.SEEK_END)
    end = fileobj.tell()
    tail_start = max(0, end - (65535 + 22))
    fileobj.seek(tail_start)
    tail = fileobj.read()
    fileobj.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return None
    entries, directory = struct.unpack("<10xH L", tail[at : at + 16])
    if entries == 0xFFFF or directory == 0xFFFFFFFF:
        # Zip64: the real figures are in the zip64 end record the locator points to.
        locator = tail[at - 20 : at] if at >= 20 else b""
        if not locator.startswith(b"PK\x06\x07"):
            return None
        (record_at,) = struct.unpack("<8xQ4x", locator)
        if record_at > end - 56:
            return None
        fileobj.seek(record_at)
        record = fileobj.read(56)
        fileobj.seek(0)
        if not record.startswith(b"PK\x06\x06"):
            return None
        entries, directory = struct.unpack("<32xQQ8x", record)
    return entries, directory


def _too_many_entries() -> ArchiveRefused:
    return ArchiveRefused(
        _("The archive is not accepted: it has too many entries (at most %(limit)s).")
        % {"limit": ZIP_MAX_MEMBERS}
    )


def _check_archive(archive: zipfile.ZipFile) -> None:
    # The end record's count can lie; the directory zipfile read is bounded by its size.
    if len(archive.infolist()) > ZIP_MAX_MEMBERS:
        raise _too_many_entries()
    total = 0
    for info in archive.infolist():
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ArchiveRefused(
                _(
                    "The archive is not accepted: its entries use a compression method office "
                    "documents do not use."
                )
            )
        total += info.file_size
        if info.file_size > ZIP_RATIO_FLOOR and (
            info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1)
        ):
            raise ArchiveRefused(
                _("The archive is not accepted: an entry claims an extreme compression ratio.")
            )
    if total > ZIP_MAX_TOTAL_UNCOMPRESSED:
        raise ArchiveRefused(
            _("The archive is not accepted: its entries would be too large once unpacked.")
        )


def office_format(fileobj) -> str | None:
    """The office format from the archive listing: docx, xlsx or pptx, or the ODF mimetype
    (such as application/vnd.oasis.opendocument.text); None when the archive is none of
    them or not a readable zip; ArchiveRefused for an archive that could be a bomb."""
    try:
        sizes = _zip_directory_size(fileobj)
        if sizes is None:
            return None
        entries, directory = sizes
        if entries > ZIP_MAX_MEMBERS or directory > ZIP_MAX_DIRECTORY_BYTES:
            raise _too_many_entries()
        with zipfile.ZipFile(fileobj) as archive:
            _check_archive(archive)
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    return member.read(ODF_MIMETYPE_BYTES).strip().decode("ascii", "replace")
            if "[Content_Types].xml" in names:
                for prefix, name in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
                    if any(n.startswith(prefix) for n in names):
                        return name
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError, struct.error):
        return None
    finally:
        fileobj.seek(0)
    return None
