"""The three datasets (applications, judgements, credentials): their header and their rows.

Column names are stable identifiers, the same in every language, so that scripts keep
working. A coded value (a state, recommendation, outcome or status) comes twice: the code
(`state`: `changes_requested`) for machines and, in the column after it, its label in the
language of whoever exported (`state_label`: "Changes requested")."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from applications.models import ApplicationState

from .. import selectors
from ..labels import credential_status_label, outcome_label, recommendation_label, state_label
from ..report import effective_outcome
from .cells import cell
from .pseudonyms import learner_identity, scrub

CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Dataset:
    name: str
    header: list[str]
    rows: Callable[[selectors.Filters, bool], Iterator[list]]


# --- applications -------------------------------------------------------------------------

APPLICATION_HEADER = [
    "application_id",
    "constellation",
    "badge",
    "badge_version",
    "badge_title",
    "learner",
    "learner_email",
    "state",
    "state_label",
    "rounds",
    "started",
    "first_submitted",
    "last_submitted",
    "first_review",
    "due",
    "decided",
    "assessors",
    "decision",
    "decision_label",
    "decided_by",
    "decision_reason",
    "credential_id",
]


def application_rows(filters: selectors.Filters, pseudonymise: bool = False) -> Iterator[list]:
    for app in selectors.applications_for_listing(filters).iterator(chunk_size=CHUNK_SIZE):
        version = app.badge_version
        learner, email = learner_identity(app.learner, pseudonymise)
        decided = app.state in (ApplicationState.APPROVED, ApplicationState.REJECTED)
        yield [
            cell(v)
            for v in (
                app.pk,
                version.badge.constellation.slug,
                version.badge.slug,
                version.version,
                version.title,
                learner,
                email,
                app.state,
                state_label(app.state),
                app.round_count,
                app.created_at,
                app.first_submitted_at,
                app.submitted_at,
                app.first_review_at,
                app.due_at,
                app.decided_at,
                "; ".join(selectors.assessor_names(app.assessor_names)),
                app.state if decided else "",
                state_label(app.state) if decided else "",
                app.decided_by.display_name if decided and app.decided_by else "",
                scrub(app.decision_reason, app.learner, pseudonymise) if decided else "",
                app.credential_pk,
            )
        ]


# --- judgements ---------------------------------------------------------------------------

JUDGEMENT_HEADER = [
    "application_id",
    "badge",
    "learner",
    "round",
    "review_id",
    "assessor",
    "moderation",
    "review_submitted",
    "recommendation",
    "recommendation_label",
    "criterion_code",
    "criterion",
    "outcome",
    "outcome_label",
    "rubric_level",
    "feedback",
]


def judgement_rows(filters: selectors.Filters, pseudonymise: bool = False) -> Iterator[list]:
    for judgement in selectors.judgements_for_listing(filters).iterator(chunk_size=CHUNK_SIZE):
        review = judgement.review
        app = review.round.application
        learner, _email = learner_identity(app.learner, pseudonymise)
        level = judgement.rubric_level
        outcome = effective_outcome(judgement.outcome, level.is_passing if level else None)
        yield [
            cell(v)
            for v in (
                app.pk,
                app.badge_version.badge.slug,
                learner,
                review.round.number,
                review.pk,
                review.assessor.display_name,
                review.is_moderation,
                review.submitted_at,
                review.recommendation,
                recommendation_label(review.recommendation) if review.recommendation else "",
                judgement.criterion.code,
                judgement.criterion.title,
                outcome,
                outcome_label(outcome) if outcome else "",
                level.name if level else "",
                scrub(judgement.feedback, app.learner, pseudonymise),
            )
        ]


# --- credentials --------------------------------------------------------------------------

CREDENTIAL_HEADER = [
    "credential_id",
    "constellation",
    "badge",
    "badge_version",
    "badge_title",
    "learner",
    "learner_email",
    "issued",
    "expires",
    "revoked",
    "status",
    "status_label",
    "revocation_reason",
    "application_id",
]


def credential_status(credential, now: datetime) -> str:
    if credential.revoked_at:
        return "revoked"
    if credential.expires_at and credential.expires_at < now:
        return "expired"
    return "valid"


def credential_rows(filters: selectors.Filters, pseudonymise: bool = False) -> Iterator[list]:
    now = timezone.now()
    for credential in selectors.credentials_for_listing(filters).iterator(chunk_size=CHUNK_SIZE):
        version = credential.badge_version
        learner, email = learner_identity(credential.recipient, pseudonymise)
        status = credential_status(credential, now)
        yield [
            cell(v)
            for v in (
                credential.pk,
                version.badge.constellation.slug,
                version.badge.slug,
                version.version,
                version.title,
                learner,
                email,
                credential.issued_at,
                credential.expires_at,
                credential.revoked_at,
                status,
                credential_status_label(status),
                scrub(credential.revocation_reason, credential.recipient, pseudonymise),
                credential.application_id,
            )
        ]


DATASETS = {
    "applications": Dataset("applications", APPLICATION_HEADER, application_rows),
    "judgements": Dataset("judgements", JUDGEMENT_HEADER, judgement_rows),
    "credentials": Dataset("credentials", CREDENTIAL_HEADER, credential_rows),
}
