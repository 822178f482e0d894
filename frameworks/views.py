"""Coordinator pages for frameworks, constellations and badges, and the learners' catalogue.

Views are thin: they fetch through selectors (outside: 404), check rules permissions
(not allowed: 403), call services, and turn domain errors into messages.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.errors import DomainError, ValidationFailed

from . import selectors, services
from .forms import (
    AlignmentFormSet,
    BadgeCreateForm,
    BadgeVersionForm,
    ConstellationForm,
    ConstellationImportForm,
    CriterionForm,
    JsonUploadForm,
    RubricFormSet,
    alignment_choices,
)
from .images import badge_image_bytes
from .interchange import parse_json_bytes
from .models import BadgeKind, BadgeStatus, Criterion, Framework


def _require(request, permission: str, obj=None) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _deny(request, constellation):
    """Someone who may see the constellation gets 403; anyone else must not learn it exists."""
    if request.user.has_perm("frameworks.view_constellation", constellation):
        raise PermissionDenied
    raise Http404


def _constellation(request, slug: str, permission: str = "frameworks.view_constellation"):
    constellation = get_object_or_404(
        selectors.constellations_visible_to(user=request.user), slug=slug
    )
    if not request.user.has_perm(permission, constellation):
        raise PermissionDenied
    return constellation


def _version(request, pk: int, permission: str | None = None):
    version = get_object_or_404(
        selectors.badge_versions_visible_to(user=request.user).select_related(
            "badge__constellation"
        ),
        pk=pk,
    )
    if permission and not request.user.has_perm(permission, version):
        _deny(request, version.badge.constellation)
    return version


def _json_download(data: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _show_errors(request, error: DomainError) -> None:
    messages.error(request, error.message)


# Frameworks -------------------------------------------------------------------------------


@login_required
@require_safe
def framework_list(request):
    _require(request, "frameworks.view_framework")
    frameworks = selectors.framework_list(user=request.user)
    return render(request, "frameworks/framework_list.html", {"frameworks": frameworks})


@login_required
@require_safe
def framework_detail(request, pk: int):
    _require(request, "frameworks.view_framework")
    framework = selectors.framework_with_content(user=request.user, pk=pk)
    versions = Framework.objects.filter(slug=framework.slug).order_by("-version")
    return render(
        request, "frameworks/framework_detail.html", {"framework": framework, "versions": versions}
    )


@login_required
@require_safe
def framework_export(request, pk: int):
    _require(request, "frameworks.view_framework")
    framework = get_object_or_404(selectors.frameworks_visible_to(user=request.user), pk=pk)
    return _json_download(
        services.framework_export(framework), f"{framework.slug}-v{framework.version}.json"
    )


@login_required
def framework_import(request):
    _require(request, "frameworks.import_framework")
    form = JsonUploadForm(request.POST or None, request.FILES or None)
    problems, status = [], 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = services.framework_import(
                    data=parse_json_bytes(form.data_bytes), actor=request.user
                )
            except ValidationFailed as error:
                messages.error(request, error.message)
                problems = error.details
            else:
                framework = result.framework
                if result.created:
                    messages.success(
                        request,
                        _("Imported %(name)s as version %(version)s.")
                        % {"name": framework.name, "version": framework.version},
                    )
                else:
                    messages.info(
                        request,
                        _(
                            "%(name)s is unchanged (same as version %(version)s); nothing was imported."
                        )
                        % {"name": framework.name, "version": framework.version},
                    )
                return redirect("frameworks:framework_detail", pk=framework.pk)
    return render(
        request,
        "frameworks/import.html",
        {"form": form, "problems": problems, "what": "framework"},
        status=status,
    )


# Constellations ---------------------------------------------------------------------------


@login_required
@require_safe
def constellation_list(request):
    _require(request, "frameworks.view_constellation_list")
    constellations = selectors.constellation_list(user=request.user)
    return render(request, "frameworks/constellation_list.html", {"constellations": constellations})


@login_required
def constellation_create(request):
    _require(request, "frameworks.add_constellation")
    form = ConstellationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            constellation = services.constellation_create(
                actor=request.user,
                slug=data["slug"],
                name=data["name"],
                description=data["description"],
                is_illustrative=data["is_illustrative"],
                assessors=data["assessors"],
                moderators=data["moderators"],
            )
        except ValidationFailed as error:
            for place, problem in error.details:
                form.add_error(place if place in form.fields else None, problem)
        else:
            messages.success(request, _("The constellation was created."))
            return redirect("frameworks:constellation_detail", slug=constellation.slug)
    return render(
        request,
        "frameworks/constellation_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def constellation_edit(request, slug: str):
    constellation = get_object_or_404(
        selectors.constellations_visible_to(user=request.user), slug=slug
    )
    _require(request, "frameworks.change_constellation", constellation)
    form = ConstellationForm(request.POST or None, instance=constellation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.constellation_update(
                actor=request.user,
                constellation=constellation,
                name=data["name"],
                description=data["description"],
                is_illustrative=data["is_illustrative"],
                assessors=data["assessors"],
                moderators=data["moderators"],
                coordinators=data["coordinators"],
            )
        except DomainError as error:
            _show_errors(request, error)
        else:
            messages.success(request, _("The constellation was saved."))
            if request.user.has_perm("frameworks.view_constellation", constellation):
                return redirect("frameworks:constellation_detail", slug=constellation.slug)
            return redirect("frameworks:constellation_list")
    return render(
        request,
        "frameworks/constellation_form.html",
        {"form": form, "constellation": constellation},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_safe
def constellation_detail(request, slug: str):
    constellation = _constellation(request, slug)
    badges = selectors.constellation_badges(constellation=constellation)
    groups = [
        (kind, label, [b for b in badges if b.kind == kind]) for kind, label in BadgeKind.choices
    ]
    return render(
        request,
        "frameworks/constellation_detail.html",
        {
            "constellation": constellation,
            "groups": groups,
            "coordinators": constellation.coordinators.all(),
            "assessors": constellation.assessors.all(),
            "moderators": constellation.moderators.all(),
            "can_change": request.user.has_perm("frameworks.change_constellation", constellation),
        },
    )


@login_required
@require_safe
def constellation_export(request, slug: str):
    constellation = _constellation(request, slug)
    return _json_download(
        services.constellation_export(constellation), f"{constellation.slug}.json"
    )


@login_required
def constellation_import(request):
    _require(request, "frameworks.import_constellation")
    form = ConstellationImportForm(request.POST or None, request.FILES or None)
    problems, status = [], 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                constellation = services.constellation_import(
                    data=parse_json_bytes(form.data_bytes),
                    actor=request.user,
                    publish=form.cleaned_data["publish"],
                )
            except ValidationFailed as error:
                messages.error(request, error.message)
                problems = error.details
            else:
                messages.success(request, _("The constellation was imported."))
                return redirect("frameworks:constellation_detail", slug=constellation.slug)
    return render(
        request,
        "frameworks/import.html",
        {"form": form, "problems": problems, "what": "constellation"},
        status=status,
    )


@login_required
@require_safe
def coverage(request, slug: str):
    constellation = _constellation(request, slug)
    matrix = selectors.coverage_matrix(constellation=constellation)
    return render(
        request, "frameworks/coverage.html", {"constellation": constellation, "matrix": matrix}
    )


# Badges -----------------------------------------------------------------------------------


@login_required
def badge_create(request, slug: str):
    constellation = get_object_or_404(
        selectors.constellations_visible_to(user=request.user), slug=slug
    )
    _require(request, "frameworks.change_constellation", constellation)
    kind = request.POST.get("kind") or request.GET.get("kind")
    kind = kind if kind in BadgeKind.values else None
    initial = {"kind": kind or BadgeKind.MICRO, "review_days": 14, "languages": "en"}
    form = BadgeCreateForm(
        request.POST or None,
        request.FILES or None,
        constellation=constellation,
        kind=kind,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        required = form.cleaned_data.get("required_badges") or []
        try:
            version = services.badge_create(
                actor=request.user,
                constellation=constellation,
                slug=form.cleaned_data["slug"],
                kind=form.cleaned_data["kind"],
                required_badges=required,
                **data,
            )
            if form.cleaned_data.get("image_upload"):
                services.badge_version_update(
                    actor=request.user, version=version, image=form.cleaned_data["image_upload"]
                )
        except ValidationFailed as error:
            for place, problem in error.details or [(None, error.message)]:
                form.add_error(place if place in form.fields else None, problem)
        else:
            messages.success(request, _("The badge was created as a draft."))
            return redirect("frameworks:badge_detail", pk=version.pk)
    return render(
        request,
        "frameworks/badge_form.html",
        {"form": form, "constellation": constellation, "kind": kind},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_safe
def badge_detail(request, pk: int):
    version = selectors.badge_version_detail(user=request.user, pk=pk)
    constellation = version.badge.constellation
    can_change = request.user.has_perm("frameworks.change_badgeversion", version)
    versions = (
        version.badge.versions.order_by("-version")
        if can_change or request.user.has_perm("frameworks.view_constellation", constellation)
        else []
    )
    return render(
        request,
        "frameworks/badge_detail.html",
        {
            "version": version,
            "badge": version.badge,
            "constellation": constellation,
            "versions": versions,
            "can_change": can_change,
            "can_view_constellation": request.user.has_perm(
                "frameworks.view_constellation", constellation
            ),
            "publish_problems": services.badge_publish_problems(version)
            if can_change and version.status == BadgeStatus.DRAFT
            else [],
        },
    )


@login_required
def badge_edit(request, pk: int):
    version = _version(request, pk, "frameworks.change_badgeversion")
    constellation = version.badge.constellation
    if version.status != BadgeStatus.DRAFT:
        messages.info(
            request, _("A published version cannot be changed. Create a new draft version to edit.")
        )
        return redirect("frameworks:badge_detail", pk=version.pk)
    form = BadgeVersionForm(
        request.POST or None, request.FILES or None, instance=version, constellation=constellation
    )
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_fields()
        if "required_badges" in form.fields:
            kwargs["required_badges"] = form.cleaned_data["required_badges"]
        try:
            services.badge_version_update(
                actor=request.user,
                version=version,
                image=form.cleaned_data.get("image_upload"),
                remove_image=form.cleaned_data.get("remove_image", False),
                **kwargs,
            )
        except ValidationFailed as error:
            for place, problem in error.details or [(None, error.message)]:
                form.add_error(place if place in form.fields else None, problem)
        except DomainError as error:
            _show_errors(request, error)
            return redirect("frameworks:badge_detail", pk=version.pk)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("frameworks:badge_detail", pk=version.pk)
    return render(
        request,
        "frameworks/badge_form.html",
        {
            "form": form,
            "constellation": constellation,
            "version": version,
            "kind": version.badge.kind,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def badge_new_draft(request, pk: int):
    version = _version(request, pk, "frameworks.change_badgeversion")
    try:
        draft = services.badge_new_draft(actor=request.user, version=version)
    except DomainError as error:
        _show_errors(request, error)
        return redirect("frameworks:badge_detail", pk=version.pk)
    messages.success(
        request, _("Version %(version)s is the draft to edit.") % {"version": draft.version}
    )
    return redirect("frameworks:badge_edit", pk=draft.pk)


@login_required
@require_POST
def badge_publish(request, pk: int):
    version = _version(request, pk, "frameworks.change_badgeversion")
    try:
        services.badge_publish(actor=request.user, version=version)
    except ValidationFailed as error:
        messages.error(
            request,
            f"{error.message} "
            + "; ".join(f"{place}: {problem}" for place, problem in error.details),
        )
    except DomainError as error:
        _show_errors(request, error)
    else:
        messages.success(
            request, _("Version %(version)s is published.") % {"version": version.version}
        )
    return redirect("frameworks:badge_detail", pk=version.pk)


@login_required
@require_POST
def badge_retire(request, pk: int):
    version = _version(request, pk, "frameworks.change_badgeversion")
    try:
        services.badge_retire(actor=request.user, version=version)
    except DomainError as error:
        _show_errors(request, error)
    else:
        messages.success(
            request, _("Version %(version)s is retired.") % {"version": version.version}
        )
    return redirect("frameworks:badge_detail", pk=version.pk)


@require_safe
def badge_image(request, pk: int):
    """The badge image. Published (and retired) versions are public, as Open Badges require."""
    from .models import BadgeVersion

    version = get_object_or_404(BadgeVersion.objects.select_related("badge"), pk=pk)
    if version.status == BadgeStatus.DRAFT and not request.user.has_perm(
        "frameworks.view_badgeversion", version
    ):
        raise Http404
    data, mime = badge_image_bytes(version)
    response = HttpResponse(data, content_type=mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = (
        "private, max-age=300" if version.status == BadgeStatus.DRAFT else "public, max-age=3600"
    )
    return response


# Criteria ---------------------------------------------------------------------------------


def _criterion_page(request, version, criterion: Criterion | None):
    competences, levels = alignment_choices(criterion)
    post = request.POST if request.method == "POST" else None
    form = CriterionForm(post, instance=criterion or Criterion(badge_version=version))
    rubric_initial = (
        [
            {"name": lv.name, "descriptor": lv.descriptor, "is_passing": lv.is_passing}
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
        form_kwargs={"competences": competences, "levels": levels},
    )
    if request.method == "POST" and form.is_valid() and rubric.is_valid() and alignments.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        levels_data = [
            {
                "name": f.cleaned_data["name"],
                "descriptor": f.cleaned_data["descriptor"],
                "is_passing": f.cleaned_data["is_passing"],
            }
            for f in rubric
            if f.cleaned_data.get("name")
        ]
        pairs = [
            (f.cleaned_data["competence"], f.cleaned_data.get("target_level"))
            for f in alignments
            if f.cleaned_data.get("competence")
        ]
        try:
            from django.db import transaction

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


# Catalogue --------------------------------------------------------------------------------


@login_required
@require_safe
def catalogue(request):
    _require(request, "frameworks.view_catalogue")
    slug = request.GET.get("constellation") or None
    if slug is not None and slugify(slug) != slug:
        slug = None
    versions = list(selectors.catalogue(user=request.user, constellation_slug=slug))
    groups: dict = {}
    for version in versions:
        groups.setdefault(version.badge.constellation, []).append(version)
    return render(
        request, "frameworks/catalogue.html", {"groups": list(groups.items()), "filtered": slug}
    )
