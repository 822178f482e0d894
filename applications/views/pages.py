"""The application pages every role allowed to see them reads: the application with its
state, feedback and timeline, one round with what changed, an evidence file.

Objects are fetched through `selectors.applications_visible_to`: anything outside a
user's visibility is a 404.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core.audit import events_for
from core.audit_actions import action_label
from core.storage import open_for_download

from .. import selectors, services
from ..forms import SubmitForm
from ..models import ApplicationState, EvidenceItem, EvidenceKind

S = ApplicationState


STATE_EXPLANATIONS = {
    S.DRAFT: gettext_lazy(
        "Draft: add your evidence for every criterion, then submit. Nobody else sees it yet "
        "except the coordinators of this badge."
    ),
    S.SUBMITTED: gettext_lazy("Submitted: waiting for an assessor to start the review."),
    S.IN_REVIEW: gettext_lazy("In review: an assessor is reviewing this round of your evidence."),
    S.CHANGES_REQUESTED: gettext_lazy(
        "Changes requested: revise your evidence following the checklist below, then submit again."
    ),
    S.IN_MODERATION: gettext_lazy(
        "In moderation: the two assessors came to different conclusions; a moderator decides."
    ),
    S.APPROVED: gettext_lazy("Approved: the badge is yours. Your credential is issued to you."),
    S.REJECTED: gettext_lazy("Rejected: see the reason and the feedback below."),
    S.WITHDRAWN: gettext_lazy("Withdrawn: this application is closed."),
}


# The same states, told to the assessors, moderators and coordinators who read someone
# else's application (the texts above speak to the learner).
STAFF_STATE_EXPLANATIONS = {
    S.DRAFT: gettext_lazy("Draft: the learner is still adding evidence; nothing is submitted."),
    S.SUBMITTED: gettext_lazy("Submitted: waiting for an assessor to start the review."),
    S.IN_REVIEW: gettext_lazy("In review: the assessors are reviewing this round of evidence."),
    S.CHANGES_REQUESTED: gettext_lazy(
        "Changes requested: the learner is revising the evidence and will submit again."
    ),
    S.IN_MODERATION: gettext_lazy(
        "In moderation: the two assessors came to different conclusions; a moderator decides."
    ),
    S.APPROVED: gettext_lazy("Approved: the credential is issued to the learner."),
    S.REJECTED: gettext_lazy("Rejected: the reason and the feedback are below."),
    S.WITHDRAWN: gettext_lazy("Withdrawn: this application is closed."),
}


EVENT_LABELS = {
    "application.started": gettext_lazy("Application started"),
    "application.submitted": gettext_lazy("Submitted"),
    "application.resubmitted": gettext_lazy("Resubmitted"),
    "application.withdrawn": gettext_lazy("Withdrawn"),
    "application.review_started": gettext_lazy("Review started"),
    "application.changes_requested": gettext_lazy("Changes requested"),
    "application.approved": gettext_lazy("Approved"),
    "application.rejected": gettext_lazy("Rejected"),
    "application.sent_to_moderation": gettext_lazy("Sent to moderation"),
    "evidence.added": gettext_lazy("Evidence added"),
    "evidence.changed": gettext_lazy("Evidence changed"),
    "evidence.removed": gettext_lazy("Evidence removed"),
    "assignment.created": gettext_lazy("Assessor assigned"),
    "assignment.ended": gettext_lazy("Assignment ended"),
    "review.submitted": gettext_lazy("Review submitted"),
    "review.moderated": gettext_lazy("Moderator decided"),
}


def timeline(application):
    events = list(events_for(application))
    for event in events:
        event.label = EVENT_LABELS.get(event.action) or action_label(event.action)
        event.state_label = S(event.to_state).label if event.to_state in S.values else ""
    return events


def visible_application(request, pk):
    return selectors.application_visible_to(user=request.user, pk=pk)


def own_application(request, pk):
    application = visible_application(request, pk)
    if application.learner_id != request.user.pk:
        raise PermissionDenied
    return application


@login_required
@require_safe
def detail(request, pk):
    application = visible_application(request, pk)
    user = request.user
    is_owner = application.learner_id == user.pk
    criteria = selectors.criteria_of(application)
    rounds = selectors.rounds_of(application)
    hide_names = application.badge_version.hide_assessors
    can_moderate = user.has_perm("applications.moderate_application", application)
    latest_decided = next((r for r in reversed(rounds) if r.is_decided), None)
    context = {
        "application": application,
        "version": application.badge_version,
        "criteria": criteria,
        "rounds": rounds,
        "latest_decided": latest_decided,
        "is_owner": is_owner,
        "explanation": (STATE_EXPLANATIONS if is_owner else STAFF_STATE_EXPLANATIONS)[
            application.state
        ],
        "outcome": selectors.outcomes_of([application]).get(application.pk),
        "events": timeline(application),
        "hide_names": hide_names and is_owner,
        "can_review": user.has_perm("applications.review_application", application)
        and application.state in (S.SUBMITTED, S.IN_REVIEW),
        "can_moderate": can_moderate,
        "can_assign": user.has_perm("review.assign", application),
    }
    if is_owner:
        working = selectors.working_evidence(application)
        sa = selectors.working_self_assessments(application)
        context.update(
            {
                "working": selectors.group_by_criterion(criteria, working, sa),
                "editable": application.is_editable_by_learner,
                "missing": services.missing_evidence(application)
                if application.is_editable_by_learner
                else [],
                "submit_form": SubmitForm(),
                "can_withdraw": application.is_open,
            }
        )
    return render(request, "applications/detail.html", context)


@login_required
def evidence_file(request, item_pk):
    """Serve an evidence file as an attachment, only to people who may see the application."""
    item = get_object_or_404(EvidenceItem.objects.only("id", "application_id"), pk=item_pk)
    application = visible_application(request, item.application_id)
    item = EvidenceItem.objects.get(pk=item.pk)
    if item.kind != EvidenceKind.FILE or not item.file:
        raise Http404
    # Assessors see only what a round froze for them; the working set is the learner's.
    if application.learner_id != request.user.pk and not item.rounds.exists():
        raise Http404
    try:
        handle = open_for_download(item.file)
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=item.download_name,
        content_type=item.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def round_detail(request, pk, number):
    """One round as it was submitted, with what changed since the round before it."""
    application = visible_application(request, pk)
    rounds = selectors.rounds_of(application)
    current = next((r for r in rounds if r.number == number), None)
    if current is None:
        raise Http404
    previous = next((r for r in rounds if r.number == number - 1), None)
    criteria = selectors.criteria_of(application)
    rows = selectors.compare_rounds(
        criteria, current, previous, selectors.evidence_lineage(application)
    )
    is_owner = application.learner_id == request.user.pk
    return render(
        request,
        "applications/round_detail.html",
        {
            "application": application,
            "round": current,
            "previous": previous,
            "rows": rows,
            "rounds": rounds,
            "is_owner": is_owner,
            "criteria": criteria,
        },
    )
