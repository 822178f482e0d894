"""Coordinator pages for constellations: list, create, edit, detail, import, export, coverage."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.errors import DomainError, ValidationFailed

from .. import selectors, services
from ..forms import (
    ConstellationForm,
    ConstellationImportForm,
)
from ..interchange import parse_json_bytes
from ..models import BadgeKind
from ._common import _constellation, _json_download, _require, _show_errors


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
