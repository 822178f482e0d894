"""The quality report as PDF, with its charts and a manifest.

Rendered by the one renderer of the platform (`core.pdf`): its URL fetcher lets through the
report's stylesheet (a `{% static %}` link) and data: URLs, and refuses everything else
(network, other files), so a report can never make the server fetch anything.
"""

from django.template.loader import render_to_string

from core.pdf import render_pdf


def render_report_pdf(*, report: dict, charts: dict, manifest: dict) -> bytes:
    """The PDF bytes of the report page (same figures, same charts) plus its manifest."""
    html = render_to_string(
        "quality/report_pdf.html",
        {"report": report, "charts": charts, "manifest": manifest},
    )
    return render_pdf(html, pdf_a=False)
