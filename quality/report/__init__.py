"""The quality report: one dictionary, the single source for the page, the JSON, the CSV and
XLSX summaries and the PDF.

`build_report(filters)` reads a handful of flat rows (a fixed number of queries, whatever
the volume) and hands them to the pure functions in `quality.metrics`. Every value is
JSON-safe: numbers, strings, lists and dicts; times are ISO 8601, durations are days,
rates are percentages (0-100, one decimal).
"""

from .build import build_report, scope_of
from .common import OVERDUE_STATES, STATES, effective_outcome
from .consistency import double_assessed_pairs
from .integrity import EU_ELEMENTS, eu_elements_of, issuer_check

__all__ = [
    "EU_ELEMENTS",
    "OVERDUE_STATES",
    "STATES",
    "build_report",
    "double_assessed_pairs",
    "effective_outcome",
    "eu_elements_of",
    "issuer_check",
    "scope_of",
]
