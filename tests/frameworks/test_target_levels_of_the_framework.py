"""The target levels offered beside a competence are those of the competence's framework."""

import re

import pytest
from django.urls import reverse

from frameworks.services import framework_import
from tests.factories.frameworks import BadgeFactory, BadgeVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_frameworks(small_framework_data):
    tiny = framework_import(data=small_framework_data, actor=None).framework
    other = framework_import(
        data={
            **small_framework_data,
            "slug": "other",
            "name": "Other framework",
            "levels": [{"code": "X1", "name": "Novice"}],
        },
        actor=None,
    ).framework
    return tiny, other


def criterion_post(competence, level) -> dict:
    return {
        "title": "Plan",
        "required_files": "1",
        "required_links": "0",
        "required_reflections": "0",
        "rubric-TOTAL_FORMS": "0",
        "rubric-INITIAL_FORMS": "0",
        "alignments-TOTAL_FORMS": "1",
        "alignments-INITIAL_FORMS": "0",
        "alignments-0-competence": str(competence.pk),
        "alignments-0-target_level": str(level.pk),
    }


def test_levels_are_offered_grouped_by_framework(
    client, coordinator, own_constellation, two_frameworks
):
    version = BadgeVersionFactory(badge=BadgeFactory(constellation=own_constellation))
    client.force_login(coordinator)
    page = client.get(reverse("frameworks:criterion_create", args=[version.pk])).content.decode()
    select = re.search(
        r'<select name="alignments-0-target_level"[^>]*>(.*?)</select>', page, re.S
    ).group(1)
    groups = re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select, re.S)
    assert [(label, re.findall(r">([^<]+)</option>", body)) for label, body in groups] == [
        ("Other framework v1", ["X1 Novice"]),
        ("Tiny framework v1", ["L1 Starter", "L2 Practitioner"]),
    ]
    assert 'src="/static/js/alignment-levels.js"' in page


def test_a_level_of_another_framework_is_refused_with_a_clear_message(
    client, coordinator, own_constellation, two_frameworks
):
    tiny, other = two_frameworks
    version = BadgeVersionFactory(badge=BadgeFactory(constellation=own_constellation))
    client.force_login(coordinator)
    response = client.post(
        reverse("frameworks:criterion_create", args=[version.pk]),
        criterion_post(tiny.competences.get(code="1.1"), other.levels.get()),
    )
    assert response.status_code == 400
    assert (
        "This level belongs to another framework than the competence." in response.content.decode()
    )
    assert version.criteria.count() == 0


def test_a_level_of_the_competences_framework_is_saved(
    client, coordinator, own_constellation, two_frameworks
):
    tiny, _other = two_frameworks
    version = BadgeVersionFactory(badge=BadgeFactory(constellation=own_constellation))
    client.force_login(coordinator)
    response = client.post(
        reverse("frameworks:criterion_create", args=[version.pk]),
        criterion_post(tiny.competences.get(code="1.1"), tiny.levels.get(code="L2")),
    )
    assert response.status_code == 302
    alignment = version.criteria.get().alignments.get()
    assert (alignment.competence.code, alignment.target_level.code) == ("1.1", "L2")
