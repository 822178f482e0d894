"""The streams of a PDF, inflated, for tests that look for text the PDF carries (its
metadata, an attached file, the manifest of a report)."""

import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)


def pdf_streams(pdf: bytes):
    """Each stream's content: inflated when it is compressed, else as stored.

    A stream ends with an end-of-line before `endstream`, but the data itself may end in a
    CR or LF byte, so the end-of-line is not cut off by pattern: the decompressor stops at
    the end of its data and ignores what follows."""
    for match in _STREAM.finditer(pdf):
        body = match.group(1)
        inflater = zlib.decompressobj()
        try:
            yield inflater.decompress(body)
        except zlib.error:
            yield body.rstrip(b"\r\n")


def pdf_text(pdf: bytes) -> str:
    """The whole file and every stream inflated, as text (latin-1: every byte is a char)."""
    return b"".join([pdf, *pdf_streams(pdf)]).decode("latin-1")
