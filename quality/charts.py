"""Charts drawn on the server as SVG: no script, no CDN, the same markup in page and PDF.

Every chart has a <title> and <desc> (read by screen readers, referenced by aria-labelledby)
and every label is escaped. Colours are SVG attributes, not inline styles (CSP style-src).
"""

from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from applications.models import ApplicationState

PALETTE = ["#1f5f8b", "#2e8540", "#c0392b", "#b7791f", "#6b46c1", "#4a5568", "#0f766e", "#9b2c2c"]
_ids = count(1)


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return str(value)


def bar_chart(
    items: list[tuple[str, float | int | None]],
    *,
    title: str,
    description: str = "",
    unit: str = "",
    width: int = 640,
    bar_height: int = 22,
) -> SafeString:
    """Horizontal bars, one per (label, value); missing values draw no bar and read "—"."""
    chart_id = f"chart-{next(_ids)}"
    label_width = 220
    value_width = 70
    plot = width - label_width - value_width
    top = 8
    height = top + len(items) * (bar_height + 8) + 8
    numbers = [v for _label, v in items if v is not None]
    peak = max(numbers) if numbers and max(numbers) > 0 else 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart-svg" '
        f'viewBox="0 0 {width} {max(height, 30)}" width="{width}" height="{max(height, 30)}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description or _describe(items, unit))}</desc>',
    ]
    if not items:
        parts.append('<text x="4" y="20" font-size="13" fill="#4a5568">—</text>')
    for index, (label, value) in enumerate(items):
        y = top + index * (bar_height + 8)
        bar = 0 if value is None else max(0, value) / peak * plot
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.7:.1f}" font-size="12" '
            f'text-anchor="end" fill="#1a202c">{escape(_truncate(label))}</text>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{bar:.1f}" height="{bar_height}" '
            f'fill="{PALETTE[0]}" rx="3"><title>{escape(label)}: {escape(_fmt(value))}'
            f"{escape(unit)}</title></rect>"
        )
        parts.append(
            f'<text x="{label_width + bar + 6:.1f}" y="{y + bar_height * 0.7:.1f}" '
            f'font-size="12" fill="#1a202c">{escape(_fmt(value))}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def stacked_chart(
    rows: list[tuple[str, list[int]]],
    *,
    series: list[str],
    title: str,
    description: str = "",
    width: int = 640,
    bar_height: int = 22,
) -> SafeString:
    """Horizontal stacked bars: one row per label, one segment per series, with a legend."""
    chart_id = f"chart-{next(_ids)}"
    label_width = 220
    value_width = 50
    plot = width - label_width - value_width
    legend_height = 22 * ((len(series) + 3) // 4)
    top = legend_height + 8
    height = top + len(rows) * (bar_height + 8) + 8
    peak = max((sum(values) for _l, values in rows), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart-svg" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description or _describe_stacked(rows, series))}</desc>',
    ]
    for index, name in enumerate(series):
        x: float = (index % 4) * (width // 4)
        y = (index // 4) * 22
        parts.append(
            f'<rect x="{x}" y="{y + 4}" width="12" height="12" fill="{PALETTE[index % len(PALETTE)]}"/>'
            f'<text x="{x + 16}" y="{y + 14}" font-size="12" fill="#1a202c">{escape(name)}</text>'
        )
    for row_index, (label, values) in enumerate(rows):
        y = top + row_index * (bar_height + 8)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.7:.1f}" font-size="12" '
            f'text-anchor="end" fill="#1a202c">{escape(_truncate(label))}</text>'
        )
        x = float(label_width)
        for index, value in enumerate(values):
            if not value:
                continue
            segment = value / peak * plot
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{segment:.1f}" height="{bar_height}" '
                f'fill="{PALETTE[index % len(PALETTE)]}"><title>{escape(label)}, '
                f"{escape(series[index])}: {value}</title></rect>"
            )
            x += segment
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + bar_height * 0.7:.1f}" font-size="12" '
            f'fill="#1a202c">{sum(values)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _truncate(label: str, length: int = 32) -> str:
    label = str(label)
    return label if len(label) <= length else label[: length - 1] + "…"


def _describe(items, unit) -> str:
    return "; ".join(f"{label}: {_fmt(value)}{unit}" for label, value in items)


def _describe_stacked(rows, series) -> str:
    return "; ".join(
        f"{label}: "
        + ", ".join(f"{name} {value}" for name, value in zip(series, values, strict=False))
        for label, values in rows
    )


def report_charts(report: dict) -> dict[str, SafeString]:
    """The charts of the quality report page (and PDF), drawn from the report dict."""
    labels = dict(ApplicationState.choices)
    volumes = report["volumes"]
    states = list(volumes["applications_by_state"])
    consistency = report["consistency"]
    return {
        "states": bar_chart(
            [(str(labels.get(s, s)), n) for s, n in volumes["applications_by_state"].items()],
            title=_("Applications by state"),
        ),
        "per_badge": stacked_chart(
            [(e["title"], [e["by_state"][s] for s in states]) for e in volumes["per_badge"]],
            series=[str(labels.get(s, s)) for s in states],
            title=_("Applications per badge, by state"),
        ),
        "credentials": stacked_chart(
            [
                (
                    e["title"],
                    [e["credentials_issued"], e["credentials_revoked"], e["credentials_expired"]],
                )
                for e in volumes["per_badge"]
            ],
            series=[_("Issued"), _("Revoked"), _("Expired")],
            title=_("Credentials per badge"),
        ),
        "per_month": bar_chart(
            [(e["month"] or "—", e["applications"]) for e in volumes["per_month"]],
            title=_("Applications per month"),
        ),
        "first_review": bar_chart(
            [
                (e["title"], e["first_review_days_median"])
                for e in report["timeliness"]["per_badge"]
            ],
            title=_("Median days to first review, per badge"),
            unit=" d",
        ),
        "agreement": bar_chart(
            [
                (f"{e['code'] or e['title']}", e["percent_agreement"])
                for e in consistency["per_criterion"]
            ],
            title=_("Agreement between assessors per criterion (%)"),
            unit="%",
        ),
        "judgements": stacked_chart(
            [
                (f"{e['code'] or ''} {e['title']}".strip(), [e["met"], e["not_yet"]])
                for e in consistency["judgement_distribution"]
            ],
            series=[_("Met"), _("Not yet met")],
            title=_("Judgements per criterion"),
        ),
        "workload": bar_chart(
            [(e["assessor"], e["assessments"]) for e in report["workload"]["per_assessor"]],
            title=_("Assessments per assessor"),
        ),
    }
