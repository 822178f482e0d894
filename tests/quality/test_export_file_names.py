"""An export's stored file name cannot be guessed (like every other stored
file, see core.uploads.generated_name); its download keeps its readable name."""

import re

from django.urls import reverse

from quality.models import ExportJob


def test_an_export_is_stored_under_an_unguessable_name_and_downloads_under_its_own(
    client, auditor, scenario, django_capture_on_commit_callbacks
):
    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("quality:export_create"),
            {"kind": "applications", "format": "csv", "constellation": "edusta-test"},
        )
    job = ExportJob.objects.get()
    assert re.fullmatch(r"exports/[0-9a-f]{32}/" + re.escape(job.filename), job.file.name)
    response = client.get(reverse("quality:export_download", args=[job.pk]))
    b"".join(response.streaming_content)
    assert response["Content-Disposition"] == f'attachment; filename="{job.filename}"'
