"""XLSX: workbooks written in openpyxl's write-only mode (rows go straight to disk)."""

from collections.abc import Callable, Iterable

from .. import selectors
from .cells import neutralise
from .datasets import DATASETS
from .summary import summary_header, summary_rows


def _xlsx_cell(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # noqa: PLC0415 - heavy: only when writing XLSX

    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def write_xlsx(
    target,
    filters: selectors.Filters,
    *,
    datasets: Iterable[str],
    pseudonymise: bool,
    report: dict | None = None,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write a workbook (write-only mode: rows go straight to disk) to a path or file."""
    from openpyxl import Workbook  # noqa: PLC0415 - heavy: only when writing XLSX

    workbook = Workbook(write_only=True)
    if report is not None:
        sheet = workbook.create_sheet("summary")
        sheet.append(summary_header())
        for row in summary_rows(report):
            sheet.append([_xlsx_cell(v) for v in row])
    names = list(datasets)
    for index, name in enumerate(names):
        spec = DATASETS[name]
        sheet = workbook.create_sheet(name)
        sheet.append(spec.header)
        for row in spec.rows(filters, pseudonymise):
            sheet.append([_xlsx_cell(v) for v in row])
        if progress:
            progress(int((index + 1) / len(names) * 90))
    workbook.save(target)
