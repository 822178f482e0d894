"""Charts drawn on the server as SVG: no script, no CDN, the same markup in page and PDF.

Each chart is a <figure>: a visible title (its caption), the SVG and the same figures as a
table in a <details> element (the alternative for screen readers and for anyone who
wants the numbers). The SVG has a <title> and <desc> (the figures in words) referenced by
aria-labelledby, a legend, a labelled category axis (left) and a labelled value axis with
ticks (below). Every label is escaped.

Colours come from the Okabe-Ito palette, which stays distinguishable with the common
forms of colour blindness; colours mean what they say (approved/met/valid in bluish green,
rejected/revoked in vermillion) and the negative ones also carry a pattern, so that no
series is told apart by colour alone. Every segment has a dark outline (contrast against
the page) and its value is printed next to its bar. Colours are SVG attributes, not
inline styles (CSP style-src).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from applications.models import ApplicationState

from .labels import month_label

# Okabe & Ito (2008), "Color Universal Design".
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
GREY = "#999999"
INK = "#1a202c"
OUTLINE = "#1a202c"

_ids = count(1)


@dataclass(frozen=True)
class Series:
    """One series of a chart: its name (in the legend), colour and an optional pattern
    ("hatch", "cross" or "dots") drawn over the colour."""

    name: str
    colour: str = BLUE
    pattern: str = ""


# What each application state looks like: progress in blues, waiting on the learner in
# orange, the end states in green (approved) and vermillion (rejected), the inactive ones
# in greys; the negative end states carry a pattern too.
STATE_STYLE = {
    ApplicationState.DRAFT: (GREY, "dots"),
    ApplicationState.SUBMITTED: (SKY_BLUE, ""),
    ApplicationState.IN_REVIEW: (BLUE, ""),
    ApplicationState.CHANGES_REQUESTED: (ORANGE, ""),
    ApplicationState.IN_MODERATION: (REDDISH_PURPLE, ""),
    ApplicationState.APPROVED: (BLUISH_GREEN, ""),
    ApplicationState.REJECTED: (VERMILLION, "hatch"),
    ApplicationState.WITHDRAWN: (BLACK, "cross"),
}


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return formats.number_format(value, decimal_pos=1 if value % 1 else 0)
    return formats.number_format(value)


def _nice_step(peak: float) -> float:
    """1, 2 or 5 times a power of ten (at least 1): at most 5 steps from 0 to `peak`."""
    magnitude = 10 ** math.floor(math.log10(peak / 5)) if peak > 5 else 1
    for factor in (1, 2, 5, 10):
        if peak / (magnitude * factor) <= 5:
            return float(magnitude * factor)
    return float(magnitude * 10)


def _ticks(peak: float, maximum: float | None) -> list[float]:
    if maximum is not None:
        top = maximum
        step = maximum / 4
    else:
        peak = max(peak, 1)
        step = _nice_step(peak)
        top = step * -(-peak // step)
    ticks = []
    value = 0.0
    while value <= top + 1e-9:
        ticks.append(value)
        value += step
    return ticks


def _patterns(chart_id: str, series: list[Series]) -> str:
    defs = []
    for index, item in enumerate(series):
        if not item.pattern:
            continue
        pid = f"{chart_id}-p{index}"
        lines = {
            "hatch": '<path d="M0,8 L8,0" stroke="#ffffff" stroke-width="2"/>',
            "cross": '<path d="M0,8 L8,0 M0,0 L8,8" stroke="#ffffff" stroke-width="1.5"/>',
            "dots": '<circle cx="4" cy="4" r="1.6" fill="#ffffff"/>',
        }[item.pattern]
        defs.append(
            f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="{item.colour}"/>{lines}</pattern>'
        )
    return f"<defs>{''.join(defs)}</defs>" if defs else ""


def _fill(chart_id: str, series: list[Series], index: int) -> str:
    return f"url(#{chart_id}-p{index})" if series[index].pattern else series[index].colour


def _chart(
    rows: Sequence[tuple[str, Sequence[float | int | None]]],
    *,
    series: list[Series],
    title: str,
    category_label: str,
    value_label: str,
    description: str,
    unit: str = "",
    maximum: float | None = None,
    show_total: bool = False,
    width: int = 520,
    bar_height: int = 22,
) -> SafeString:
    chart_id = f"chart-{next(_ids)}"
    label_width = 190
    value_width = 50
    plot = width - label_width - value_width
    columns = 3
    legend_rows = (len(series) + columns - 1) // columns
    legend_height = 20 * legend_rows + 6
    header = legend_height + 18  # the category axis label sits above the category labels
    axis_y = header + max(len(rows), 1) * (bar_height + 8)
    height = axis_y + 48
    totals = [sum(v or 0 for v in values) for _label, values in rows]
    ticks = _ticks(max(totals, default=0), maximum)
    top = ticks[-1] or 1

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart-svg" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        _patterns(chart_id, series),
    ]
    # Legend: one key per series, its colour and pattern.
    for index, item in enumerate(series):
        key_x = (index % columns) * (width // columns)
        key_y = (index // columns) * 20
        parts.append(
            f'<g class="chart-legend-key"><rect x="{key_x + 1}" y="{key_y + 3}" width="14" height="14" '
            f'fill="{_fill(chart_id, series, index)}" stroke="{OUTLINE}" stroke-width="0.75"/>'
            f'<text x="{key_x + 20}" y="{key_y + 14}" font-size="13" fill="{INK}">'
            f"{escape(item.name if len(series) == 1 else _truncate(item.name, 22))}</text></g>"
        )
    # Category axis label, above the category labels.
    parts.append(
        f'<text x="{label_width - 8}" y="{header - 6}" font-size="13" font-weight="bold" '
        f'text-anchor="end" fill="{INK}">{escape(category_label)}</text>'
    )
    if not rows:
        nothing = _("No figures in this scope.")
        parts.append(
            f'<text x="{label_width + 4}" y="{header + 15}" font-size="13" fill="{INK}">'
            f"{escape(nothing)}</text>"
        )
    for row_index, (label, values) in enumerate(rows):
        y = header + row_index * (bar_height + 8)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar_height * 0.7:.1f}" font-size="13" '
            f'text-anchor="end" fill="{INK}"><title>{escape(label)}</title>'
            f"{escape(_truncate(label))}</text>"
        )
        x = float(label_width)
        for index, value in enumerate(values):
            if not value:
                continue
            segment = max(0, value) / top * plot
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{segment:.1f}" height="{bar_height}" '
                f'fill="{_fill(chart_id, series, index)}" stroke="{OUTLINE}" '
                f'stroke-width="0.75"><title>{escape(label)}, {escape(series[index].name)}: '
                f"{escape(_fmt(value))}{escape(unit)}</title></rect>"
            )
            x += segment
        shown = totals[row_index] if len(series) > 1 else values[0] if values else None
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + bar_height * 0.7:.1f}" font-size="13" '
            f'fill="{INK}">{escape(_fmt(shown))}{escape(unit) if shown is not None else ""}</text>'
        )
    # Value axis: a line, ticks with their values, and its label.
    parts.append(
        f'<line x1="{label_width}" y1="{header - 2}" x2="{label_width}" y2="{axis_y}" '
        f'stroke="{OUTLINE}" stroke-width="1"/>'
        f'<line x1="{label_width}" y1="{axis_y}" x2="{label_width + plot}" y2="{axis_y}" '
        f'stroke="{OUTLINE}" stroke-width="1"/>'
    )
    for tick in ticks:
        tick_x = label_width + tick / top * plot
        parts.append(
            f'<line x1="{tick_x:.1f}" y1="{axis_y}" x2="{tick_x:.1f}" y2="{axis_y + 4}" '
            f'stroke="{OUTLINE}" stroke-width="1"/>'
            f'<text x="{tick_x:.1f}" y="{axis_y + 16}" font-size="12" text-anchor="middle" '
            f'fill="{INK}">{escape(_fmt(tick))}</text>'
        )
    parts.append(
        f'<text x="{label_width + plot / 2:.1f}" y="{axis_y + 36}" font-size="13" '
        f'font-weight="bold" text-anchor="middle" fill="{INK}">{escape(value_label)}</text>'
    )
    parts.append("</svg>")
    return mark_safe(
        f'<figure class="chart" aria-labelledby="{chart_id}-caption">'
        f'<figcaption class="chart-title" id="{chart_id}-caption">{escape(title)}</figcaption>'
        + "".join(parts)
        + _table(rows, series, title, category_label, unit, show_total, totals)
        + "</figure>"
    )


def _no_figures() -> str:
    return _("No figures in this scope.")


def _table_summary() -> str:
    return _("The figures as a table")


def _table(rows, series, title, category_label, unit, show_total, totals) -> str:
    """The chart's figures as a table, folded away in a <details> element."""
    head = "".join(f'<th scope="col">{escape(item.name)}</th>' for item in series)
    if show_total:
        total = pgettext("sum of a chart row", "Total")
        head += f'<th scope="col">{escape(total)}</th>'
    body = []
    for row_index, (label, values) in enumerate(rows):
        cells = "".join(
            f"<td>{escape(_fmt(value))}{escape(unit) if value is not None else ''}</td>"
            for value in values
        )
        if show_total:
            cells += f"<td>{escape(_fmt(totals[row_index]))}</td>"
        body.append(f'<tr><th scope="row">{escape(label)}</th>{cells}</tr>')
    if not body:
        body.append(
            f'<tr><td colspan="{len(series) + 1 + show_total}">{escape(_no_figures())}</td></tr>'
        )
    return (
        f'<details class="chart-data"><summary>{escape(_table_summary())}</summary>'
        f'<div class="table-wrap"><table><caption>{escape(title)}</caption>'
        f'<thead><tr><th scope="col">{escape(category_label)}</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div></details>"
    )


def bar_chart(
    items: list[tuple[str, float | int | None]],
    *,
    title: str,
    category_label: str,
    value_label: str,
    unit: str = "",
    maximum: float | None = None,
    colour: str = BLUE,
) -> SafeString:
    """Horizontal bars, one per (label, value); a missing value draws no bar and reads "—".
    The legend names what the bars measure (`value_label`)."""
    return _chart(
        [(label, [value]) for label, value in items],
        series=[Series(value_label, colour)],
        title=title,
        category_label=category_label,
        value_label=value_label,
        description=_describe(items, unit),
        unit=unit,
        maximum=maximum,
    )


def stacked_chart(
    rows: list[tuple[str, list[int]]],
    *,
    series: list[Series],
    title: str,
    category_label: str,
    value_label: str,
) -> SafeString:
    """Horizontal stacked bars: one row per label, one segment per series. The segments of
    a row must be parts of one whole (each thing counted once): the bar's length is their
    sum, printed at its end and in the table's total column."""
    return _chart(
        rows,
        series=series,
        title=title,
        category_label=category_label,
        value_label=value_label,
        description=_describe_stacked(rows, series),
        show_total=True,
    )


def _truncate(label: str, length: int = 22) -> str:
    label = str(label)
    return label if len(label) <= length else label[: length - 1] + "…"


def _describe(items, unit) -> str:
    if not items:
        return _("No figures in this scope.")
    return "; ".join(
        f"{label}: {_fmt(value)}{unit if value is not None else ''}" for label, value in items
    )


def _describe_stacked(rows, series) -> str:
    if not rows:
        return _("No figures in this scope.")
    return "; ".join(
        f"{label}: "
        + ", ".join(
            f"{item.name} {_fmt(value)}" for item, value in zip(series, values, strict=False)
        )
        for label, values in rows
    )


def report_charts(report: dict) -> dict[str, SafeString]:
    """The charts of the quality report page (and PDF), drawn from the report dict."""
    labels = dict(ApplicationState.choices)
    volumes = report["volumes"]
    states = list(volumes["applications_by_state"])
    consistency = report["consistency"]
    badge = _("Badge")
    criterion = _("Criterion")
    applications = _("Applications")
    return {
        "states": bar_chart(
            [(str(labels.get(s, s)), n) for s, n in volumes["applications_by_state"].items()],
            title=_("Applications by state"),
            category_label=_("State"),
            value_label=applications,
        ),
        "per_badge": stacked_chart(
            [(e["title"], [e["by_state"][s] for s in states]) for e in volumes["per_badge"]],
            series=[Series(str(labels.get(s, s)), *STATE_STYLE.get(s, (GREY, ""))) for s in states],
            title=_("Applications per badge, by state"),
            category_label=badge,
            value_label=applications,
        ),
        # Each credential issued in the period once, by what it is today: a revoked one
        # is not counted again next to its issue.
        "credentials": stacked_chart(
            [
                (
                    e["title"],
                    [
                        e["credentials_issued_by_status"]["valid"],
                        e["credentials_issued_by_status"]["revoked"],
                        e["credentials_issued_by_status"]["expired"],
                    ],
                )
                for e in volumes["per_badge"]
                if e["credentials_issued"]
            ],
            series=[
                Series(_("Valid"), BLUISH_GREEN),
                Series(_("Revoked"), VERMILLION, "hatch"),
                Series(_("Expired"), GREY, "dots"),
            ],
            title=_("Credentials issued per badge, by status today"),
            category_label=badge,
            value_label=_("Credentials issued"),
        ),
        "per_month": bar_chart(
            [(month_label(e["month"]), e["applications"]) for e in volumes["per_month"]],
            title=_("Applications per month"),
            category_label=_("Month"),
            value_label=applications,
        ),
        "first_review": bar_chart(
            [
                (e["title"], e["first_review_days_median"])
                for e in report["timeliness"]["per_badge"]
            ],
            title=_("Median days to first review, per badge"),
            category_label=badge,
            value_label=_("Days to first review (median)"),
        ),
        "agreement": bar_chart(
            [
                (f"{e['code'] or e['title']}", e["percent_agreement"])
                for e in consistency["per_criterion"]
            ],
            title=_("Agreement between assessors per criterion (%)"),
            category_label=criterion,
            value_label=_("Agreement (%)"),
            unit="%",
            maximum=100,
        ),
        "judgements": stacked_chart(
            [
                (f"{e['code'] or ''} {e['title']}".strip(), [e["met"], e["not_yet"]])
                for e in consistency["judgement_distribution"]
            ],
            series=[
                Series(_("Met"), BLUISH_GREEN),
                Series(_("Not yet met"), ORANGE, "hatch"),
            ],
            title=_("Judgements per criterion"),
            category_label=criterion,
            value_label=_("Judgements"),
        ),
        "workload": bar_chart(
            [(e["assessor"], e["assessments"]) for e in report["workload"]["per_assessor"]],
            title=_("Assessments per assessor"),
            category_label=_("Assessor"),
            value_label=_("Assessments"),
        ),
    }
