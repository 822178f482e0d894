"""Assessor queue, review screen, moderation, conflicts of interest, coordinator overview."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications import selectors as app_selectors
from applications.models import ASSESSED_STATES, ApplicationState
from applications.selectors import application_visible_to
from core.errors import DomainError, ValidationFailed
from core.http import domain_error_response
from core.params import page_of
from core.roles import Role
from frameworks.models import Badge

from . import selectors, services
from .forms import AssignForm, ConflictForm, OverviewFilterForm, QueueFilterForm, ReviewForm
from .models import Assignment

S = ApplicationState


def _require(user, perm, obj=None):
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _parameters(form) -> tuple[dict, int]:
    """The checked URL parameters (none when refused) and the status to answer with."""
    if form.is_bound and not form.is_valid():
        return {}, 400
    return (form.cleaned_data if form.is_bound else {}), 200


@login_required
def queue(request):
    _require(request.user, "review.view_queue")
    form = QueueFilterForm(request.GET or None, paginated=True)
    data, status = _parameters(form)
    state = data.get("state", "")
    sort = data.get("sort") or "due"
    overdue = data.get("overdue") == "1"
    badge = data.get("badge", "")
    applications = selectors.review_queue_for(
        assessor=request.user, state=state, overdue=overdue, badge=badge, sort=sort
    )
    page = page_of(applications, form, 50)
    now = timezone.now()
    for application in page:
        application.is_overdue = selectors.is_overdue(application, now)
    badges = Badge.objects.filter(
        constellation__in=request.user.assessed_constellations.values("pk")
    ).order_by("slug")
    return render(
        request,
        "review/queue.html",
        {
            "form": form,
            "page": page,
            "state": state,
            "sort": sort,
            "overdue": overdue,
            "badge": badge,
            "badges": badges,
            "states": S.choices,
            "sorts": [
                ("due", _("Due date, soonest first")),
                ("-due", _("Due date, latest first")),
                ("waiting", _("Waiting longest")),
                ("-waiting", _("Most recent")),
                ("badge", _("Badge")),
                ("state", _("State")),
            ],
        },
        status=status,
    )


def _review_context(request, application, *, moderation=False):
    criteria = app_selectors.criteria_of(application)
    rounds = app_selectors.rounds_of(application)
    if not rounds:
        raise PermissionDenied
    current = rounds[-1]
    previous = rounds[-2] if len(rounds) > 1 else None
    rows = app_selectors.compare_rounds(
        criteria, current, previous, app_selectors.evidence_lineage(application)
    )
    all_reviews = selectors.reviews_by_round(application)
    mine = next(
        (r for r in all_reviews.get(current.number, []) if r.assessor_id == request.user.pk), None
    )
    # What was asked last time: the reviews that decided the previous round, as the learner
    # saw them (the moderator's alone if the round was moderated, not the overruled ones).
    previous_reviews = (
        selectors.decisive_reviews(previous, all_reviews.get(previous.number, []))
        if previous
        else []
    )
    # Independence: another assessor's review of this round only once it is decided, or
    # for the moderator.
    others = [
        r
        for r in all_reviews.get(current.number, [])
        if r.is_submitted and r.assessor_id != request.user.pk and not r.is_moderation
    ]
    if not (moderation or current.is_decided):
        others = []
    for row in rows:
        row.previous_judgements = [
            (review, j)
            for review in previous_reviews
            for j in review.judgements.all()
            if j.criterion_id == row.criterion.pk
        ]
        row.other_judgements = [
            (review, j)
            for review in others
            for j in review.judgements.all()
            if j.criterion_id == row.criterion.pk
        ]
    return {
        "application": application,
        "criteria": criteria,
        "round": current,
        "previous": previous,
        "rows": rows,
        "review": mine,
        "others": others,
        "allow_changes": services.changes_possible(application),
    }


def _desk_of(user, *, moderation: bool) -> str:
    """Where a reviewer goes after deciding: a coordinator's moderation ends on their
    overview, an assessor's review on their queue."""
    if user.has_perm("review.coordinate") and (
        moderation or not user.has_perm("review.view_queue")
    ):
        return reverse("review:coordinator_overview")
    if user.has_perm("review.view_queue"):
        return reverse("review:queue")
    return reverse("home")


def _handle_review_post(request, application, form, *, moderation):
    action = request.POST.get("action", "save")
    service = services.moderation_decide if moderation else services.review_save
    data = form.cleaned_data
    try:
        service(
            actor=request.user,
            application=application,
            judgements=form.judgements(),
            overall_feedback=data.get("overall_feedback", ""),
            recommendation=data.get("recommendation", ""),
            reason=data.get("reason", ""),
            submit=action == "submit",
        )
    except ValidationFailed as error:
        form.add_error(None, str(error.message))
        for detail in error.details:
            form.add_error(None, str(detail))
        return None
    except DomainError as error:
        return domain_error_response(
            request, error, reverse("applications:detail", kwargs={"pk": application.pk})
        )
    if action == "submit":
        # Back to the reviewer's own work with what happened, not to the application page,
        # whose words are for the learner.
        application.refresh_from_db(fields=["state"])
        messages.success(
            request,
            _(
                "Your review of “%(badge)s” by %(learner)s was submitted. The application is now: %(state)s."
            )
            % {
                "badge": application.badge_version.title,
                "learner": application.learner,
                "state": application.get_state_display(),
            },
        )
        return redirect(_desk_of(request.user, moderation=moderation))
    messages.success(request, _("Your review was saved as a draft."))
    return redirect(request.path)


@login_required
def review(request, pk):
    application = application_visible_to(user=request.user, pk=pk)
    _require(request.user, "applications.review_application", application)
    if application.state == S.SUBMITTED:
        context = _review_context(request, application)
        return render(request, "review/review.html", {**context, "form": None, "not_started": True})
    if application.state != S.IN_REVIEW:
        messages.info(request, _("This application is not waiting for a review."))
        return redirect("applications:detail", pk=pk)
    context = _review_context(request, application)
    if context["review"] is not None and context["review"].is_submitted:
        messages.info(request, _("You submitted your review of this round."))
        return redirect("applications:detail", pk=pk)
    return _review_form_page(request, application, context, moderation=False)


@login_required
@require_POST
def start(request, pk):
    application = application_visible_to(user=request.user, pk=pk)
    _require(request.user, "applications.review_application", application)
    try:
        services.review_start(actor=request.user, application=application)
    except DomainError as error:
        return domain_error_response(
            request, error, reverse("applications:detail", kwargs={"pk": pk})
        )
    return redirect("review:review", pk=pk)


@login_required
def moderate(request, pk):
    application = application_visible_to(user=request.user, pk=pk)
    _require(request.user, "applications.moderate_application", application)
    context = _review_context(request, application, moderation=True)
    return _review_form_page(request, application, context, moderation=True)


def _review_form_page(request, application, context, *, moderation: bool):
    """The review (or moderation) form: a valid POST is handled, otherwise the page with the
    form again (400 after an invalid POST)."""
    form = ReviewForm(
        request.POST or None,
        criteria=context["criteria"],
        review=context["review"],
        allow_changes=context["allow_changes"],
    )
    if request.method == "POST" and form.is_valid():
        response = _handle_review_post(request, application, form, moderation=moderation)
        if response is not None:
            return response
    status = 400 if request.method == "POST" else 200
    extra = {"moderation": True} if moderation else {}
    return render(request, "review/review.html", {**context, "form": form, **extra}, status=status)


@login_required
def conflicts(request):
    _require(request.user, "review.declare_conflict")
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.conflict_declare(
                assessor=request.user,
                learner=data.get("learner"),
                cohort=data.get("cohort"),
                reason=data.get("reason", ""),
            )
        except ValidationFailed as error:
            form.add_error(None, str(error.message))
        except DomainError as error:
            return domain_error_response(request, error, reverse("review:conflicts"))
        else:
            messages.success(request, _("Your conflict of interest was recorded."))
            return redirect("review:conflicts")
    return render(
        request,
        "review/conflicts.html",
        {"form": form, "conflicts": selectors.conflicts_of(assessor=request.user)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def coordinator_overview(request):
    _require(request.user, "review.coordinate")
    form = OverviewFilterForm(request.GET or None, paginated=True)
    data, status = _parameters(form)
    state = data.get("state", "")
    unassigned = data.get("unassigned") == "1"
    badge = data.get("badge", "")
    applications = selectors.coordinator_applications(
        coordinator=request.user, state=state, unassigned=unassigned, badge=badge
    )
    page = page_of(applications, form, 50)
    now = timezone.now()
    for application in page:
        application.is_overdue = selectors.is_overdue(application, now)
    workload = list(selectors.assessor_workload(coordinator=request.user))
    badges = Badge.objects.filter(
        constellation__in=selectors.constellations_coordinated_by(request.user).values("pk")
    ).order_by("slug")
    return render(
        request,
        "review/coordinator_overview.html",
        {
            "form": form,
            "page": page,
            "workload": workload,
            "state": state,
            "unassigned": unassigned,
            "badge": badge,
            "badges": badges,
            "states": S.choices,
            "assign_states": ASSESSED_STATES,
        },
        status=status,
    )


@login_required
@require_POST
def assign(request, pk):
    application = application_visible_to(user=request.user, pk=pk)
    _require(request.user, "review.assign", application)
    User = get_user_model()
    form = AssignForm(
        request.POST,
        assessors=User.objects.filter(groups__name=Role.ASSESSOR),
    )
    back = request.POST.get("next")
    if not _safe(back):
        back = reverse("review:coordinator_overview")
    if not form.is_valid():
        messages.error(request, _("Choose an assessor."))
        return redirect(back)
    try:
        services.assignment_create(
            actor=request.user, application=application, assessor=form.cleaned_data["assessor"]
        )
    except DomainError as error:
        return domain_error_response(request, error, back)
    messages.success(
        request,
        _("%(name)s was assigned.") % {"name": form.cleaned_data["assessor"]},
    )
    return redirect(back)


@login_required
@require_POST
def unassign(request, assignment_pk):
    assignment = get_object_or_404(
        Assignment.objects.select_related("assessor"), pk=assignment_pk, is_active=True
    )
    application = application_visible_to(user=request.user, pk=assignment.application_id)
    _require(request.user, "review.assign", application)
    assignment.application = application
    try:
        services.assignment_end(actor=request.user, assignment=assignment, reason=_("Reassigned"))
    except DomainError as error:
        return domain_error_response(request, error, reverse("review:coordinator_overview"))
    messages.success(request, _("%(name)s is no longer assigned.") % {"name": assignment.assessor})
    return redirect(
        request.POST.get("next")
        if _safe(request.POST.get("next"))
        else "review:coordinator_overview"
    )


def _safe(url):
    return bool(url) and url.startswith("/") and not url.startswith("//") and "\\" not in url
