"""Coordinator pages for a draft micro badge's criteria, rubrics and alignments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError, ValidationFailed

from .. import selectors, services
from ..forms import (
    AlignmentFormSet,
    CriterionForm,
    RubricFormSet,
    alignment_choices,
    grouped_alignment_choices,
)
from ..interchange.fields import RUBRIC_LEVEL_FORM_FIELDS
from ..models import BadgeKind, BadgeStatus, Criterion
from ._common import _deny, _show_errors, _version


def _criterion_page(request, version, criterion: Criterion | None):
    competences, levels = alignment_choices(criterion)
    post = request.POST if request.method == "POST" else None
    form = CriterionForm(post, instance=criterion or Criterion(badge_version=version))
    rubric_initial = (
        [
            {name: getattr(lv, name) for name in RUBRIC_LEVEL_FORM_FIELDS}
            for lv in criterion.rubric_levels.all()
        ]
        if criterion
        else []
    )
    alignment_initial = (
        [
            {"competence": a.competence, "target_level": a.target_level}
            for a in criterion.alignments.all()
        ]
        if criterion
        else []
    )
    rubric_initial += [{}] * max(0, 4 - len(rubric_initial))
    alignment_initial += [{}] * max(0, 3 - len(alignment_initial)) + [{}]
    rubric = RubricFormSet(post, prefix="rubric", initial=rubric_initial)
    alignments = AlignmentFormSet(
        post,
        prefix="alignments",
        initial=alignment_initial,
        form_kwargs={
            "competences": competences,
            "levels": levels,
            "grouped": grouped_alignment_choices(competences, levels),
        },
    )
    if request.method == "POST" and form.is_valid() and rubric.is_valid() and alignments.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        levels_data = [
            {name: f.cleaned_data[name] for name in RUBRIC_LEVEL_FORM_FIELDS}
            for f in rubric
            if f.cleaned_data.get("name")
        ]
        pairs = [
            (f.cleaned_data["competence"], f.cleaned_data.get("target_level"))
            for f in alignments
            if f.cleaned_data.get("competence")
        ]
        try:
            with transaction.atomic():
                if criterion is None:
                    criterion = services.criterion_create(
                        actor=request.user, version=version, **fields
                    )
                else:
                    criterion = services.criterion_update(
                        actor=request.user, criterion=criterion, **fields
                    )
                services.criterion_set_rubric(
                    actor=request.user, criterion=criterion, levels=levels_data
                )
                services.criterion_set_alignments(
                    actor=request.user, criterion=criterion, alignments=pairs
                )
        except ValidationFailed as error:
            for place, problem in error.details or [(None, error.message)]:
                form.add_error(None, f"{place}: {problem}")
        except DomainError as error:
            _show_errors(request, error)
            return redirect("frameworks:badge_detail", pk=version.pk)
        else:
            messages.success(request, _("The criterion was saved."))
            return redirect("frameworks:badge_detail", pk=version.pk)
    return render(
        request,
        "frameworks/criterion_form.html",
        {
            "form": form,
            "rubric": rubric,
            "alignments": alignments,
            "version": version,
            "criterion": criterion,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def criterion_create(request, pk: int):
    version = _version(request, pk, "frameworks.change_badgeversion")
    if version.status != BadgeStatus.DRAFT or version.badge.kind != BadgeKind.MICRO:
        messages.error(request, _("Criteria can only be added to a draft micro badge."))
        return redirect("frameworks:badge_detail", pk=version.pk)
    return _criterion_page(request, version, None)


def _criterion(request, pk: int) -> Criterion:
    criterion = get_object_or_404(
        Criterion.objects.select_related("badge_version__badge__constellation").filter(
            badge_version__in=selectors.badge_versions_visible_to(user=request.user)
        ),
        pk=pk,
    )
    if not request.user.has_perm("frameworks.change_badgeversion", criterion.badge_version):
        _deny(request, criterion.badge_version.badge.constellation)
    return criterion


@login_required
def criterion_edit(request, pk: int):
    criterion = _criterion(request, pk)
    version = criterion.badge_version
    if version.status != BadgeStatus.DRAFT:
        messages.error(
            request, _("A published version cannot be changed. Create a new draft version to edit.")
        )
        return redirect("frameworks:badge_detail", pk=version.pk)
    return _criterion_page(request, version, criterion)


@login_required
@require_POST
def criterion_delete(request, pk: int):
    criterion = _criterion(request, pk)
    version = criterion.badge_version
    try:
        services.criterion_delete(actor=request.user, criterion=criterion)
    except DomainError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("The criterion was deleted."))
    return redirect("frameworks:badge_detail", pk=version.pk)
