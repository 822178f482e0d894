"""CSV: a dataset streamed to the browser, or written to a file."""

import csv
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


def streaming_csv_response(
    dataset: str, filters: selectors.Filters, *, pseudonymise: bool, filename: str
) -> StreamingHttpResponse:
    spec = DATASETS[dataset]
    response = StreamingHttpResponse(
        csv_bytes(spec.header, spec.rows(filters, pseudonymise)),
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
