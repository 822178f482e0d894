"""The coverage matrix scrolls in its own labelled box, header and competence column kept."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from frameworks.models import CriterionAlignment
from frameworks.services import framework_import
from tests.factories.frameworks import BadgeFactory, BadgeVersionFactory, CriterionFactory

pytestmark = pytest.mark.django_db


def test_each_matrix_is_a_keyboard_scrollable_region_named_by_its_framework(
    client, coordinator, own_constellation, small_framework_data
):
    framework = framework_import(data=small_framework_data, actor=None).framework
    version = BadgeVersionFactory(badge=BadgeFactory(constellation=own_constellation))
    CriterionAlignment.objects.create(
        criterion=CriterionFactory(badge_version=version),
        competence=framework.competences.get(code="1.1"),
    )
    client.force_login(coordinator)
    page = client.get(
        reverse("frameworks:coverage", args=[own_constellation.slug])
    ).content.decode()
    assert re.findall(r'<div class="table-wrap coverage-wrap"[^>]*>', page) == [
        '<div class="table-wrap coverage-wrap" role="region" aria-labelledby="coverage-1" '
        'tabindex="0">'
    ]
    assert re.findall(r'<h2 id="coverage-1">([^<]*)<', page) == ["Tiny framework "]
    assert '<span class="area-name">1 Area one</span>' in page


def test_the_header_row_and_the_competence_column_stay_in_view():
    css = Path(settings.BASE_DIR, "static/css/frameworks.css").read_text()
    rules = dict(re.findall(r"^(\.coverage[^{]*?) \{([^}]*)\}", css, re.M))
    assert "overflow: auto" in rules[".coverage-wrap"]
    assert "position: sticky; top: 0" in rules[".coverage thead th"]
    assert (
        "position: sticky; left: 0"
        in rules[".coverage tbody th[scope=row], .coverage thead th:first-child"]
    )
