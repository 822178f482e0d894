"""`manage.py quality_report`: the report without a browser."""

import csv
import hashlib
import json

import pytest
from django.core.management import CommandError, call_command


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("quality_report", *args, stdout=out)
    return out.getvalue()


def test_json_holds_every_figure_keyed_by_state_values(scenario, tmp_path):
    out = tmp_path / "report.json"
    printed = run("edusta-test", "--format", "json", "--out", str(out))
    data = json.loads(out.read_text())
    assert data["volumes"]["applications_by_state"]["approved"] == 3
    assert set(data["volumes"]["applications_by_state"]) == {
        "draft",
        "submitted",
        "in_review",
        "changes_requested",
        "in_moderation",
        "approved",
        "rejected",
        "withdrawn",
    }
    assert set(data) == {
        "scope",
        "generated_at",
        "volumes",
        "outcomes",
        "timeliness",
        "consistency",
        "workload",
        "integrity",
    }
    assert printed == f"{hashlib.sha256(out.read_bytes()).hexdigest()}  {out}\n"


def test_the_period_narrows_the_report(scenario, tmp_path):
    out = tmp_path / "report.json"
    run(
        "edusta-test",
        "--format",
        "json",
        "--out",
        str(out),
        "--from",
        "2026-01-06",
        "--to",
        "2026-01-07",
    )
    data = json.loads(out.read_text())
    assert data["volumes"]["applications_total"] == 2
    assert (data["scope"]["from"], data["scope"]["to"]) == ("2026-01-06", "2026-01-07")


def test_csv_lists_the_figures_as_rows(scenario, tmp_path):
    out = tmp_path / "report.csv"
    run("edusta-test", "--format", "csv", "--out", str(out))
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["Section", "Figure", "Item", "Value", "Code"]
    assert ["Outcomes", "Approval rate (%)", "", "75.0", "outcomes.approval_rate"] in rows
    assert [
        "Volumes",
        "Applications by state",
        "Approved",
        "3",
        "volumes.applications_by_state.approved",
    ] in rows


def test_xlsx_opens_with_openpyxl(scenario, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "report.xlsx"
    run("edusta-test", "--format", "xlsx", "--out", str(out), "--pseudonymise")
    workbook = load_workbook(out)
    learners = [r[5] for r in workbook["applications"].iter_rows(min_row=2, values_only=True)]
    assert all(name.startswith("L-") for name in learners)


def test_pdf_comes_with_its_exports_and_their_hashes(scenario, tmp_path):
    from tests.pdf_streams import pdf_text

    out = tmp_path / "report.pdf"
    printed = run("edusta-test", "--format", "pdf", "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    text = pdf_text(out.read_bytes())
    for kind in ("applications", "judgements", "credentials"):
        companion = tmp_path / f"report-{kind}.csv"
        digest = hashlib.sha256(companion.read_bytes()).hexdigest()
        assert digest in text
        assert f"{digest}  {companion}" in printed


@pytest.mark.parametrize(
    "args",
    [
        ("no-such-constellation", "--format", "json"),
        ("edusta-test", "--format", "json", "--from", "05/01/2026"),
        ("edusta-test", "--format", "json", "--from", "2026-02-01", "--to", "2026-01-01"),
    ],
)
def test_bad_input_is_a_clear_error(scenario, tmp_path, args):
    with pytest.raises(CommandError) as error:
        run(*args, "--out", str(tmp_path / "x"))
    assert error.value.returncode == 2
