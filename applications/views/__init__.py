"""Views of applications, by audience: the learner's own (`learner`) and the pages every
role allowed to see an application reads (`pages`)."""

from .learner import (
    evidence_add,
    evidence_edit,
    evidence_remove,
    my_applications,
    self_assessment,
    start,
    submit,
    withdraw,
)
from .pages import detail, evidence_file, round_detail, timeline

__all__ = [
    "detail",
    "evidence_add",
    "evidence_edit",
    "evidence_file",
    "evidence_remove",
    "my_applications",
    "round_detail",
    "self_assessment",
    "start",
    "submit",
    "timeline",
    "withdraw",
]
