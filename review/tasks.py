"""Background entry points: primary keys in, mail out. Enqueued after commit by services."""

from django.tasks import task

from applications.models import Application, Round

from . import mail
from .models import Assignment


@task
def notify_assessor_assigned(assignment_id: int) -> None:
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
        "assessor_assigned",
        {
            "application": application,
            "badge_title": application.badge_version.localized("title"),
            "url": mail.absolute_url("review:review", pk=application.pk),
        },
    )


@task
def notify_assessors_resubmitted(application_id: int, round_number: int) -> None:
    application = Application.objects.select_related("badge_version", "learner").get(
        pk=application_id
    )
    for assignment in application.assignments.filter(is_active=True).select_related("assessor"):
        mail.send_to(
            assignment.assessor,
            "assessor_resubmitted",
            {
                "application": application,
                "round_number": round_number,
                "badge_title": application.badge_version.localized("title"),
                "url": mail.absolute_url("review:review", pk=application.pk),
            },
        )


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
