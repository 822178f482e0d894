"""The audit trail: the events, filtered, and a fresh verification of the hash chain."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from core.audit_actions import action_label

from .. import selectors, services
from ..forms import AuditFilterForm
from .common import paginate, permission, query_without_page


@require_http_methods(["GET", "POST"])
@permission("quality.view_audit_trail")
def audit_trail(request):
    form = AuditFilterForm(request.GET or None, paginated=True)
    status = 400 if form.is_bound and not form.is_valid() else 200
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = selectors.Filters(date_from=data.get("date_from"), date_to=data.get("date_to"))
    events = selectors.audit_events(
        action=data.get("action", ""),
        object_type=data.get("object_type", ""),
        object_id=data.get("object_id", ""),
        filters=filters,
    )
    chain = None
    if request.method == "POST":
        if not request.user.has_perm("quality.verify_audit_chain"):
            raise PermissionDenied
        chain = services.audit_chain_verify(actor=request.user)
    actions, types = selectors.audit_event_choices()
    page = paginate(form, events)
    for event in page:
        event.action_label = action_label(event.action)
    return render(
        request,
        "quality/audit_trail.html",
        {
            "form": form,
            "page": page,
            "chain": chain,
            "actions": sorted(
                ((code, action_label(code)) for code in actions), key=lambda pair: pair[1]
            ),
            "object_types": types,
            "query": query_without_page(request),
        },
        status=status,
    )
