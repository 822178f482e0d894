"""The one URL fetcher of every PDF: data: URLs and our own static files, nothing else."""

import pytest

from core.pdf import PDF_BASE_URL, url_fetcher


def test_the_url_fetcher_of_pdfs_refuses_everything_but_our_static_files():
    fetcher = url_fetcher()
    response = fetcher.fetch(PDF_BASE_URL + "static/css/quality.css")
    assert b".chart" in response.read()
    for url in (
        "https://example.org/x.css",
        "file:///etc/passwd",
        PDF_BASE_URL + "static/../config/settings/base.py",
        PDF_BASE_URL + "static/%2E%2E/config/settings/base.py",
        PDF_BASE_URL + "media/secret.pdf",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_a_static_file_reads_the_same_by_its_static_url_and_by_its_path(settings):
    fetcher = url_fetcher()

    by_url = fetcher.fetch(PDF_BASE_URL + "static/img/logo.svg")
    by_path = fetcher.fetch(f"file://{settings.BASE_DIR}/static/img/logo.svg")

    assert by_url.read() == by_path.read()
    assert by_url.content_type == by_path.content_type == "image/svg+xml"


def test_a_data_url_is_read_in_place():
    assert url_fetcher().fetch("data:text/css,body{}").read() == b"body{}"
