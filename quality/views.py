"""The auditor's pages: the quality report, exports, read-only records and the audit trail.

Read-only by construction: every view answers GET; the only POSTs are "request an export"
and "verify the audit chain", and neither changes a record (an export job row is the
record of the export itself).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.models import Application, ApplicationState, Round
from core.errors import DomainError, PermissionDeniedError
from review.models import Review

from . import exporters, selectors, services
from .charts import report_charts
from .forms import AuditFilterForm, ExportForm, FilterForm
from .models import ChainVerification, ExportFormat, ExportJob, ExportKind, ExportStatus
from .report import build_report, effective_outcome
from .services import FORMATS, export_request

PAGE_SIZE = 50


def permission(name):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(name):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _filter_form(request, data=None):
    form = FilterForm(data if data is not None else (request.GET or None), user=request.user)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return form, form.filters(), status


def _url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- quality report -----------------------------------------------------------------------


@require_GET
@permission("quality.view_report")
def report(request):
    form, filters, status = _filter_form(request)
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
    form, filters, status = _filter_form(request)
    if status != 200:
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    return JsonResponse(build_report(filters), json_dumps_params={"indent": 2})


# --- exports ------------------------------------------------------------------------------


@require_GET
@permission("quality.request_export")
def export_csv(request, dataset):
    if dataset not in exporters.DATASETS:
        raise Http404
    _form, filters, status = _filter_form(request)
    if status != 200:
        return HttpResponse(_("The filters are not valid."), status=400, content_type="text/plain")
    if filters.allowed_constellations is not None and filters.constellation is None:
        return HttpResponse(
            _("Choose one of the constellations you coordinate."),
            status=400,
            content_type="text/plain",
        )
    pseudonymise = request.GET.get("pseudonymise") in ("1", "on", "true")
    slug = filters.constellation.slug if filters.constellation else "all"
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return exporters.streaming_csv_response(
        dataset, filters, pseudonymise=pseudonymise, filename=f"{dataset}-{slug}-{stamp}.csv"
    )


@require_POST
@permission("quality.request_export")
def export_create(request):
    export = ExportForm(request.POST)
    form, filters, status = _filter_form(request, data=request.POST)
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
    jobs = ExportJob.objects.filter(requested_by=request.user, parent__isnull=True)
    page = _paginate(request, jobs.prefetch_related("attachments"))
    return render(request, "quality/export_list.html", {"page": page, "formats": FORMATS})


@require_GET
@permission("quality.request_export")
def export_detail(request, pk):
    job = _own_job(request, pk)
    return render(
        request,
        "quality/export_detail.html",
        {
            "job": job,
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
        job.file.open("rb"),
        as_attachment=True,
        filename=job.file.name.rsplit("/", 1)[-1],
        content_type=content_types.get(job.format, "application/octet-stream"),
    )


@require_GET
@permission("quality.browse_records")
def application_trail(request, pk):
    application = get_object_or_404(
        Application.objects.select_related(
            "learner", "badge_version__badge__constellation", "decided_by"
        ),
        pk=pk,
    )
    pseudonymise = request.GET.get("pseudonymise") in ("1", "on", "true")
    response = HttpResponse(
        exporters.decision_trail_json(application, pseudonymise=pseudonymise),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="decision-trail-{application.pk}.json"'
    return response


# --- read-only records --------------------------------------------------------------------

LISTS = [
    ("applications", gettext_lazy("Applications")),
    ("rounds", gettext_lazy("Rounds and evidence")),
    ("reviews", gettext_lazy("Reviews and judgements")),
    ("judgements", gettext_lazy("Judgements")),
    ("conflicts", gettext_lazy("Conflict declarations")),
    ("credentials", gettext_lazy("Credentials")),
    ("constellations", gettext_lazy("Constellations")),
    ("badge_versions", gettext_lazy("Badge versions")),
]


@require_GET
@permission("quality.browse_records")
def browse(request):
    return render(
        request,
        "quality/browse.html",
        {"lists": [(name, label, reverse(f"quality:browse_{name}")) for name, label in LISTS]},
    )


def _cell(text, url=None, css=""):
    return {"text": "" if text is None else text, "url": url, "css": css}


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def _state(value, labels=dict(ApplicationState.choices)):  # noqa: B006 - a constant
    return _cell(labels.get(value, value), css=f"state state-{value}")


def _application_rows(page):
    for app in page:
        detail = _url("applications:detail", app.pk)
        yield [
            _cell(f"#{app.pk}", detail),
            _cell(app.badge_version.title),
            _cell(app.learner.display_name),
            _state(app.state),
            _cell(app.round_count),
            _cell(_when(app.first_submitted_at)),
            _cell(_when(app.decided_at)),
            _cell(", ".join(selectors.assessor_names(app.assessor_names))),
            _cell(_("decision trail"), reverse("quality:application_trail", args=[app.pk])),
        ]


def _round_rows(page):
    for r in page:
        yield [
            _cell(
                f"#{r.application_id} / {r.number}", reverse("quality:round_detail", args=[r.pk])
            ),
            _cell(r.application.badge_version.title),
            _cell(r.application.learner.display_name),
            _cell(_when(r.submitted_at)),
            _cell(r.evidence_count),
        ]


def _review_rows(page):
    for review in page:
        app = review.round.application
        yield [
            _cell(f"#{review.pk}", reverse("quality:review_detail", args=[review.pk])),
            _cell(f"#{app.pk} / {review.round.number}"),
            _cell(app.badge_version.title),
            _cell(review.assessor.display_name),
            _cell(_("yes") if review.is_moderation else ""),
            _cell(review.get_recommendation_display() if review.recommendation else "—"),
            _cell(_when(review.submitted_at) if review.is_submitted else _("draft")),
            _cell(review.judgement_count),
        ]


def _judgement_rows(page):
    for j in page:
        review = j.review
        level = j.rubric_level
        yield [
            _cell(f"#{review.round.application_id} / {review.round.number}"),
            _cell(review.assessor.display_name),
            _cell(f"{j.criterion.code} {j.criterion.title}".strip()),
            _cell(effective_outcome(j.outcome, level.is_passing if level else None) or "—"),
            _cell(level.name if level else ""),
        ]


def _conflict_rows(page):
    for c in page:
        yield [
            _cell(c.assessor.display_name),
            _cell(c.learner.display_name if c.learner else ""),
            _cell(c.cohort.name if c.cohort else ""),
            _cell(c.reason),
            _cell(_when(c.declared_at)),
        ]


def _credential_rows(page):
    now = timezone.now()
    for c in page:
        status = exporters.credential_status(c, now)
        yield [
            _cell(f"#{c.pk}"),
            _cell(c.badge_version.title),
            _cell(c.recipient.display_name),
            _cell(_when(c.issued_at)),
            _cell(_when(c.expires_at)),
            _cell(_when(c.revoked_at)),
            _cell(status, css=f"state state-{status}"),
            _cell(f"#{c.application_id}" if c.application_id else "—"),
        ]


def _constellation_rows(page):
    for c in page:
        yield [
            _cell(str(c), reverse("quality:browse_badge_versions") + f"?constellation={c.slug}"),
            _cell(c.slug),
            _cell(c.badge_count),
            _cell(_when(c.last_version)),
        ]


def _badge_version_rows(page):
    for v in page:
        yield [
            _cell(v.badge.constellation.slug),
            _cell(v.badge.slug),
            _cell(v.version),
            _cell(v.title),
            _cell(v.get_status_display(), css=f"state state-{v.status}"),
            _cell(v.eqf_level or "—"),
            _cell(v.ects if v.ects is not None else "—"),
            _cell(v.workload_hours or "—"),
            _cell(v.criteria_count),
        ]


LIST_SPECS = {
    "applications": (
        lambda f: selectors.applications_for_listing(f).order_by("-pk"),
        [
            gettext_lazy("Application"),
            gettext_lazy("Badge"),
            gettext_lazy("Learner"),
            gettext_lazy("State"),
            gettext_lazy("Rounds"),
            gettext_lazy("First submitted"),
            gettext_lazy("Decided"),
            gettext_lazy("Assessors"),
            "",
        ],
        _application_rows,
    ),
    "rounds": (
        selectors.rounds,
        [
            gettext_lazy("Application / round"),
            gettext_lazy("Badge"),
            gettext_lazy("Learner"),
            gettext_lazy("Submitted"),
            gettext_lazy("Evidence items"),
        ],
        _round_rows,
    ),
    "reviews": (
        selectors.reviews_for_listing,
        [
            gettext_lazy("Review"),
            gettext_lazy("Application / round"),
            gettext_lazy("Badge"),
            gettext_lazy("Assessor"),
            gettext_lazy("Moderation"),
            gettext_lazy("Recommendation"),
            gettext_lazy("Submitted"),
            gettext_lazy("Judgements"),
        ],
        _review_rows,
    ),
    "judgements": (
        selectors.judgements_for_listing,
        [
            gettext_lazy("Application / round"),
            gettext_lazy("Assessor"),
            gettext_lazy("Criterion"),
            gettext_lazy("Judgement"),
            gettext_lazy("Rubric level"),
        ],
        _judgement_rows,
    ),
    "conflicts": (
        selectors.conflicts,
        [
            gettext_lazy("Assessor"),
            gettext_lazy("Learner"),
            gettext_lazy("Cohort"),
            gettext_lazy("Reason"),
            gettext_lazy("Declared"),
        ],
        _conflict_rows,
    ),
    "credentials": (
        selectors.credentials_for_listing,
        [
            gettext_lazy("Credential"),
            gettext_lazy("Badge"),
            gettext_lazy("Learner"),
            gettext_lazy("Issued"),
            gettext_lazy("Expires"),
            gettext_lazy("Revoked"),
            gettext_lazy("Status"),
            gettext_lazy("Application"),
        ],
        _credential_rows,
    ),
    "constellations": (
        selectors.constellations,
        [
            gettext_lazy("Constellation"),
            gettext_lazy("Slug"),
            gettext_lazy("Badges"),
            gettext_lazy("Last change"),
        ],
        _constellation_rows,
    ),
    "badge_versions": (
        selectors.badge_versions,
        [
            gettext_lazy("Constellation"),
            gettext_lazy("Badge"),
            gettext_lazy("Version"),
            gettext_lazy("Title"),
            gettext_lazy("Status"),
            gettext_lazy("EQF level"),
            gettext_lazy("ECTS"),
            gettext_lazy("Workload (h)"),
            gettext_lazy("Criteria"),
        ],
        _badge_version_rows,
    ),
}


def browse_list(name):
    @require_GET
    @permission("quality.browse_records")
    def view(request):
        queryset_of, columns, rows_of = LIST_SPECS[name]
        form, filters, status = _filter_form(request)
        page = _paginate(request, queryset_of(filters))
        return render(
            request,
            "quality/browse_list.html",
            {
                "title": dict(LISTS)[name],
                "form": form,
                "columns": [str(c) for c in columns],
                "rows": list(rows_of(page)),
                "page": page,
                "query": _query_without_page(request),
            },
            status=status,
        )

    view.__name__ = f"browse_{name}"
    return view


@require_GET
@permission("quality.browse_records")
def round_detail(request, pk):
    round_obj = get_object_or_404(
        Round.objects.select_related("application__learner", "application__badge_version"), pk=pk
    )
    return render(
        request,
        "quality/round_detail.html",
        {
            "round": round_obj,
            "application_url": _url("applications:detail", round_obj.application_id),
            "evidence": round_obj.evidence.prefetch_related("criteria").order_by(
                "created_at", "id"
            ),
            "reviews": round_obj.reviews.select_related("assessor").order_by("submitted_at", "id"),
        },
    )


@require_GET
@permission("quality.browse_records")
def review_detail(request, pk):
    review = get_object_or_404(
        Review.objects.select_related(
            "assessor", "round__application__learner", "round__application__badge_version"
        ),
        pk=pk,
    )
    judgements = [
        (j, effective_outcome(j.outcome, j.rubric_level.is_passing if j.rubric_level else None))
        for j in review.judgements.select_related("criterion", "rubric_level").prefetch_related(
            "required_changes"
        )
    ]
    return render(
        request, "quality/review_detail.html", {"review": review, "judgements": judgements}
    )


# --- audit trail --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission("quality.view_audit_trail")
def audit_trail(request):
    form = AuditFilterForm(request.GET or None)
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
    return render(
        request,
        "quality/audit_trail.html",
        {
            "form": form,
            "page": _paginate(request, events),
            "chain": chain,
            "actions": actions,
            "object_types": types,
            "query": _query_without_page(request),
        },
        status=status,
    )
