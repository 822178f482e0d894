import pytest
from django.urls import reverse

from frameworks.selectors import coverage_matrix
from tests.factories.frameworks import (
    BadgeFactory,
    BadgeVersionFactory,
    ConstellationFactory,
    CriterionAlignmentFactory,
    CriterionFactory,
    FrameworkFactory,
    aligned_micro_badge,
    framework_with_competences,
    published_badge_version,
)

pytestmark = pytest.mark.django_db


def test_the_matrix_shows_gaps_single_coverage_overlaps_and_levels(own_constellation):
    framework = framework_with_competences(areas=1, per_area=3)
    c1, c2, _c3 = framework.competences.order_by("code")
    level_a, level_b = framework.levels.order_by("order")[:2]
    one = aligned_micro_badge(
        constellation=own_constellation, competences=[c1], level=level_a, title="One"
    )
    two = aligned_micro_badge(
        constellation=own_constellation, competences=[c1, c2], level=level_b, title="Two"
    )
    draft = aligned_micro_badge(
        constellation=own_constellation, competences=[], published=False, title="Three"
    )

    matrix = coverage_matrix(constellation=own_constellation)

    assert [(c.version.title, c.is_draft) for c in matrix.columns] == [
        ("One", False),
        ("Two", False),
        ("Three", True),
    ]
    rows = matrix.frameworks[0].areas[0].rows
    assert [(r.competence.code, r.status, r.count) for r in rows] == [
        ("1.1", "overlap", 2),
        ("1.2", "covered", 1),
        ("1.3", "gap", 0),
    ]
    assert [c.version for c in rows[0].covering] == [one, two]
    assert [level.code for level in rows[0].levels_reached] == ["A", "B"]
    assert [[lv.code for lv in cell.levels] for cell in rows[0].cells] == [["A"], ["B"], []]
    assert (matrix.gap_count, matrix.covered_count, matrix.overlap_count) == (1, 1, 1)
    assert draft.status == "draft"


def test_the_matrix_uses_the_newest_version_and_ignores_other_constellations(own_constellation):
    framework = framework_with_competences(areas=1, per_area=2, levels=())
    c1, c2 = framework.competences.order_by("code")
    v1 = aligned_micro_badge(constellation=own_constellation, competences=[c1])
    v2 = BadgeVersionFactory(badge=v1.badge, version=2)
    CriterionAlignmentFactory(criterion=CriterionFactory(badge_version=v2), competence=c2)
    aligned_micro_badge(constellation=ConstellationFactory(), competences=[c1])

    rows = coverage_matrix(constellation=own_constellation).frameworks[0].areas[0].rows

    assert [(r.competence.code, r.status) for r in rows] == [("1.1", "gap"), ("1.2", "covered")]
    assert rows[1].cells[0].levels == []


def build_constellation(constellation, size: int):
    frameworks = [
        framework_with_competences(slug=f"{constellation.slug}-fw{i}", areas=2, per_area=size)
        for i in range(2)
    ]
    for index in range(size):
        framework = frameworks[index % 2]
        competences = list(framework.competences.all()[: index + 1])
        aligned_micro_badge(
            constellation=constellation, competences=competences, level=framework.levels.first()
        )
    milestone = BadgeVersionFactory(
        badge=BadgeFactory(constellation=constellation, kind="milestone"), required_count=1
    )
    milestone.required_badges.set(constellation.badges.filter(kind="micro"))
    return frameworks


@pytest.mark.parametrize("size", [2, 6])
def test_the_coverage_page_costs_the_same_queries_at_any_size(
    client, coordinator, own_constellation, size, django_assert_num_queries
):
    build_constellation(own_constellation, size)
    client.force_login(coordinator)
    url = reverse("frameworks:coverage", args=["own"])
    # session, user, roles, coordinated constellations, constellation, versions, alignments, competences
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 6])
def test_the_constellation_page_costs_the_same_queries_at_any_size(
    client, coordinator, own_constellation, size, django_assert_num_queries
):
    build_constellation(own_constellation, size)
    client.force_login(coordinator)
    url = reverse("frameworks:constellation_detail", args=["own"])
    with django_assert_num_queries(11):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 5])
def test_the_constellation_list_costs_the_same_queries_at_any_size(
    client, auditor, size, django_assert_num_queries
):
    for _ in range(size):
        build_constellation(ConstellationFactory(), 2)
    client.force_login(auditor)
    # session, user, roles, 2 model-permission lookups (the auditor may not add), the list
    with django_assert_num_queries(6):
        response = client.get(reverse("frameworks:constellation_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 5])
def test_the_framework_list_costs_the_same_queries_at_any_size(
    client, coordinator, size, django_assert_num_queries
):
    for index in range(size):
        framework_with_competences(slug=f"list-{index}")
    FrameworkFactory()
    client.force_login(coordinator)
    with django_assert_num_queries(4):
        response = client.get(reverse("frameworks:framework_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 6])
def test_the_catalogue_costs_the_same_queries_at_any_size(
    client, learner, size, django_assert_num_queries
):
    for index in range(size):
        published_badge_version(
            badge=BadgeFactory(constellation=ConstellationFactory(name=f"C{index % 2}"))
        )
    client.force_login(learner)
    with django_assert_num_queries(4):
        response = client.get(reverse("frameworks:catalogue"))
    assert response.status_code == 200
    assert response.content.decode().count('class="card catalogue-card"') == size
