"""Every write of the review app, by entity: assignments, conflicts of interest, reviews
and decisions (with moderation)."""

from .assignments import (
    assignment_create,
    assignment_end,
    assignments_end_and_replace,
    auto_assign,
    required_assessors,
)
from .conflicts import conflict_declare
from .reviews import (
    JudgementInput,
    can_moderate,
    changes_possible,
    current_round,
    moderation_decide,
    review_save,
    review_start,
)

__all__ = [
    "JudgementInput",
    "assignment_create",
    "assignment_end",
    "assignments_end_and_replace",
    "auto_assign",
    "can_moderate",
    "changes_possible",
    "conflict_declare",
    "current_round",
    "moderation_decide",
    "required_assessors",
    "review_save",
    "review_start",
]
