"""The report summary: every figure of the report as (section, figure, key, value) rows,
in CSV (and as the first sheet of the XLSX workbook)."""

from collections.abc import Iterator

from .cells import cell
from .csv_export import csv_lines

SUMMARY_HEADER = ["section", "figure", "key", "value"]


def summary_rows(report: dict) -> Iterator[list]:
    """Every figure of the report as (section, figure, key, value) rows."""
    for section, figures in report.items():
        if not isinstance(figures, dict):
            yield [cell(section), "", "", cell(figures)]
            continue
        yield from _flatten(section, "", figures)


def _flatten(section: str, prefix: str, value) -> Iterator[list]:
    if isinstance(value, dict):
        for key, inner in value.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(inner, dict | list):
                yield from _flatten(section, name, inner)
            else:
                figure, _dot, last = name.rpartition(".")
                yield [cell(section), cell(figure), cell(last), cell(inner)]
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                label = item.get("badge") or item.get("assessor") or item.get("month") or index
                if "code" in item:
                    label = f"{item.get('badge')}/{item.get('code') or item.get('criterion_id')}"
                yield from _flatten(section, f"{prefix}[{label}]", item)
            else:
                yield [cell(section), cell(prefix), cell(index), cell(item)]


def write_report_csv(path, report: dict) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        for line in csv_lines(SUMMARY_HEADER, summary_rows(report)):
            handle.write(line)
