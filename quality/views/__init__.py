"""The auditor's pages: the quality report, exports, read-only records and the audit trail.

Read-only by construction: every view answers GET; the only POSTs are "request an export"
and "verify the audit chain", and neither changes a record (an export job row is the
record of the export itself).
"""

from .audit import audit_trail
from .exports import (
    export_create,
    export_csv,
    export_detail,
    export_download,
    export_list,
)
from .records import (
    LIST_SPECS,
    LISTS,
    application_trail,
    browse,
    browse_list,
    review_detail,
    round_detail,
)
from .reports import report, report_json

__all__ = [
    "LISTS",
    "LIST_SPECS",
    "application_trail",
    "audit_trail",
    "browse",
    "browse_list",
    "export_create",
    "export_csv",
    "export_detail",
    "export_download",
    "export_list",
    "report",
    "report_json",
    "review_detail",
    "round_detail",
]
