"""Exports: a dataset streamed as CSV, export jobs (request, list, progress, download)."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import DomainError, PermissionDeniedError
from core.params import PageForm
from core.storage import open_for_download

from .. import exporters
from ..forms import ExportForm
from ..labels import export_filename
from ..models import ExportFormat, ExportJob, ExportStatus
from ..report import scope_of
from ..selectors import Filters
from ..services import FORMATS, export_request
from .common import filter_form, paginate, permission


@require_GET
@permission("quality.request_export")
def export_csv(request, dataset):
    if dataset not in exporters.DATASETS:
        raise Http404
    form, filters, status = filter_form(request)
    if status != 200:
        return HttpResponse(
            "{}\n{}".format(_("The filters are not valid."), form.error_text()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    if filters.allowed_constellations is not None and filters.constellation is None:
        return HttpResponse(
            _("Choose one of the constellations you coordinate."),
            status=400,
            content_type="text/plain",
        )
    pseudonymise = request.GET.get("pseudonymise") in ("1", "on", "true")
    filename = export_filename(dataset, "csv", filters.as_parameters(), on=timezone.localdate())
    return exporters.streaming_csv_response(
        dataset, filters, pseudonymise=pseudonymise, filename=filename
    )


@require_POST
@permission("quality.request_export")
def export_create(request):
    export = ExportForm(request.POST)
    form, filters, status = filter_form(request, data=request.POST)
    if not export.is_valid() or status != 200:
        messages.error(request, _("The export request is not valid."))
        return render(
            request,
            "quality/export_invalid.html",
            {"form": form, "export_form": export},
            status=400,
        )
    try:
        job = export_request(
            user=request.user,
            kind=export.cleaned_data["kind"],
            fmt=export.cleaned_data["format"],
            filters=filters,
            pseudonymise=export.cleaned_data["pseudonymise"],
        )
    except DomainError as error:
        messages.error(request, error.message)
        return render(
            request,
            "quality/export_invalid.html",
            {"form": form, "export_form": export},
            status=403 if isinstance(error, PermissionDeniedError) else 400,
        )
    return redirect("quality:export_detail", pk=job.pk)


def _own_job(request, pk) -> ExportJob:
    job = get_object_or_404(ExportJob.objects.select_related("requested_by"), pk=pk)
    if not request.user.has_perm("quality.download_export", job):
        raise Http404
    return job


@require_GET
@permission("quality.request_export")
def export_list(request):
    form = PageForm(request.GET or None)
    jobs = ExportJob.objects.filter(requested_by=request.user, parent__isnull=True)
    page = paginate(form, jobs.prefetch_related("attachments"))
    return render(
        request,
        "quality/export_list.html",
        {"page": page, "formats": FORMATS, "form": form},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_GET
@permission("quality.request_export")
def export_detail(request, pk):
    job = _own_job(request, pk)
    parameters = {k: v for k, v in job.parameters.items() if k != "pseudonymise"}
    return render(
        request,
        "quality/export_detail.html",
        {
            "job": job,
            "scope": scope_of(Filters.from_parameters(parameters)),
            "attachments": job.attachments.order_by("id"),
            "refresh": not job.is_finished,
        },
    )


@require_GET
@permission("quality.request_export")
def export_download(request, pk):
    job = _own_job(request, pk)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404
    content_types = {
        ExportFormat.CSV: "text/csv; charset=utf-8",
        ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ExportFormat.PDF: "application/pdf",
        ExportFormat.JSON: "application/json",
    }
    return FileResponse(
        open_for_download(job.file),
        as_attachment=True,
        filename=job.download_name,
        content_type=content_types.get(job.format, "application/octet-stream"),
    )
