"""Uploaded files round-trip through a real S3-compatible server, configured as production
configures it: private objects, signed URLs, never overwritten."""

import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile

pytestmark = pytest.mark.s3

CONTENT = b"%PDF-1.4\n% evidence\n" + bytes(range(256)) * 8


def test_the_default_storage_is_the_s3_backend_with_private_signed_urls(s3_storage):
    assert s3_storage.default_acl == "private"
    assert type(s3_storage._wrapped).__module__ == "storages.backends.s3"
    assert s3_storage.querystring_auth is True
    assert s3_storage.file_overwrite is False


def test_a_saved_file_exists_and_reads_back_identical(s3_storage):
    name = s3_storage.save("evidence/report.pdf", ContentFile(CONTENT))

    assert name == "evidence/report.pdf"
    assert s3_storage.exists(name) is True
    assert s3_storage.size(name) == len(CONTENT)
    with s3_storage.open(name, "rb") as handle:
        assert handle.read() == CONTENT


def test_the_signed_url_carries_a_signature_and_serves_the_file(s3_storage):
    name = s3_storage.save("evidence/signed.pdf", ContentFile(CONTENT))

    url = s3_storage.url(name)

    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert len(query["X-Amz-Signature"][0]) == 64
    assert query["X-Amz-Expires"] == ["300"]
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback server
        assert response.status == 200
        assert response.read() == CONTENT


def test_the_object_is_private_without_a_signature(s3_storage):
    name = s3_storage.save("evidence/private.pdf", ContentFile(CONTENT))
    unsigned = s3_storage.url(name).split("?", 1)[0]

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(unsigned, timeout=10)  # noqa: S310 - loopback server

    assert refused.value.code == 403
    refused.value.close()


def test_saving_the_same_name_twice_keeps_both_files(s3_storage):
    first = s3_storage.save("evidence/same.txt", ContentFile(b"first"))
    second = s3_storage.save("evidence/same.txt", ContentFile(b"second"))

    assert first == "evidence/same.txt"
    assert second != first
    assert second.startswith("evidence/same_") and second.endswith(".txt")
    with s3_storage.open(first, "rb") as handle:
        assert handle.read() == b"first"
    with s3_storage.open(second, "rb") as handle:
        assert handle.read() == b"second"


def test_a_deleted_file_is_gone(s3_storage):
    name = s3_storage.save("evidence/gone.txt", ContentFile(b"bye"))

    s3_storage.delete(name)

    assert s3_storage.exists(name) is False
