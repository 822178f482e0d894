"""The learner's side of an application, and the application page every role sees.

Objects are fetched through `selectors.applications_visible_to`: anything outside a
user's visibility is a 404. Actions check the rules, call a service, and turn domain errors
into a message and a redirect (409 for a lost race when the client is not a browser).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from core.audit import events_for
from core.errors import DomainError, ValidationFailed
from core.http import domain_error_response
from frameworks.models import BadgeKind, BadgeStatus, BadgeVersion, Criterion

from . import selectors, services
from .forms import EvidenceForm, SelfAssessmentForm, SubmitForm
from .models import ApplicationState, EvidenceItem, EvidenceKind

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
        event.label = EVENT_LABELS.get(event.action, event.action)
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
def my_applications(request):
    if not request.user.has_perm("applications.start_application"):
        raise PermissionDenied
    applications = list(selectors.applications_of_learner(learner=request.user))
    applied = {a.badge_version_id for a in applications if a.state not in ("withdrawn", "rejected")}
    available = (
        BadgeVersion.objects.filter(status=BadgeStatus.PUBLISHED, badge__kind=BadgeKind.MICRO)
        .exclude(pk__in=applied)
        .select_related("badge__constellation")
        .order_by("badge__constellation__name", "badge__order", "title")
    )
    return render(
        request,
        "applications/my_applications.html",
        {"applications": applications, "available": available},
    )


@login_required
def start(request, version_id):
    if not request.user.has_perm("applications.start_application"):
        raise PermissionDenied
    version = get_object_or_404(
        BadgeVersion.objects.select_related("badge__constellation"),
        pk=version_id,
        status=BadgeStatus.PUBLISHED,
        badge__kind=BadgeKind.MICRO,
    )
    if request.method == "POST":
        try:
            application = services.application_start(learner=request.user, badge_version=version)
        except DomainError as error:
            return domain_error_response(request, error, "applications:my_applications")
        messages.success(request, _("Your application was started. Add your evidence."))
        return redirect("applications:detail", pk=application.pk)
    criteria = Criterion.objects.filter(badge_version=version).order_by("order", "id")
    return render(request, "applications/start.html", {"version": version, "criteria": criteria})


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
        "explanation": STATE_EXPLANATIONS[application.state],
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


def _criteria_queryset(application):
    return Criterion.objects.filter(badge_version_id=application.badge_version_id).order_by(
        "order", "id"
    )


def _initial_criterion(request):
    criterion = request.GET.get("criterion", "")
    # isascii: str.isdigit() also accepts digits such as "²" that int() refuses.
    wanted = criterion.isascii() and criterion.isdigit() and len(criterion) < 12
    return {"criteria": [int(criterion)]} if wanted else None


@login_required
def evidence_add(request, pk):
    application = own_application(request, pk)
    if not application.is_editable_by_learner:
        messages.error(
            request,
            _(
                "Evidence can only be changed while the application is a draft or changes were requested."
            ),
        )
        return redirect("applications:detail", pk=pk)
    kind = request.GET.get("kind", "")
    kind = kind if kind in EvidenceKind.values else None
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        criteria_queryset=_criteria_queryset(application),
        initial=_initial_criterion(request),
        kind=kind,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.evidence_add(
                actor=request.user,
                application=application,
                kind=data["kind"],
                description=data["description"],
                criteria=list(data["criteria"]),
                upload=data.get("file"),
                url=data.get("url") or "",
                text=data.get("text") or "",
                is_public=data.get("is_public", False),
            )
        except ValidationFailed as error:
            form.add_error(None, str(error.message))
        except DomainError as error:
            return domain_error_response(request, error, application_url(application))
        else:
            messages.success(request, _("The evidence was added."))
            return redirect("applications:detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "applications/evidence_form.html",
        {"application": application, "form": form, "item": None, "kind": kind},
        status=status,
    )


def application_url(application):
    return reverse("applications:detail", kwargs={"pk": application.pk})


def _own_item(request, pk, item_pk):
    application = own_application(request, pk)
    item = get_object_or_404(
        EvidenceItem.objects.prefetch_related("criteria"),
        pk=item_pk,
        application=application,
        retired_at__isnull=True,
    )
    item.application = application
    return application, item


@login_required
def evidence_edit(request, pk, item_pk):
    application, item = _own_item(request, pk, item_pk)
    if not application.is_editable_by_learner:
        messages.error(
            request,
            _(
                "Evidence can only be changed while the application is a draft or changes were requested."
            ),
        )
        return redirect("applications:detail", pk=pk)
    initial = {
        "description": item.description,
        "criteria": [c.pk for c in item.criteria.all()],
        "url": item.url,
        "text": item.text,
        "is_public": item.is_public,
    }
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        criteria_queryset=_criteria_queryset(application),
        item=item,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.evidence_update(
                actor=request.user,
                item=item,
                description=data["description"],
                criteria=list(data["criteria"]),
                upload=data.get("file"),
                url=data.get("url") if item.kind == EvidenceKind.LINK else None,
                text=data.get("text") if item.kind == EvidenceKind.REFLECTION else None,
                is_public=data.get("is_public", False),
            )
        except ValidationFailed as error:
            form.add_error(None, str(error.message))
        except DomainError as error:
            return domain_error_response(request, error, application_url(application))
        else:
            messages.success(request, _("The evidence was changed."))
            return redirect("applications:detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "applications/evidence_form.html",
        {"application": application, "form": form, "item": item},
        status=status,
    )


@login_required
@require_POST
def evidence_remove(request, pk, item_pk):
    application, item = _own_item(request, pk, item_pk)
    try:
        services.evidence_remove(actor=request.user, item=item)
    except DomainError as error:
        return domain_error_response(request, error, application_url(application))
    messages.success(request, _("The evidence was removed."))
    return redirect("applications:detail", pk=pk)


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
        handle = item.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=item.original_filename or "evidence",
        content_type=item.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def self_assessment(request, pk):
    application = own_application(request, pk)
    if not application.is_editable_by_learner:
        messages.error(
            request,
            _(
                "The self-assessment can only be changed while the application is a draft or changes were requested."
            ),
        )
        return redirect("applications:detail", pk=pk)
    criteria = selectors.criteria_of(application)
    form = SelfAssessmentForm(
        request.POST or None,
        criteria=criteria,
        current=selectors.working_self_assessments(application),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.self_assessment_save(
                actor=request.user, application=application, entries=form.entries()
            )
        except ValidationFailed as error:
            form.add_error(None, str(error.message))
        except DomainError as error:
            return domain_error_response(request, error, application_url(application))
        else:
            messages.success(request, _("Your self-assessment was saved."))
            return redirect("applications:detail", pk=pk)
    return render(
        request,
        "applications/self_assessment.html",
        {"application": application, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def submit(request, pk):
    application = own_application(request, pk)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        # Never submit without the note the learner wrote.
        messages.error(
            request,
            _(
                "The note to the assessor can be at most 5000 characters long; nothing was submitted."
            ),
        )
        return redirect("applications:detail", pk=pk)
    note = form.cleaned_data["note"]
    try:
        round_ = services.application_submit(actor=request.user, application=application, note=note)
    except DomainError as error:
        return domain_error_response(request, error, application_url(application))
    messages.success(
        request, _("Round %(number)s was submitted for review.") % {"number": round_.number}
    )
    return redirect("applications:detail", pk=pk)


@login_required
@require_POST
def withdraw(request, pk):
    application = own_application(request, pk)
    try:
        services.application_withdraw(actor=request.user, application=application)
    except DomainError as error:
        return domain_error_response(request, error, application_url(application))
    messages.success(request, _("Your application was withdrawn."))
    return redirect("applications:detail", pk=pk)


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
