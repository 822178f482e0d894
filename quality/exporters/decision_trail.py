"""JSON: the decision trail of one application."""

import json

from applications.models import Application
from core.audit import events_for
from review.models import Review

from ..report import effective_outcome
from .pseudonyms import learner_identity, pseudonym, scrub


def decision_trail(application: Application, *, pseudonymise: bool = False) -> dict:
    """Everything that led to one decision: rounds with their evidence listing, reviews
    with their judgements, the decision, the credential and the audit events."""
    learner, email = learner_identity(application.learner, pseudonymise)
    version = application.badge_version
    rounds = application.rounds.order_by("number").prefetch_related("evidence__criteria")
    reviews = (
        Review.objects.filter(round__application=application)
        .select_related("assessor", "round")
        .prefetch_related("judgements__criterion", "judgements__rubric_level")
        .order_by("round__number", "submitted_at", "id")
    )
    credential = getattr(application, "credential", None)

    def iso(value):
        return value.isoformat() if value else None

    def redact(text):
        return scrub(text, application.learner, pseudonymise)

    return {
        "application": {
            "id": application.pk,
            "constellation": version.badge.constellation.slug,
            "badge": version.badge.slug,
            "badge_version": version.version,
            "badge_title": version.title,
            "learner": learner,
            "learner_email": email,
            "state": application.state,
            "rounds": application.round_count,
            "created_at": iso(application.created_at),
            "first_submitted_at": iso(application.first_submitted_at),
            "submitted_at": iso(application.submitted_at),
            "review_started_at": iso(application.review_started_at),
            "due_at": iso(application.due_at),
            "decided_at": iso(application.decided_at),
            "needs_two_assessors": application.needs_two_assessors,
        },
        "rounds": [
            {
                "number": r.number,
                "submitted_at": iso(r.submitted_at),
                "evidence": [
                    {
                        "id": item.pk,
                        "kind": item.kind,
                        "description": redact(item.description),
                        "file_name": redact(item.original_filename),
                        "url": redact(item.url),
                        "criteria": [c.code or c.title for c in item.criteria.all()],
                    }
                    for item in r.evidence.all()
                ],
            }
            for r in rounds
        ],
        "reviews": [
            {
                "id": review.pk,
                "round": review.round.number,
                "assessor": review.assessor.display_name,
                "moderation": review.is_moderation,
                "submitted": review.is_submitted,
                "submitted_at": iso(review.submitted_at),
                "recommendation": review.recommendation,
                "judgements": [
                    {
                        "criterion": j.criterion.code or j.criterion.title,
                        "outcome": effective_outcome(
                            j.outcome, j.rubric_level.is_passing if j.rubric_level else None
                        ),
                        "rubric_level": j.rubric_level.name if j.rubric_level else "",
                    }
                    for j in review.judgements.all()
                ],
            }
            for review in reviews
        ],
        "decision": {
            "state": application.state,
            "decided_by": application.decided_by.display_name if application.decided_by else "",
            "decided_at": iso(application.decided_at),
            "reason": redact(application.decision_reason),
        },
        "credential": (
            {
                "id": credential.pk,
                "issued_at": iso(credential.issued_at),
                "expires_at": iso(credential.expires_at),
                "revoked_at": iso(credential.revoked_at),
            }
            if credential
            else None
        ),
        "audit_events": [
            {
                "id": event.pk,
                "time": iso(event.created_at),
                "actor": (
                    pseudonym(application.learner_id)
                    if pseudonymise and event.actor_id == application.learner_id
                    else event.actor_label
                ),
                "action": event.action,
                "from_state": event.from_state,
                "to_state": event.to_state,
                "round": event.round_number,
                "hash": event.hash,
            }
            for event in events_for(application).order_by("id")
        ],
    }


def decision_trail_json(application: Application, *, pseudonymise: bool = False) -> str:
    return json.dumps(
        decision_trail(application, pseudonymise=pseudonymise), indent=2, ensure_ascii=False
    )
