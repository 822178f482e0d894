"""An application's life on the learner's side: start, submit (a new round that freezes the
evidence) and withdraw. Order inside each service: check permission and `can_proceed`,
transition, save, dependent rows, audit event — one `transaction.atomic()` — and side
effects after commit. The assessor's steps live in `review.services`; a submission tells
`review` through the `applications.signals.application_submitted` signal.
"""

import hashlib
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.audit import audit_record
from core.errors import PermissionDeniedError, ValidationFailed, WorkflowError
from core.workflow import lock, now_or, plain_input, require_transition, save_transition
from frameworks.models import BadgeKind, BadgeVersion, Criterion

from ..models import Application, EvidenceItem, EvidenceKind, Round, SelfAssessment
from ..signals import application_submitted


def application_start(*, learner, badge_version: BadgeVersion, when=None) -> Application:
    if not learner.has_perm("applications.start_application"):
        raise PermissionDeniedError(_("Only learners can apply for badges."))
    if not badge_version.is_published or badge_version.badge.kind != BadgeKind.MICRO:
        raise WorkflowError(_("You can only apply for a published micro badge."))
    existing = (
        Application.objects.filter(learner=learner, badge_version=badge_version)
        .exclude(state__in=["withdrawn", "rejected"])
        .first()
    )
    if existing is not None:
        raise WorkflowError(_("You already have an application for this badge."))
    try:
        with transaction.atomic():
            application = Application.objects.create(learner=learner, badge_version=badge_version)
            audit_record(
                actor=learner,
                action="application.started",
                obj=application,
                to_state=application.state,
            )
    except IntegrityError as error:
        raise WorkflowError(_("You already have an application for this badge.")) from error
    return application


def missing_evidence(application: Application) -> list[str]:
    """What is missing before the application can be submitted, one sentence per criterion."""
    criteria = list(
        Criterion.objects.filter(badge_version_id=application.badge_version_id).order_by(
            "order", "id"
        )
    )
    items = EvidenceItem.objects.filter(
        application=application, retired_at__isnull=True
    ).prefetch_related("criteria")
    counts: dict[int, dict[str, int]] = {
        c.pk: dict.fromkeys(EvidenceKind.values, 0) for c in criteria
    }
    for item in items:
        for criterion in item.criteria.all():
            if criterion.pk in counts:
                counts[criterion.pk][item.kind] += 1
    problems = []
    for criterion in criteria:
        have = counts[criterion.pk]
        parts = []
        if criterion.has_evidence_requirement:
            for kind, needed in (
                (EvidenceKind.FILE, criterion.required_files),
                (EvidenceKind.LINK, criterion.required_links),
                (EvidenceKind.REFLECTION, criterion.required_reflections),
            ):
                if have[kind] < needed:
                    parts.append(_missing_evidence_text(kind, needed - have[kind]))
        elif not any(have.values()):
            parts.append(_("at least one piece of evidence"))
        if parts:
            name = f"{criterion.code} {criterion.localized('title')}".strip()
            problems.append(
                _("%(criterion)s: %(missing)s missing")
                % {"criterion": name, "missing": ", ".join(str(p) for p in parts)}
            )
    return problems


def _missing_evidence_text(kind: str, count: int) -> str:
    if kind == EvidenceKind.FILE:
        text = ngettext("%(count)d file", "%(count)d files", count)
    elif kind == EvidenceKind.LINK:
        text = ngettext("%(count)d link", "%(count)d links", count)
    else:
        text = ngettext("%(count)d written reflection", "%(count)d written reflections", count)
    return text % {"count": count}


def needs_two_assessors(application: Application) -> bool:
    """Double assessment for all, or for a deterministic sampled share of applications."""
    version = application.badge_version
    if version.double_assessment == "all":
        return True
    if version.double_assessment == "sampled" and version.sample_percent:
        digest = hashlib.sha256(f"application:{application.pk}".encode()).hexdigest()
        return int(digest, 16) % 100 < version.sample_percent
    return False


def application_submit(*, actor, application: Application, note: str = "", when=None) -> Round:
    """Freeze the working evidence as a new round and hand the application to review."""
    when = now_or(when)
    with transaction.atomic():
        lock(application)
        require_transition(application.submit, actor)
        missing = missing_evidence(application)
        if missing:
            raise ValidationFailed(
                _("The application cannot be submitted yet: %(missing)s.")
                % {"missing": "; ".join(missing)},
                details=missing,
            )
        from_state = application.state
        is_resubmission = application.round_count > 0
        if not is_resubmission:
            application.needs_two_assessors = needs_two_assessors(application)
        due_at = when + timedelta(days=application.badge_version.review_days)
        application.submit(when=when, due_at=due_at)
        save_transition(application)
        round_ = Round.objects.create(
            application=application,
            number=application.round_count,
            submitted_at=when,
            learner_note=plain_input(note, max_length=5000),
        )
        round_.evidence.set(
            EvidenceItem.objects.filter(application=application, retired_at__isnull=True)
        )
        SelfAssessment.objects.bulk_create(
            [
                SelfAssessment(
                    application=application,
                    round=round_,
                    criterion_id=s.criterion_id,
                    status=s.status,
                    rubric_level_id=s.rubric_level_id,
                    comment=s.comment,
                )
                for s in SelfAssessment.objects.filter(application=application, round__isnull=True)
            ]
        )
        audit_record(
            actor=actor,
            action="application.resubmitted" if is_resubmission else "application.submitted",
            obj=application,
            from_state=from_state,
            to_state=application.state,
            round_number=round_.number,
            comment=round_.learner_note,
        )
        application_submitted.send(
            sender=Application,
            application=application,
            round=round_,
            actor=actor,
            is_resubmission=is_resubmission,
        )
    return round_


def application_withdraw(*, actor, application: Application, when=None) -> None:
    when = now_or(when)
    with transaction.atomic():
        lock(application)
        require_transition(application.withdraw, actor)
        from_state = application.state
        application.withdraw(when=when)
        save_transition(application)
        audit_record(
            actor=actor,
            action="application.withdrawn",
            obj=application,
            from_state=from_state,
            to_state=application.state,
            round_number=application.round_count or None,
        )
