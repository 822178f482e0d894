"""PDFs: the one renderer and the one URL fetcher, for every PDF of the platform.

The certificate and the assessment report of a credential (certificates) and the quality
report (quality) are all rendered by `render_pdf`. What a PDF may load is decided in one
place, `url_fetcher`: `data:` URLs (images the templates inline) and files under our own
static folders — nothing else, no network, no other file. A static file may be named by its
`file://` path or by its `{% static %}` URL; either way it is read from disk, never fetched.

WeasyPrint is a heavy import most processes never need: it is imported inside the functions
that use it.
"""

import functools
import mimetypes
import ssl
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlparse

from django.conf import settings

# What relative and `{% static %}` URLs in a PDF resolve against. It names no server (.invalid
# is reserved): the fetcher reads the static ones from disk and refuses every other.
PDF_BASE_URL = "https://pdf.invalid/"


def _static_roots() -> list[Path]:
    roots = [Path(p).resolve() for p in getattr(settings, "STATICFILES_DIRS", [])]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def static_file(url: str) -> Path | None:
    """The file under our static folders that `url` names (a `file://` URL, or a URL under
    STATIC_URL as resolved against PDF_BASE_URL), or None for anything else."""
    roots = _static_roots()
    if url.startswith("file://"):
        candidates = [Path(unquote(urlparse(url).path)).resolve()]
    else:
        prefix = urljoin(PDF_BASE_URL, settings.STATIC_URL)
        if not url.startswith(prefix):
            return None
        relative = unquote(url[len(prefix) :].split("?")[0].split("#")[0])
        candidates = [(root / relative).resolve() for root in roots]
    for path in candidates:
        if any(path.is_relative_to(root) for root in roots) and path.is_file():
            return path
    return None


@functools.cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415 - heavy: only when rendering

    class StaticOnlyFetcher(URLFetcher):
        """Serves data: URLs and our own static files; refuses everything else."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_file(url)
            if path is None:
                raise ValueError(f"Resource not allowed in PDFs: {url[:200]}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticOnlyFetcher


def url_fetcher():
    """A WeasyPrint URL fetcher limited to data: URLs and files under our static folders."""
    # HTTPS is not an allowed protocol, so the TLS context is never used; passing one that
    # is built once spares loading the system's certificate store on every render (about a
    # third of the time of a certificate).
    return _fetcher_class()(allowed_protocols={"data", "file"}, ssl_context=_unused_tls_context())


@functools.cache
def _unused_tls_context():
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def render_pdf(html: str, *, pdf_a: bool, attachments=()) -> bytes:
    """The PDF of `html`, loading only what `url_fetcher` allows: PDF/A-3b when `pdf_a`,
    with `attachments` (WeasyPrint `Attachment`s) embedded."""
    from weasyprint import HTML  # noqa: PLC0415 - heavy: only when rendering

    options: dict[str, Any] = {"attachments": list(attachments)}
    if pdf_a:
        options["pdf_variant"] = "pdf/a-3b"
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=url_fetcher())
    with warnings.catch_warnings():
        # WeasyPrint 70 opens its sRGB profile for PDF/A without closing it (a library
        # detail): silence that one ResourceWarning, nothing else.
        warnings.simplefilter("ignore", ResourceWarning)
        return document.write_pdf(**options)
