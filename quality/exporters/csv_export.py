"""CSV: a dataset streamed to the browser, or written to a file."""

import csv
import itertools
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

from .. import selectors
from .datasets import DATASETS


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def csv_bytes(header: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    for line in csv_lines(header, rows):
        yield line.encode("utf-8")


def _started(rows: Iterable[list]) -> Iterator[list]:
    """The rows with the first one already fetched: the query runs (and any error it
    raises surfaces) before the response starts, never after its first byte."""
    rows = iter(rows)
    first = next(rows, None)
    return iter([]) if first is None else itertools.chain([first], rows)


def streaming_csv_response(
    dataset: str, filters: selectors.Filters, *, pseudonymise: bool, filename: str
) -> StreamingHttpResponse:
    """The filters are checked before this is called (a form); the rows are started here."""
    spec = DATASETS[dataset]
    response = StreamingHttpResponse(
        csv_bytes(spec.header, _started(spec.rows(filters, pseudonymise))),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def write_csv(path, dataset: str, filters: selectors.Filters, *, pseudonymise: bool) -> None:
    spec = DATASETS[dataset]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        for line in csv_lines(spec.header, spec.rows(filters, pseudonymise)):
            handle.write(line)
