"""The report's charts: accessible SVG with a visible title, labelled axes, a legend, a
colour-blind-safe palette with patterns, and the same figures as a table."""

import re

import pytest
from django.utils import translation

from quality.charts import (
    BLUE,
    BLUISH_GREEN,
    GREY,
    VERMILLION,
    Series,
    bar_chart,
    report_charts,
    stacked_chart,
)
from quality.report import build_report
from quality.selectors import Filters

from .conftest import NOW


def table_rows(html: str) -> list[list[str]]:
    """The rows of the chart's table alternative, each as its cells' text."""
    table = re.search(r'<details class="chart-data">.*?</details>', html, re.DOTALL).group(0)
    return [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)
    ]


def test_a_bar_chart_is_a_figure_with_a_visible_title_accessible_svg_and_a_table():
    html = bar_chart(
        [("<b>Badge</b> & co", 3), ("Other", None)],
        title="Applications <per> badge",
        category_label="Badge",
        value_label="Applications",
    )
    assert html.startswith('<figure class="chart"')
    assert re.search(
        r'<figcaption class="chart-title" id="[^"]+">Applications &lt;per&gt; badge<', html
    )
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in html
    assert "<title id=" in html and "<desc id=" in html
    assert "&lt;b&gt;Badge&lt;/b&gt; &amp; co: 3; Other: —" in html  # the description
    assert "<b>" not in html
    assert "style=" not in html
    assert table_rows(html) == [
        ["Badge", "Applications"],
        ["&lt;b&gt;Badge&lt;/b&gt; &amp; co", "3"],
        ["Other", "—"],
    ]


def test_a_bar_chart_labels_both_axes_and_its_legend_names_the_measure():
    html = bar_chart(
        [("Planning", 7), ("Reflection", 2)],
        title="Applications per badge",
        category_label="Badge",
        value_label="Applications",
    )
    texts = re.findall(r"<text [^>]*>([^<]*)</text>", html)
    # Legend key, category axis label, the two bar labels and values, the ticks 0-8, the
    # value axis label.
    assert texts == [
        "Applications",
        "Badge",
        "7",
        "2",
        "0",
        "2",
        "4",
        "6",
        "8",
        "Applications",
    ]
    assert f'fill="{BLUE}"' in html


def test_a_percentage_chart_runs_to_100():
    html = bar_chart(
        [("K1", 50.0)],
        title="Agreement",
        category_label="Criterion",
        value_label="Agreement (%)",
        unit="%",
        maximum=100,
    )
    ticks = re.findall(r'<text [^>]*text-anchor="middle" fill="[^"]+">([^<]*)</text>', html)
    assert ticks == ["0", "25", "50", "75", "100", "Agreement (%)"]
    assert table_rows(html) == [["Criterion", "Agreement (%)"], ["K1", "50%"]]


def test_a_stacked_chart_draws_one_segment_per_non_zero_value_with_a_total():
    html = stacked_chart(
        [("Badge", [2, 0, 1])],
        series=[
            Series("Valid", BLUISH_GREEN),
            Series("Revoked", VERMILLION, "hatch"),
            Series("Expired", GREY, "dots"),
        ],
        title="Credentials",
        category_label="Badge",
        value_label="Credentials issued",
    )
    segments = re.findall(r"<rect [^>]*><title>([^<]*)</title></rect>", html)
    assert segments == ["Badge, Valid: 2", "Badge, Expired: 1"]
    assert table_rows(html) == [
        ["Badge", "Valid", "Revoked", "Expired", "Total"],
        ["Badge", "2", "0", "1", "3"],
    ]


def test_negative_series_carry_a_pattern_as_well_as_a_colour():
    html = stacked_chart(
        [("Badge", [1, 1])],
        series=[Series("Valid", BLUISH_GREEN), Series("Revoked", VERMILLION, "hatch")],
        title="Credentials",
        category_label="Badge",
        value_label="Credentials issued",
    )
    pattern = re.search(r'<pattern id="([^"]+)"[^>]*><rect [^>]*fill="([^"]+)"/>', html)
    assert pattern.group(2) == VERMILLION
    assert f'fill="url(#{pattern.group(1)})"' in html


def test_an_empty_chart_says_there_is_nothing_to_show():
    html = bar_chart([], title="Nothing", category_label="Badge", value_label="Applications")
    assert "<svg" in html
    assert table_rows(html) == [["Badge", "Applications"], ["No figures in this scope."]]


@pytest.fixture
def charts(scenario):
    with translation.override("en"):
        return report_charts(
            build_report(Filters(constellation=scenario.constellation), now=NOW, verify_chain=False)
        )


def test_the_credentials_chart_counts_each_credential_once_by_its_status_today(charts):
    # Planning: one valid, one issued and later revoked; Reflection: one expired. Three
    # credentials were issued: the bars add up to three, not four.
    assert table_rows(charts["credentials"]) == [
        ["Badge", "Valid", "Revoked", "Expired", "Total"],
        ["Planning", "1", "1", "0", "2"],
        ["Reflection", "0", "0", "1", "1"],
    ]
    assert "Credentials issued per badge, by status today</figcaption>" in charts["credentials"]


def test_revoked_is_vermillion_with_a_pattern_and_valid_is_green(charts):
    legend = re.findall(
        r'<g class="chart-legend-key"><rect [^>]*fill="([^"]+)"[^>]*/><text [^>]*>([^<]*)</text>',
        charts["credentials"],
    )
    fills = {name: fill for fill, name in legend}
    assert fills["Valid"] == BLUISH_GREEN
    assert fills["Revoked"].startswith("url(#")
    assert fills["Expired"].startswith("url(#")


def test_the_state_charts_use_the_states_labels_not_their_codes(charts):
    assert table_rows(charts["states"])[1:] == [
        ["Draft", "1"],
        ["Submitted", "0"],
        ["In review", "1"],
        ["Changes requested", "0"],
        ["In moderation", "0"],
        ["Approved", "3"],
        ["Rejected", "1"],
        ["Withdrawn", "0"],
    ]
    assert "changes_requested" not in charts["per_badge"]


def test_the_months_read_as_months(charts):
    # Five applications first submitted in January 2026 (the draft counts in the month it
    # was started: today).
    assert table_rows(charts["per_month"])[:2] == [["Month", "Applications"], ["January 2026", "5"]]


def test_charts_are_in_the_readers_language(scenario):
    with translation.override("de"):
        charts = report_charts(
            build_report(Filters(constellation=scenario.constellation), now=NOW, verify_chain=False)
        )
        assert table_rows(charts["per_month"])[1] == ["Januar 2026", "5"]
        assert table_rows(charts["states"])[6] == ["Angenommen", "3"]
