import pytest

from tests.factories.frameworks import published_badge_version


@pytest.mark.django_db
def test_home_page_renders_for_anonymous_visitors(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Competence-based digital badges" in response.content


@pytest.mark.django_db
def test_a_published_badge_version_has_its_criteria():
    version = published_badge_version(criteria=3)
    assert version.status == "published"
    assert version.criteria.count() == 3
