"""The learners' catalogue of published badges."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from .. import selectors
from ._common import _require


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
