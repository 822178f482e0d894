"""What the page groups share: permission checks, fetching through selectors, downloads."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from core.errors import DomainError

from .. import selectors


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
