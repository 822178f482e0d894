"""The tests' PDF reader finds text in a compressed stream whatever its last byte is."""

import hashlib
import zlib

from tests.pdf_streams import pdf_text


def test_a_stream_whose_compressed_data_ends_in_a_carriage_return_is_read():
    for n in range(100_000):
        text = f"manifest sha256 {hashlib.sha256(str(n).encode()).hexdigest()}".encode()
        packed = zlib.compress(text)
        if packed.endswith(b"\r"):
            break
    assert packed.endswith(b"\r")
    pdf = b"%%PDF-1.7\n1 0 obj\n<</Length %d>>\nstream\n%s\nendstream\nendobj\n" % (
        len(packed),
        packed,
    )

    assert text.decode() in pdf_text(pdf)
