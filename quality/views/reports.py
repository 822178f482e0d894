"""The quality report: the page and its JSON."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from applications.models import ApplicationState

from ..charts import report_charts
from ..forms import ExportForm
from ..models import ChainVerification, ExportKind
from ..report import build_report
from .common import filter_form, permission


@require_GET
@permission("quality.view_report")
def report(request):
    form, filters, status = filter_form(request)
    # The page shows the latest stored verification of the audit chain (walking the whole
    # history on every view would grow with it); exports and the command verify afresh.
    data = build_report(filters, verify_chain=False)
    context = {
        "form": form,
        "report": data,
        "last_chain_check": ChainVerification.objects.select_related("checked_by").first(),
        "show_verify_button": request.user.has_perm("quality.verify_audit_chain"),
        "charts": report_charts(data),
        "state_labels": dict(ApplicationState.choices),
        "export_form": ExportForm(),
        "query": request.GET.urlencode(),
        "datasets": [
            (ExportKind.APPLICATIONS, ExportKind.APPLICATIONS.label),
            (ExportKind.JUDGEMENTS, ExportKind.JUDGEMENTS.label),
            (ExportKind.CREDENTIALS, ExportKind.CREDENTIALS.label),
        ],
        "filter_fields": [form[name] for name in form.fields],
    }
    return render(request, "quality/report.html", context, status=status)


@require_GET
@permission("quality.view_report")
def report_json(request):
    form, filters, status = filter_form(request)
    if status != 200:
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    return JsonResponse(build_report(filters), json_dumps_params={"indent": 2})
