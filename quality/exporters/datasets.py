"""The three datasets (applications, judgements, credentials): their header and their rows."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from applications.models import ApplicationState

from .. import selectors
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
    "rounds",
    "started",
    "first_submitted",
    "last_submitted",
    "first_review",
    "due",
    "decided",
    "assessors",
    "decision",
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
                app.round_count,
                app.created_at,
                app.first_submitted_at,
                app.submitted_at,
                app.first_review_at,
                app.due_at,
                app.decided_at,
                "; ".join(selectors.assessor_names(app.assessor_names)),
                app.state if decided else "",
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
    "criterion_code",
    "criterion",
    "outcome",
    "rubric_level",
    "feedback",
]


def judgement_rows(filters: selectors.Filters, pseudonymise: bool = False) -> Iterator[list]:
    for judgement in selectors.judgements_for_listing(filters).iterator(chunk_size=CHUNK_SIZE):
        review = judgement.review
        app = review.round.application
        learner, _email = learner_identity(app.learner, pseudonymise)
        level = judgement.rubric_level
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
                judgement.criterion.code,
                judgement.criterion.title,
                effective_outcome(judgement.outcome, level.is_passing if level else None),
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
                credential_status(credential, now),
                scrub(credential.revocation_reason, credential.recipient, pseudonymise),
                credential.application_id,
            )
        ]


DATASETS = {
    "applications": Dataset("applications", APPLICATION_HEADER, application_rows),
    "judgements": Dataset("judgements", JUDGEMENT_HEADER, judgement_rows),
    "credentials": Dataset("credentials", CREDENTIAL_HEADER, credential_rows),
}
