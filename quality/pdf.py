"""The quality report as PDF (WeasyPrint), with its charts and a manifest.

WeasyPrint is imported inside the function (a heavy import most processes never need).
The URL fetcher serves only our own static files; every other URL (network, file://,
data:) is refused, so a report can never make the server fetch anything.
"""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

PDF_BASE_URL = "https://report.invalid/"


def static_only_fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves /static/… from the static files finders; refuses everything else."""

        def fetch(self, url, headers=None):
            prefix = PDF_BASE_URL.rstrip("/") + settings.STATIC_URL
            if not url.startswith(prefix):
                raise ValueError(f"Refused to fetch {url!r}: only our own static files.")
            relative = url[len(prefix) :].split("?")[0].split("#")[0]
            if not relative or ".." in relative.split("/"):
                raise ValueError(f"Refused to fetch {url!r}.")
            path = finders.find(relative)
            if not path:
                raise ValueError(f"No static file {relative!r}.")
            with open(path, "rb") as handle:
                body = handle.read()
            content_type = "text/css" if relative.endswith(".css") else "application/octet-stream"
            if relative.endswith(".svg"):
                content_type = "image/svg+xml"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticOnlyFetcher


def render_report_pdf(*, report: dict, charts: dict, manifest: dict) -> bytes:
    """The PDF bytes of the report page (same figures, same charts) plus its manifest."""
    from weasyprint import HTML

    html = render_to_string(
        "quality/report_pdf.html",
        {"report": report, "charts": charts, "manifest": manifest},
    )
    fetcher = static_only_fetcher_class()()
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher).write_pdf()
