"""Exports: streamed CSV, XLSX, PDF with its manifest, neutralised formulas, pseudonyms."""

import csv
import hashlib
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from quality import exporters
from quality.models import ExportJob, ExportStatus
from quality.selectors import Filters
from tests.factories import quality as q
from tests.factories.core import UserFactory
from tests.factories.frameworks import published_badge_version
from tests.pdf_streams import pdf_text

from .conftest import T0


def rows_of(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+31 6 1234", "'+31 6 1234"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("   =1+1", "'   =1+1"),
        ("Plain text", "Plain text"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_cells_that_could_be_formulas_are_neutralised(value, expected):
    assert exporters.neutralise(value) == expected


def test_numbers_are_not_neutralised():
    assert exporters.cell(-3) == -3


def test_pseudonyms_are_stable_keyed_and_short(settings):
    first = exporters.pseudonym(42)
    assert first == exporters.pseudonym(42)
    assert first != exporters.pseudonym(43)
    assert first.startswith("L-") and len(first) == 10
    settings.SECRET_KEY = "another-key"
    assert exporters.pseudonym(42) != first


def test_the_applications_csv_streams_one_row_per_application(client, auditor, scenario):
    client.force_login(auditor)
    response = client.get(
        reverse("quality:export_csv", args=["applications"]), {"constellation": "edusta-test"}
    )
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"].startswith(
        'attachment; filename="applications-edusta-test-'
    )
    rows = rows_of(response)
    assert rows[0] == exporters.APPLICATION_HEADER
    by_id = {int(r[0]): dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert len(by_id) == 6
    second = by_id[scenario.apps[2].pk]
    assert (second["state"], second["state_label"]) == ("approved", "Approved")
    assert second["rounds"] == "2"
    assert second["assessors"] == "Ada Assessor; Bram Assessor"
    assert (second["decision"], second["decision_label"]) == ("approved", "Approved")
    assert second["learner_email"] == scenario.apps[2].learner.email
    assert second["credential_id"] == str(scenario.apps[2].credential.pk)


def test_the_csv_neutralises_a_hostile_learner_name(client, auditor, scenario):
    learner = scenario.apps[1].learner
    learner.display_name = '=HYPERLINK("http://evil.example","click")'
    learner.save()
    client.force_login(auditor)
    rows = rows_of(client.get(reverse("quality:export_csv", args=["applications"])))
    names = [r[5] for r in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","click")' in names


def test_a_pseudonymised_csv_holds_no_learner_name_or_email(client, auditor, scenario):
    client.force_login(auditor)
    for dataset in ("applications", "judgements", "credentials"):
        response = client.get(reverse("quality:export_csv", args=[dataset]), {"pseudonymise": "1"})
        body = b"".join(response.streaming_content).decode()
        for app in scenario.apps.values():
            assert app.learner.email not in body
            assert app.learner.display_name not in body
    rows = rows_of(
        client.get(reverse("quality:export_csv", args=["applications"]), {"pseudonymise": "1"})
    )
    first = next(r for r in rows[1:] if int(r[0]) == scenario.apps[1].pk)
    assert first[5] == exporters.pseudonym(scenario.apps[1].learner_id)


def test_the_judgements_csv_has_one_row_per_judgement(client, auditor, scenario):
    client.force_login(auditor)
    rows = rows_of(client.get(reverse("quality:export_csv", args=["judgements"])))
    # Badge A: 7 assessor reviews and 1 moderation of 2 criteria; badge B: 1 review of 1.
    assert len(rows) - 1 == 7 * 2 + 1 * 2 + 1 * 1
    header = rows[0]
    moderation = [dict(zip(header, r, strict=True)) for r in rows[1:] if r[6] == "yes"]
    assert [
        (r["recommendation"], r["recommendation_label"], r["outcome"], r["outcome_label"])
        for r in moderation
    ] == [("reject", "Reject", "not_yet", "Not yet met")] * 2


def test_the_credentials_csv_shows_each_status(client, auditor, scenario):
    client.force_login(auditor)
    rows = rows_of(client.get(reverse("quality:export_csv", args=["credentials"])))
    column = rows[0].index("status")
    assert sorted((r[column], r[column + 1]) for r in rows[1:]) == [
        ("expired", "Expired"),
        ("revoked", "Revoked"),
        ("valid", "Valid"),
    ]


def test_an_unknown_dataset_is_a_404(client, auditor, db):
    client.force_login(auditor)
    assert client.get(reverse("quality:export_csv", args=["passwords"])).status_code == 404


def test_coordinators_must_name_their_constellation_to_export(client, scenario):
    client.force_login(scenario.cora)
    url = reverse("quality:export_csv", args=["applications"])
    assert client.get(url).status_code == 400
    response = client.get(url, {"constellation": "edusta-test"})
    assert len(rows_of(response)) == 7


@pytest.mark.parametrize("dataset", ["applications", "judgements", "credentials"])
def test_csv_exports_cost_the_same_queries_for_few_and_many_rows(client, auditor, db, dataset):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    version = published_badge_version(criteria=2)
    assessor = UserFactory(display_name="Assessor")

    def build(n):
        for _index in range(n):
            app = q.submitted(version, at=T0)
            q.review(
                app, assessor=assessor, at=T0, recommendation="approve", outcomes=["met", "met"]
            )
            q.approve(app, by=assessor, at=T0)
            q.credential(app, issued=T0)

    client.force_login(auditor)
    url = reverse("quality:export_csv", args=[dataset])
    build(2)
    with CaptureQueriesContext(connection) as few:
        assert len(rows_of(client.get(url))) == 1 + 2 * (2 if dataset == "judgements" else 1)
    build(30)
    with CaptureQueriesContext(connection) as many:
        assert len(rows_of(client.get(url))) == 1 + 32 * (2 if dataset == "judgements" else 1)
    assert len(many) == len(few)


def test_csv_rows_are_read_in_chunks_not_one_query_per_row(scenario, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = list(exporters.application_rows(Filters(), False))
    assert len(rows) == 6


def test_an_xlsx_export_job_produces_a_workbook_openpyxl_opens(
    client, auditor, scenario, django_capture_on_commit_callbacks
):
    from openpyxl import load_workbook

    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("quality:export_create"),
            {"kind": "applications", "format": "xlsx", "constellation": "edusta-test"},
        )
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("quality:export_detail", args=[job.pk])
    assert (job.status, job.progress, job.parameters["pseudonymise"]) == (
        ExportStatus.DONE,
        100,
        False,
    )
    download = client.get(reverse("quality:export_download", args=[job.pk]))
    content = b"".join(download.streaming_content)
    assert hashlib.sha256(content).hexdigest() == job.sha256
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["applications"]
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == exporters.APPLICATION_HEADER
    assert sheet.max_row == 7


def test_the_xlsx_report_has_a_summary_and_the_three_datasets(scenario, tmp_path):
    from openpyxl import load_workbook

    from quality.services import write_report

    out = tmp_path / "report.xlsx"
    write_report(
        out, fmt="xlsx", filters=Filters(constellation=scenario.constellation), pseudonymise=True
    )
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["summary", "applications", "judgements", "credentials"]
    rows = list(workbook["summary"].iter_rows(values_only=True))
    assert rows[0] == ("Section", "Figure", "Item", "Value", "Code")
    summary = {r[4]: r[:4] for r in rows[1:]}
    assert summary["volumes.applications_by_state.approved"] == (
        "Volumes",
        "Applications by state",
        "Approved",
        3,
    )
    assert summary["outcomes.approval_rate"] == ("Outcomes", "Approval rate (%)", None, 75.0)


def test_a_formula_in_xlsx_stays_text(scenario, tmp_path):
    from openpyxl import load_workbook

    learner = scenario.apps[1].learner
    learner.display_name = "=1+1"
    learner.save()
    out = tmp_path / "apps.xlsx"
    exporters.write_xlsx(out, Filters(), datasets=["applications"], pseudonymise=False)
    values = [
        r[5] for r in load_workbook(out)["applications"].iter_rows(min_row=2, values_only=True)
    ]
    assert "'=1+1" in values


def test_the_pdf_report_has_its_manifest_with_the_hashes_of_its_exports(
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
                "pseudonymise": "on",
            },
        )
    job = ExportJob.objects.get(parent__isnull=True)
    assert job.status == ExportStatus.DONE, job.error
    attachments = list(job.attachments.order_by("id"))
    assert [a.kind for a in attachments] == ["applications", "judgements", "credentials"]
    pdf = b"".join(client.get(reverse("quality:export_download", args=[job.pk])).streaming_content)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for attachment in attachments:
        data = b"".join(
            client.get(reverse("quality:export_download", args=[attachment.pk])).streaming_content
        )
        assert hashlib.sha256(data).hexdigest() == attachment.sha256
        assert attachment.sha256 in text
    page = client.get(reverse("quality:export_detail", args=[job.pk]))
    assert b'http-equiv="refresh"' not in page.content


def test_a_queued_export_refreshes_its_page(client, auditor, db):
    job = ExportJob.objects.create(requested_by=auditor, kind="report", format="pdf")
    client.force_login(auditor)
    response = client.get(reverse("quality:export_detail", args=[job.pk]))
    assert b'<meta http-equiv="refresh" content="3">' in response.content


def test_an_export_request_in_an_unavailable_format_is_refused(client, auditor, db):
    client.force_login(auditor)
    response = client.post(
        reverse("quality:export_create"), {"kind": "judgements", "format": "pdf"}
    )
    assert response.status_code == 400
    assert ExportJob.objects.count() == 0


def test_a_report_produced_by_a_worker_is_in_the_language_of_who_asked(
    client, auditor, scenario, django_capture_on_commit_callbacks
):
    from django.utils import translation

    from quality import services

    auditor.preferred_language = "sv"
    auditor.save(update_fields=["preferred_language"])
    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(
            reverse("quality:export_create"),
            {"kind": "report", "format": "pdf", "constellation": "edusta-test"},
        )
    job = ExportJob.objects.get(parent__isnull=True)

    with translation.override("en"):  # a worker: no request, the default language
        services.export_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, job.error
    with job.file.open("rb") as handle:
        text = pdf_text(handle.read())
    with translation.override("sv"):
        title = translation.gettext("Quality report")
    assert title != "Quality report"
    assert f"/Title ({title})" in text  # the document's title, from the page's <title>
