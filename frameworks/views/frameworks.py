"""Coordinator pages for competence frameworks: list, detail, import, export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.errors import ValidationFailed

from .. import selectors, services
from ..forms import (
    JsonUploadForm,
)
from ..interchange import parse_json_bytes
from ..models import Framework
from ._common import _json_download, _require


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
        request,
        "frameworks/framework_detail.html",
        {
            "framework": framework,
            "versions": versions,
            "can_translate": request.user.has_perm("frameworks.change_framework", framework),
        },
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
        {
            "form": form,
            "problems": problems,
            "what": "framework",
            # An installed framework, offered as an example file of the format.
            "example": selectors.latest_frameworks().order_by("name").first(),
        },
        status=status,
    )
