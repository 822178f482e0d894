"""Output formats: CSV (streamed), XLSX (openpyxl write-only), JSON.

Rows come from `.iterator(chunk_size=...)` over querysets that already carry every column
(select_related and annotated subqueries), so an export costs the same few queries for ten
rows or a hundred thousand, and memory stays flat.

Every text cell goes through `neutralise`: a value a spreadsheet would read as a formula
(starting with = + - @, tab or carriage return, also after leading spaces) is prefixed
with a single quote. Learner identities can be pseudonymised per export (`pseudonym`).
"""

from .cells import FORMULA_TRIGGERS, cell, neutralise
from .csv_export import csv_bytes, csv_lines, streaming_csv_response, write_csv
from .datasets import (
    APPLICATION_HEADER,
    CHUNK_SIZE,
    CREDENTIAL_HEADER,
    DATASETS,
    JUDGEMENT_HEADER,
    Dataset,
    application_rows,
    credential_rows,
    credential_status,
    judgement_rows,
)
from .decision_trail import decision_trail, decision_trail_json
from .pseudonyms import pseudonym, scrub
from .summary import SUMMARY_HEADER_CODES, summary_header, summary_rows, write_report_csv
from .xlsx_export import write_xlsx

__all__ = [
    "APPLICATION_HEADER",
    "CHUNK_SIZE",
    "CREDENTIAL_HEADER",
    "DATASETS",
    "FORMULA_TRIGGERS",
    "JUDGEMENT_HEADER",
    "SUMMARY_HEADER_CODES",
    "Dataset",
    "application_rows",
    "cell",
    "credential_rows",
    "credential_status",
    "csv_bytes",
    "csv_lines",
    "decision_trail",
    "decision_trail_json",
    "judgement_rows",
    "neutralise",
    "pseudonym",
    "scrub",
    "streaming_csv_response",
    "summary_header",
    "summary_rows",
    "write_csv",
    "write_report_csv",
    "write_xlsx",
]
