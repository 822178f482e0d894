"""Coordinator pages for badges and their versions, and the (public) badge image."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.errors import DomainError, ValidationFailed
from core.svg import SVG_HEADERS

from .. import selectors, services
from ..forms import (
    BadgeCreateForm,
    BadgeVersionForm,
)
from ..images import badge_image_bytes
from ..models import BadgeKind, BadgeStatus, BadgeVersion
from ._common import _require, _show_errors, _version


@login_required
def badge_create(request, slug: str):
    constellation = get_object_or_404(
        selectors.constellations_visible_to(user=request.user), slug=slug
    )
    _require(request, "frameworks.change_constellation", constellation)
    kind = request.POST.get("kind") or request.GET.get("kind")
    kind = kind if kind in BadgeKind.values else BadgeKind.MICRO
    initial = {"kind": kind, "review_days": 14, "languages": "en"}
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
        {"form": form, "constellation": constellation, "kind": kind, "kinds": BadgeKind.choices},
        status=400 if request.method == "POST" else 200,
    )


# Publishing problems that are not about one field of the draft form: where to fix them.
_PROBLEM_ANCHORS = {"workload": "ects"}


def _publish_blockers(version: BadgeVersion, problems) -> list[dict]:
    """Each publishing problem with the human name of what it is about and a link to the
    place that fixes it (the field in the draft form, or the criterion)."""
    edit = reverse("frameworks:badge_edit", args=[version.pk])
    criteria = {
        services.criterion_place(number, criterion): criterion
        for number, criterion in enumerate(version.criteria.all(), start=1)
    }
    rows = []
    for place, problem in problems:
        if place in criteria:
            label = capfirst(place)
            url = reverse("frameworks:criterion_edit", args=[criteria[place].pk])
        elif place == "criteria":
            label = _("Criteria")
            url = reverse("frameworks:criterion_create", args=[version.pk])
        elif place == "workload":
            label, url = _("Workload"), f"{edit}#id_{_PROBLEM_ANCHORS[place]}"
        else:
            try:
                label = capfirst(BadgeVersion._meta.get_field(place).verbose_name)
            except FieldDoesNotExist:
                label, url = capfirst(place), ""
            else:
                url = f"{edit}#id_{place}"
        rows.append({"label": label, "problem": problem, "url": url})
    return rows


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
            "publish_problems": _publish_blockers(version, services.badge_publish_problems(version))
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
            + "; ".join(
                f"{row['label']}: {row['problem']}"
                for row in _publish_blockers(version, error.details)
            ),
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
    version = get_object_or_404(BadgeVersion.objects.select_related("badge"), pk=pk)
    if version.status == BadgeStatus.DRAFT and not request.user.has_perm(
        "frameworks.view_badgeversion", version
    ):
        raise Http404
    data, mime = badge_image_bytes(version)
    response = HttpResponse(data, content_type=mime, headers=SVG_HEADERS)
    response["Cache-Control"] = (
        "private, max-age=300" if version.status == BadgeStatus.DRAFT else "public, max-age=3600"
    )
    return response
