"""The learners' catalogue of published badges."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import selectors
from ..forms import CatalogueFilterForm
from ._common import _require


@login_required
@require_safe
def catalogue(request):
    _require(request, "frameworks.view_catalogue")
    form = CatalogueFilterForm(request.GET or None)
    refused = form.is_bound and not form.is_valid()
    slug = None if refused or not form.is_bound else form.cleaned_data["constellation"] or None
    versions = list(selectors.catalogue(user=request.user, constellation_slug=slug))
    groups: dict = {}
    for version in versions:
        groups.setdefault(version.badge.constellation, []).append(version)
    return render(
        request,
        "frameworks/catalogue.html",
        {"groups": list(groups.items()), "filtered": slug, "form": form},
        status=400 if refused else 200,
    )
