"""The framework import page explains its file format itself: users have no repository."""

import html as html_lib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from frameworks.models import Framework
from frameworks.services import framework_import

pytestmark = pytest.mark.django_db


def test_the_import_page_names_no_repository_path_and_its_example_imports(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("frameworks:framework_import")).content.decode()
    assert "docs/" not in page
    (example,) = re.findall(r'<pre class="format-example"><code>(.*?)</code></pre>', page, re.S)
    response = client.post(
        reverse("frameworks:framework_import"),
        {"file": SimpleUploadedFile("example.json", html_lib.unescape(example).encode())},
    )
    framework = Framework.objects.get(slug="digcompedu")
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("frameworks:framework_detail", args=[framework.pk]),
    )
    assert list(framework.competences.values_list("code", flat=True)) == ["1.1"]


def test_the_import_page_offers_an_installed_framework_as_an_example_file(
    client, coordinator, small_framework_data
):
    framework = framework_import(data=small_framework_data, actor=None).framework
    client.force_login(coordinator)
    page = client.get(reverse("frameworks:framework_import")).content.decode()
    export = reverse("frameworks:framework_export", args=[framework.pk])
    assert f'<a href="{export}">Download “Tiny framework” as an example file</a>' in page
