"""Background entry points: primary keys in, mail out. Enqueued after commit by services.

Declared with core.background.task: a failed mail (the relay refused or timed out) is sent
again with backoff. One task sends one mail, so a retry never repeats another's message
(delivery is at least once: a worker killed between sending and recording may send twice).
"""

from applications.models import Application, Round
from core.background import task

from . import mail
from .models import Assignment


def _mail_assessor(assignment_id: int, template: str, **context) -> None:
    """One mail to the assessor of an active assignment (none when it ended meanwhile)."""
    assignment = (
        Assignment.objects.select_related(
            "assessor", "application__badge_version", "application__learner"
        )
        .filter(pk=assignment_id, is_active=True)
        .first()
    )
    if assignment is None:
        return
    application = assignment.application
    mail.send_to(
        assignment.assessor,
        template,
        {
            "application": application,
            "badge_title": application.badge_version.localized("title"),
            "url": mail.absolute_url("review:review", pk=application.pk),
            **context,
        },
    )


@task
def notify_assessor_assigned(assignment_id: int) -> None:
    _mail_assessor(assignment_id, "assessor_assigned")


@task
def notify_assessors_resubmitted(application_id: int, round_number: int) -> None:
    """One mail task per assessor: a retry of one never repeats a mail already sent."""
    assignments = Assignment.objects.filter(application_id=application_id, is_active=True)
    for assignment_id in assignments.order_by("pk").values_list("pk", flat=True):
        notify_assessor_resubmitted.enqueue(assignment_id, round_number)


@task
def notify_assessor_resubmitted(assignment_id: int, round_number: int) -> None:
    _mail_assessor(assignment_id, "assessor_resubmitted", round_number=round_number)


@task
def notify_learner_decision(application_id: int, round_number: int) -> None:
    application = Application.objects.select_related("badge_version", "learner").get(
        pk=application_id
    )
    round_ = Round.objects.get(application=application, number=round_number)
    learner = application.learner
    mail.send_to(
        learner,
        f"learner_{round_.decision}",
        {
            "application": application,
            "round_number": round_number,
            "badge_title": application.badge_version.localized("title"),
            "reason": application.decision_reason,
            "url": mail.absolute_url("applications:detail", pk=application.pk),
        },
    )
