"""Every write on applications, evidence and self-assessments, by entity."""

from .evidence import (
    application_file_usage,
    clean_html_has_text,
    evidence_add,
    evidence_remove,
    evidence_update,
    self_assessment_save,
)
from .lifecycle import (
    application_start,
    application_submit,
    application_withdraw,
    missing_evidence,
    needs_two_assessors,
)

__all__ = [
    "application_file_usage",
    "application_start",
    "application_submit",
    "application_withdraw",
    "clean_html_has_text",
    "evidence_add",
    "evidence_remove",
    "evidence_update",
    "missing_evidence",
    "needs_two_assessors",
    "self_assessment_save",
]
