"""The read-only records: lists of every kind of record, a round, a review, and the
decision trail of an application (JSON)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from applications.models import Application, ApplicationState, Round
from review.models import Review

from .. import exporters, selectors
from ..labels import credential_status_label, outcome_label
from ..report import effective_outcome
from .common import filter_form, paginate, permission, query_without_page

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


def _url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


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
            _cell(outcome_label(effective_outcome(j.outcome, level.is_passing if level else None))),
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
            _cell(credential_status_label(status), css=f"state state-{status}"),
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
        form, filters, status = filter_form(request, paginated=True)
        page = paginate(form, queryset_of(filters))
        return render(
            request,
            "quality/browse_list.html",
            {
                "title": dict(LISTS)[name],
                "form": form,
                "columns": [str(c) for c in columns],
                "rows": list(rows_of(page)),
                "page": page,
                "query": query_without_page(request),
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
