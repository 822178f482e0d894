"""What the sections of the report share: the states counted, how a judgement's outcome
is read, months and percentages."""

from datetime import datetime
from typing import overload

from django.utils import timezone

from applications.models import ApplicationState
from review.models import JudgementOutcome

from .. import metrics

STATES = [state.value for state in ApplicationState]
OVERDUE_STATES = (ApplicationState.SUBMITTED, ApplicationState.IN_REVIEW)


@overload
def month_of(value: datetime) -> str: ...
@overload
def month_of(value: datetime | None) -> str | None: ...
def month_of(value: datetime | None) -> str | None:
    return timezone.localtime(value).strftime("%Y-%m") if value else None


def effective_outcome(outcome: str, rubric_passing: bool | None) -> str:
    """A judgement's outcome: the explicit met/not yet, else its rubric level's
    `is_passing` (met / not yet); "" when neither was given."""
    if outcome:
        return outcome
    if rubric_passing is None:
        return ""
    return JudgementOutcome.MET if rubric_passing else JudgementOutcome.NOT_YET


def percent(part: int, whole: int) -> float | None:
    share = metrics.ratio(part, whole)
    return None if share is None else round(share * 100, 1)
