"""`quality_report` refuses an --out that is a folder, or a period beyond the date bounds,
with a clear error."""

import pytest
from django.core.management import CommandError, call_command


def test_an_out_path_that_is_a_folder_is_a_clear_error(scenario, tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("quality_report", "edusta-test", "--format", "json", "--out", str(tmp_path))
    assert error.value.returncode == 2
    assert "is a folder" in str(error.value)


@pytest.mark.parametrize(("option", "value"), [("--to", "9999-12-31"), ("--from", "0001-01-01")])
def test_a_period_beyond_the_date_bounds_is_a_clear_error(scenario, tmp_path, option, value):
    out = tmp_path / "report.json"

    with pytest.raises(CommandError) as error:
        call_command(
            "quality_report", "edusta-test", "--format", "json", "--out", str(out), option, value
        )

    assert error.value.returncode == 2
    assert str(error.value) == f"{option} must be between 1900-01-01 and 2999-12-31."
    assert not out.exists()


def test_the_outermost_dates_are_a_valid_period(scenario, tmp_path):
    out = tmp_path / "report.json"

    call_command(
        "quality_report",
        "edusta-test",
        "--format",
        "json",
        "--out",
        str(out),
        "--from",
        "1900-01-01",
        "--to",
        "2999-12-31",
    )

    assert out.stat().st_size > 0
