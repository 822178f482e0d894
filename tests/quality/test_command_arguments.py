"""`quality_report` refuses an --out that is a folder with a clear error."""

import pytest
from django.core.management import CommandError, call_command


def test_an_out_path_that_is_a_folder_is_a_clear_error(scenario, tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("quality_report", "edusta-test", "--format", "json", "--out", str(tmp_path))
    assert error.value.returncode == 2
    assert "is a folder" in str(error.value)
