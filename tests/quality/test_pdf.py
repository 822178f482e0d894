"""The quality report PDF loads nothing from the network and no file outside our static
folders: a chart (or anything else in the page) naming one gets nothing."""

import base64
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils.safestring import mark_safe

from quality.pdf import render_report_pdf
from quality.report import build_report
from quality.selectors import Filters

pytestmark = pytest.mark.django_db

PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def report_pdf(images: str) -> bytes:
    report = build_report(Filters(), verify_chain=False)
    manifest = {
        "scope": report["scope"],
        "generated_at": report["generated_at"],
        "pseudonymised": False,
        "files": [],
    }
    return render_report_pdf(report=report, charts={"states": mark_safe(images)}, manifest=manifest)


@pytest.fixture
def loopback():
    """A real HTTP server on 127.0.0.1 that serves a pixel and notes every request."""
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(PIXEL)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    server.server_close()
    thread.join()


def test_the_report_pdf_fetches_no_external_url(loopback):
    address, requests = loopback

    pdf = report_pdf(f'<img src="{address}/pixel.png" alt="">')

    assert requests == []
    assert b"/Subtype /Image" not in pdf


def test_the_report_pdf_reads_no_file_outside_static(tmp_path):
    outside = tmp_path / "pixel.png"
    outside.write_bytes(PIXEL)

    pdf = report_pdf(f'<img src="{outside.as_uri()}" alt="">')

    assert b"/Subtype /Image" not in pdf


def test_the_report_pdf_shows_an_inlined_image():
    data_url = "data:image/png;base64," + base64.b64encode(PIXEL).decode()

    pdf = report_pdf(f'<img src="{data_url}" alt="">')

    assert b"/Subtype /Image" in pdf
