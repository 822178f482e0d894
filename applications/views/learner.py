"""The learner's side of an application: their list, starting, evidence, self-assessment,
submitting and withdrawing. Actions check the rules, call a service, and turn domain errors
into a message and a redirect (409 for a lost race when the client is not a browser).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError, ValidationFailed
from core.http import domain_error_response
from frameworks.models import BadgeKind, BadgeStatus, BadgeVersion, Criterion

from .. import selectors, services
from ..forms import EvidenceForm, SelfAssessmentForm, SubmitForm
from ..models import EvidenceItem, EvidenceKind
from .pages import own_application


@login_required
def my_applications(request):
    if not request.user.has_perm("applications.start_application"):
        raise PermissionDenied
    applications = list(selectors.applications_of_learner(learner=request.user))
    outcomes = selectors.outcomes_of(applications)
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
        {
            "applications": applications,
            "rows": [(a, outcomes.get(a.pk)) for a in applications],
            "available": available,
        },
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
    refused = _refuse_if_not_editable(request, application)
    if refused is not None:
        return refused
    kind = request.GET.get("kind", "")
    kind = kind if kind in EvidenceKind.values else None
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        criteria_queryset=_criteria_queryset(application),
        initial=_initial_criterion(request),
        kind=kind,
    )

    def save(data):
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

    return _evidence_form_page(
        request,
        application,
        form,
        save,
        done=_("The evidence was added."),
        context={"item": None, "kind": kind},
    )


def _refuse_if_not_editable(request, application):
    """A message and the application page when its evidence can no longer change."""
    if application.is_editable_by_learner:
        return None
    messages.error(
        request,
        _(
            "Evidence can only be changed while the application is a draft or changes were requested."
        ),
    )
    return redirect("applications:detail", pk=application.pk)


def _evidence_form_page(request, application, form, save, *, done: str, context: dict):
    """The evidence form: on a valid POST, `save(cleaned_data)` and back to the application
    (a refusal of the input shows on the form, any other refusal as a message); otherwise
    the form (400 after an invalid POST)."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationFailed as error:
            form.add_error(None, str(error.message))
        except DomainError as error:
            return domain_error_response(request, error, application_url(application))
        else:
            messages.success(request, done)
            return redirect("applications:detail", pk=application.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "applications/evidence_form.html",
        {"application": application, "form": form, **context},
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
    refused = _refuse_if_not_editable(request, application)
    if refused is not None:
        return refused
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

    def save(data):
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

    return _evidence_form_page(
        request,
        application,
        form,
        save,
        done=_("The evidence was changed."),
        context={"item": item},
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
