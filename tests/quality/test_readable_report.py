"""What a reader sees instead of codes and blanks: the scope and period as sentences,
labels for states, recommendations and outcomes (page, PDF, CSV, XLSX), and exported files
named after what they hold."""

import csv
import io
import re
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from quality import exporters
from quality.charts import report_charts
from quality.labels import export_filename, period_text, scope_text
from quality.models import ExportJob, ExportStatus
from quality.report import build_report
from quality.selectors import Filters
from quality.services import write_report
from tests.pdf_streams import pdf_text

from .conftest import NOW

# Codes that must never reach a reader (they may stay in the *_code / code columns).
CODES = ("request_changes", "changes_requested", "not_yet", "in_review", "quality_assurance")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (None, None, "All time"),
        ("2026-03-01", None, "From 1 March 2026"),
        (None, "2026-03-31", "Until 31 March 2026"),
        ("2026-03-01", "2026-03-31", "1 March 2026 to 31 March 2026"),
        (date(2026, 3, 1), date(2026, 3, 1), "1 March 2026 to 1 March 2026"),
    ],
)
def test_the_period_reads_as_a_sentence_without_blanks(start, end, expected):
    assert period_text(start, end) == expected


def test_a_scope_without_a_constellation_is_all_constellations():
    assert scope_text({"constellation": "", "constellation_name": ""}) == "All constellations"


def test_a_scope_names_the_constellation_and_each_filter_with_labels(scenario):
    report = build_report(
        Filters(
            constellation=scenario.constellation,
            badge=scenario.version_a.badge,
            assessor=scenario.bram,
            cohort=scenario.cohort,
            state="changes_requested",
        ),
        now=NOW,
        verify_chain=False,
    )
    assert scope_text(report["scope"]) == (
        f"EduSTA test; badge: Planning; assessor: Bram Assessor; cohort: {scenario.cohort.name}; "
        "state: Changes requested"
    )


@pytest.mark.parametrize(
    ("kind", "fmt", "parameters", "expected"),
    [
        ("report", "xlsx", {}, "quality-report-all-constellations-2026-12-01.xlsx"),
        (
            "report",
            "xlsx",
            {"constellation": ""},
            "quality-report-all-constellations-2026-12-01.xlsx",
        ),
        (
            "report",
            "pdf",
            {"constellation": "edusta", "from": "2026-03-01", "to": "2026-03-31"},
            "quality-report-edusta-2026-03-01-to-2026-03-31.pdf",
        ),
        (
            "applications",
            "csv",
            {"constellation": "edusta", "from": "2026-03-01"},
            "applications-edusta-from-2026-03-01.csv",
        ),
        (
            "credentials",
            "csv",
            {"to": "2026-03-31"},
            "credentials-all-constellations-until-2026-03-31.csv",
        ),
        (
            "report",
            "pdf",
            {"constellation": "../../etc/passwd", "from": "1st of May", "to": None},
            "quality-report-etcpasswd-2026-12-01.pdf",
        ),
    ],
)
def test_export_file_names_say_what_they_hold_and_are_safe(kind, fmt, parameters, expected):
    assert export_filename(kind, fmt, parameters, on=date(2026, 12, 1)) == expected


def test_a_prepared_report_of_all_constellations_is_named_after_the_day(
    client, auditor, scenario, django_capture_on_commit_callbacks
):
    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("quality:export_create"), {"kind": "report", "format": "xlsx"})
    job = ExportJob.objects.get()
    name = f"quality-report-all-constellations-{timezone.localdate().isoformat()}.xlsx"
    assert job.filename == name
    response = client.get(reverse("quality:export_download", args=[job.pk]))
    b"".join(response.streaming_content)
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'


def test_a_prepared_pdf_and_its_exports_are_named_after_constellation_and_period(
    client, auditor, scenario, django_capture_on_commit_callbacks
):
    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("quality:export_create"),
            {
                "kind": "report",
                "format": "pdf",
                "constellation": "edusta-test",
                "date_from": "2026-01-01",
                "date_to": "2026-01-31",
            },
        )
    job = ExportJob.objects.get(parent__isnull=True)
    assert job.status == ExportStatus.DONE, job.error
    stem = "quality-report-edusta-test-2026-01-01-to-2026-01-31"
    assert job.download_name == f"{stem}.pdf"
    assert [a.download_name for a in job.attachments.order_by("id")] == [
        f"{stem}-applications.csv",
        f"{stem}-judgements.csv",
        f"{stem}-credentials.csv",
    ]
    html = client.get(reverse("quality:export_detail", args=[job.pk])).content.decode()
    assert "<dt>Scope</dt><dd>EduSTA test</dd>" in html
    assert "<dt>Period</dt><dd>1 January 2026 to 31 January 2026</dd>" in html
    assert f"<dt>File</dt><dd>{stem}.pdf</dd>" in html
    assert f"Applications ({stem}-applications.csv)</a>" in html


def test_a_csv_download_is_named_after_constellation_and_period(client, auditor, scenario):
    client.force_login(auditor)
    url = reverse("quality:export_csv", args=["applications"])
    response = client.get(url, {"constellation": "edusta-test", "date_from": "2026-01-01"})
    b"".join(response.streaming_content)  # the rows are read to the end, the cursor closed
    assert response["Content-Disposition"] == (
        'attachment; filename="applications-edusta-test-from-2026-01-01.csv"'
    )
    response = client.get(url)
    b"".join(response.streaming_content)
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="applications-all-constellations-{today}.csv"'
    )


def test_the_report_page_states_its_scope_and_period(client, auditor, scenario):
    client.force_login(auditor)
    html = client.get(reverse("quality:report")).content.decode()
    assert "<dt>Scope</dt><dd>All constellations</dd>" in html
    assert "<dt>Period</dt><dd>All time</dd>" in html

    html = client.get(
        reverse("quality:report"),
        {"constellation": "edusta-test", "date_from": "2026-01-01", "date_to": "2026-01-31"},
    ).content.decode()
    assert "<dt>Scope</dt><dd>EduSTA test</dd>" in html
    assert "<dt>Period</dt><dd>1 January 2026 to 31 January 2026</dd>" in html


def test_the_report_page_shows_labels_not_codes(client, auditor, scenario):
    client.force_login(auditor)
    html = client.get(reverse("quality:report"), {"constellation": "edusta-test"}).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))  # what a reader reads
    assert "Moderators' decisions: Reject: 1" in text
    for code in CODES:
        assert code not in text, code


def test_every_chart_on_the_page_has_a_title_axes_legend_and_table(client, auditor, scenario):
    client.force_login(auditor)
    html = client.get(reverse("quality:report"), {"constellation": "edusta-test"}).content.decode()
    captions = re.findall(r'<figcaption class="chart-title" id="[^"]+">([^<]+)</figcaption>', html)
    assert captions == [
        "Applications by state",
        "Applications per badge, by state",
        "Credentials issued per badge, by status today",
        "Applications per month",
        "Median days to first review, per badge",
        "Agreement between assessors per criterion (%)",
        "Judgements per criterion",
        "Assessments per assessor",
    ]
    assert html.count('<g class="chart-legend-key">') >= 8
    assert html.count('<details class="chart-data">') == 8
    assert html.count('font-weight="bold" text-anchor="middle"') == 8  # value axis labels
    assert html.count('font-weight="bold" text-anchor="end"') == 8  # category axis labels


def test_the_pdf_states_scope_and_period_and_bookmarks_every_chart(scenario, tmp_path):
    out = tmp_path / "report.pdf"
    filters = Filters(
        constellation=scenario.constellation, date_from=date(2026, 1, 6), date_to=date(2026, 1, 7)
    )
    write_report(out, fmt="pdf", filters=filters, pseudonymise=True)
    text = pdf_text(out.read_bytes())
    assert (
        "/Subject (Scope: EduSTA test. Period: 6 January 2026 to 7 January 2026. Manifest:" in text
    )
    for title in (
        "Applications by state",
        "Credentials issued per badge, by status today",
        "Judgements per criterion",
    ):
        assert f"/Title ({title})" in text


def test_the_pdf_of_all_constellations_and_all_time_has_no_blanks(db):
    report = build_report(Filters(), verify_chain=False)
    manifest = {
        "scope": report["scope"],
        "generated_at": report["generated_at"],
        "pseudonymised": False,
        "files": [],
    }
    html = render_to_string(
        "quality/report_pdf.html",
        {"report": report, "charts": report_charts(report), "manifest": manifest},
    )
    assert "<dt>Scope</dt><dd>All constellations</dd>" in html
    assert "<dt>Period</dt><dd>All time</dd>" in html
    assert "\u2026 \u2013" not in html and "\u2013 \u2026" not in html
    assert html.count('<figure class="chart"') == 8
    assert html.count('<details class="chart-data">') == 8


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_csv_exports_carry_a_label_next_to_each_code(client, auditor, scenario):
    client.force_login(auditor)
    header, *rows = _csv(client.get(reverse("quality:export_csv", args=["judgements"])))
    records = [dict(zip(header, r, strict=True)) for r in rows]
    app2 = [r for r in records if r["application_id"] == str(scenario.apps[2].pk)]
    assert [(r["round"], r["recommendation"], r["recommendation_label"]) for r in app2][:2] == [
        ("1", "request_changes", "Request changes"),
        ("1", "request_changes", "Request changes"),
    ]
    assert header.index("recommendation_label") == header.index("recommendation") + 1
    assert header.index("outcome_label") == header.index("outcome") + 1


def test_the_report_summary_is_labelled_in_csv_and_xlsx(scenario, tmp_path):
    from openpyxl import load_workbook

    filters = Filters(constellation=scenario.constellation)
    write_report(tmp_path / "report.csv", fmt="csv", filters=filters, pseudonymise=True)
    write_report(tmp_path / "report.xlsx", fmt="xlsx", filters=filters, pseudonymise=True)
    rows = list(csv.reader(io.StringIO((tmp_path / "report.csv").read_text(encoding="utf-8"))))
    sheet = [
        ["" if v is None else str(v) for v in row]
        for row in load_workbook(tmp_path / "report.xlsx")["summary"].iter_rows(values_only=True)
    ]
    expected = [
        ["Scope", "Constellation", "", "EduSTA test", "scope.constellation_name"],
        [
            "Consistency",
            "Moderations / Moderators' decisions",
            "Reject",
            "1",
            "consistency.moderation.by_recommendation.reject",
        ],
        ["Scope", "Scope", "", "EduSTA test", ""],
        ["Scope", "Period", "", "All time", ""],
        ["Scope", "Badge", "", "All", "scope.badge"],
        [
            "Volumes",
            "Credentials issued, by status today",
            "Revoked",
            "1",
            "volumes.credentials_issued_by_status.revoked",
        ],
        [
            "Integrity",
            "EU micro-credential elements per badge / Reflection (v1) / Missing",
            "1",
            "type of quality assurance",
            "integrity.eu_elements[b-reflection].missing[0]",
        ],
        [
            "Integrity",
            "EU micro-credential elements per badge / Planning (v1)",
            "Status",
            "Published",
            "integrity.eu_elements[a-planning].status",
        ],
    ]
    for row in expected:
        assert row in rows, row
        assert row in sheet, row
    for table in (rows, sheet):
        for row in table:
            for code in CODES:
                assert all(code not in value for value in row[:4]), (code, row)


def test_xlsx_datasets_carry_labels_next_to_codes(scenario, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "data.xlsx"
    exporters.write_xlsx(
        out, Filters(), datasets=["applications", "credentials"], pseudonymise=True
    )
    workbook = load_workbook(out)
    header, *rows = workbook["applications"].iter_rows(values_only=True)
    states = sorted({(r[header.index("state")], r[header.index("state_label")]) for r in rows})
    assert states == [
        ("approved", "Approved"),
        ("draft", "Draft"),
        ("in_review", "In review"),
        ("rejected", "Rejected"),
    ]
    header, *rows = workbook["credentials"].iter_rows(values_only=True)
    assert sorted((r[header.index("status")], r[header.index("status_label")]) for r in rows) == [
        ("expired", "Expired"),
        ("revoked", "Revoked"),
        ("valid", "Valid"),
    ]


def test_the_badge_filter_names_badges_by_constellation_and_title(auditor, scenario):
    from quality.forms import FilterForm

    field = FilterForm(user=auditor).fields["badge"]
    assert [label for _value, label in field.choices][1:] == [
        "EduSTA test / Planning",
        "EduSTA test / Reflection",
    ]


def test_the_audit_trail_names_object_types_and_states(client, auditor, scenario):
    from core.audit import audit_record

    audit_record(
        actor=scenario.ada,
        action="application.submitted",
        obj=scenario.apps[4],
        from_state="changes_requested",
        to_state="submitted",
    )
    client.force_login(auditor)
    html = client.get(reverse("quality:audit_trail")).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert '<option value="applications.application">Application</option>' in html
    assert f"Application #{scenario.apps[4].pk}" in text
    assert "Changes requested → Submitted" in text
    for code in CODES:
        assert code not in text, code


def test_an_exports_progress_bar_has_a_name(client, auditor, db):
    job = ExportJob.objects.create(requested_by=auditor, kind="report", format="pdf")
    client.force_login(auditor)
    html = client.get(reverse("quality:export_detail", args=[job.pk])).content.decode()
    assert '<div class="progress" role="progressbar" aria-label="Progress"' in html
    assert "<dt>Scope</dt><dd>All constellations</dd>" in html
    assert "<dt>Period</dt><dd>All time</dd>" in html
