"""Output formats: CSV (streamed), XLSX (openpyxl write-only), JSON.

Rows come from `.iterator(chunk_size=...)` over querysets that already carry every column
(select_related and annotated subqueries), so an export costs the same few queries for ten
rows or a hundred thousand, and memory stays flat.

Every text cell goes through `neutralise`: a value a spreadsheet would read as a formula
(starting with = + - @, tab or carriage return, also after leading spaces) is prefixed
with a single quote. Learner identities can be pseudonymised per export (`pseudonym`).
"""

import csv
import hashlib
import hmac
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils import timezone

from applications.models import Application, ApplicationState
from core.audit import events_for
from review.models import Review

from . import selectors
from .report import effective_outcome

CHUNK_SIZE = 2000
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a text cell inert in spreadsheets: prefix a quote if it could start a formula."""
    if not isinstance(value, str) or not value:
        return value
    if value.lstrip(" \n")[:1] in FORMULA_TRIGGERS or value[:1] in FORMULA_TRIGGERS:
        return "'" + value
    return value


def pseudonym(user_id: int) -> str:
    """A stable, keyed stand-in for a learner: the same person always gets the same code,
    nobody without the secret key can recover the person from it."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"learner:{user_id}".encode(), hashlib.sha256
    ).hexdigest()
    return f"L-{digest[:8]}"


def cell(value):
    """One exported value: dates in local ISO 8601, decimals as text, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    return neutralise(str(value))


@dataclass(frozen=True)
class Dataset:
    name: str
    header: list[str]
    rows: Callable[[selectors.Filters, bool], Iterator[list]]


def _learner(user, pseudonymise: bool) -> tuple[str, str]:
    if pseudonymise:
        return pseudonym(user.pk), ""
    return user.display_name, user.email


def scrub(text: str, user, pseudonymise: bool) -> str:
    """Free text (feedback, reasons, evidence descriptions) with the learner's email, full
    name and each part of the name replaced by their pseudonym, when pseudonymising."""
    if not pseudonymise or not text:
        return text
    terms = {user.email, user.display_name, *user.display_name.split()}
    terms = sorted((t for t in terms if len(t) > 1), key=len, reverse=True)
    if not terms:
        return text
    # Whole words, "_" counting as a separator (as in file names: CV_First_Last.pdf).
    pattern = r"(?<![^\W_])(?:" + "|".join(re.escape(t) for t in terms) + r")(?![^\W_])"
    return re.sub(pattern, pseudonym(user.pk), text, flags=re.IGNORECASE)


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
        learner, email = _learner(app.learner, pseudonymise)
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
        learner, _email = _learner(app.learner, pseudonymise)
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
        learner, email = _learner(credential.recipient, pseudonymise)
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


# --- CSV ----------------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def csv_bytes(header: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    for line in csv_lines(header, rows):
        yield line.encode("utf-8")


def streaming_csv_response(
    dataset: str, filters: selectors.Filters, *, pseudonymise: bool, filename: str
) -> StreamingHttpResponse:
    spec = DATASETS[dataset]
    response = StreamingHttpResponse(
        csv_bytes(spec.header, spec.rows(filters, pseudonymise)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def write_csv(path, dataset: str, filters: selectors.Filters, *, pseudonymise: bool) -> None:
    spec = DATASETS[dataset]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        for line in csv_lines(spec.header, spec.rows(filters, pseudonymise)):
            handle.write(line)


# --- report summary (CSV and XLSX) --------------------------------------------------------

SUMMARY_HEADER = ["section", "figure", "key", "value"]


def summary_rows(report: dict) -> Iterator[list]:
    """Every figure of the report as (section, figure, key, value) rows."""
    for section, figures in report.items():
        if not isinstance(figures, dict):
            yield [cell(section), "", "", cell(figures)]
            continue
        yield from _flatten(section, "", figures)


def _flatten(section: str, prefix: str, value) -> Iterator[list]:
    if isinstance(value, dict):
        for key, inner in value.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(inner, dict | list):
                yield from _flatten(section, name, inner)
            else:
                figure, _dot, last = name.rpartition(".")
                yield [cell(section), cell(figure), cell(last), cell(inner)]
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                label = item.get("badge") or item.get("assessor") or item.get("month") or index
                if "code" in item:
                    label = f"{item.get('badge')}/{item.get('code') or item.get('criterion_id')}"
                yield from _flatten(section, f"{prefix}[{label}]", item)
            else:
                yield [cell(section), cell(prefix), cell(index), cell(item)]


def write_report_csv(path, report: dict) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        for line in csv_lines(SUMMARY_HEADER, summary_rows(report)):
            handle.write(line)


# --- XLSX ---------------------------------------------------------------------------------


def _xlsx_cell(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # heavy: only when writing XLSX

    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def write_xlsx(
    target,
    filters: selectors.Filters,
    *,
    datasets: Iterable[str],
    pseudonymise: bool,
    report: dict | None = None,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write a workbook (write-only mode: rows go straight to disk) to a path or file."""
    from openpyxl import Workbook  # heavy: only when writing XLSX

    workbook = Workbook(write_only=True)
    if report is not None:
        sheet = workbook.create_sheet("summary")
        sheet.append(SUMMARY_HEADER)
        for row in summary_rows(report):
            sheet.append([_xlsx_cell(v) for v in row])
    names = list(datasets)
    for index, name in enumerate(names):
        spec = DATASETS[name]
        sheet = workbook.create_sheet(name)
        sheet.append(spec.header)
        for row in spec.rows(filters, pseudonymise):
            sheet.append([_xlsx_cell(v) for v in row])
        if progress:
            progress(int((index + 1) / len(names) * 90))
    workbook.save(target)


# --- JSON: the decision trail of one application -------------------------------------------


def decision_trail(application: Application, *, pseudonymise: bool = False) -> dict:
    """Everything that led to one decision: rounds with their evidence listing, reviews
    with their judgements, the decision, the credential and the audit events."""
    learner, email = _learner(application.learner, pseudonymise)
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
