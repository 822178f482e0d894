"""Every role against every page: anonymous → sign-in; outside one's reach → 404; visible
but not one's to change → 403."""

import pytest
from django.urls import reverse

from frameworks.models import BadgeVersion, Criterion
from tests.factories.frameworks import (
    BadgeFactory,
    BadgeVersionFactory,
    CriterionFactory,
    FrameworkFactory,
    published_badge_version,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "learner", "assessor", "auditor", "other_coordinator", "coordinator"]


@pytest.fixture
def world(own_constellation):
    draft = BadgeVersionFactory(
        badge=BadgeFactory(constellation=own_constellation, slug="draft-badge")
    )
    criterion = CriterionFactory(badge_version=draft)
    live = published_badge_version(
        badge=BadgeFactory(constellation=own_constellation, slug="live-badge")
    )
    return {
        "framework": FrameworkFactory(),
        "constellation": own_constellation,
        "draft": draft,
        "criterion": criterion,
        "live": live,
    }


def url_for(name, world):
    args = {
        "framework_detail": [world["framework"].pk],
        "framework_export": [world["framework"].pk],
        "constellation_detail": ["own"],
        "constellation_edit": ["own"],
        "constellation_export": ["own"],
        "coverage": ["own"],
        "badge_create": ["own"],
        "badge_detail:draft": [world["draft"].pk],
        "badge_detail:live": [world["live"].pk],
        "badge_edit:draft": [world["draft"].pk],
        "badge_edit:live": [world["live"].pk],
        "badge_image:draft": [world["draft"].pk],
        "badge_image:live": [world["live"].pk],
        "criterion_create": [world["draft"].pk],
        "criterion_edit": [world["criterion"].pk],
    }.get(name, [])
    return reverse(f"frameworks:{name.split(':')[0]}", args=args)


# Expected status per role, in the order of ROLES.
PAGES = {
    "framework_list": (302, 403, 403, 200, 200, 200),
    "framework_import": (302, 403, 403, 403, 200, 200),
    "framework_detail": (302, 403, 403, 200, 200, 200),
    "framework_export": (302, 403, 403, 200, 200, 200),
    "constellation_list": (302, 403, 403, 200, 200, 200),
    "constellation_create": (302, 403, 403, 403, 200, 200),
    "constellation_import": (302, 403, 403, 403, 200, 200),
    "constellation_detail": (302, 404, 404, 200, 404, 200),
    "constellation_edit": (302, 404, 404, 403, 404, 200),
    "constellation_export": (302, 404, 404, 200, 404, 200),
    "coverage": (302, 404, 404, 200, 404, 200),
    "badge_create": (302, 404, 404, 403, 404, 200),
    "badge_detail:draft": (302, 404, 404, 200, 404, 200),
    "badge_detail:live": (302, 200, 200, 200, 200, 200),
    "badge_edit:draft": (302, 404, 404, 403, 404, 200),
    "badge_edit:live": (302, 404, 404, 403, 404, 302),
    "criterion_create": (302, 404, 404, 403, 404, 200),
    "criterion_edit": (302, 404, 404, 403, 404, 200),
    "catalogue": (302, 200, 200, 200, 200, 200),
    "badge_image:draft": (404, 404, 404, 200, 404, 200),
    "badge_image:live": (200, 200, 200, 200, 200, 200),
}


@pytest.fixture
def as_role(client, request):
    def sign_in(role):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return sign_in


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_page_answers_each_role_as_expected(page, role_index, world, as_role):
    role = ROLES[role_index]
    response = as_role(role).get(url_for(page, world))
    assert response.status_code == PAGES[page][role_index]
    if role == "anonymous" and response.status_code == 302:
        assert response["Location"].startswith(reverse("login") + "?next=")


POSTS = ["badge_publish", "badge_new_draft", "badge_retire", "criterion_delete"]


@pytest.mark.parametrize("action", POSTS)
@pytest.mark.parametrize("role", ["learner", "assessor", "auditor", "other_coordinator"])
def test_no_one_but_the_coordinator_can_change_a_badge(action, role, world, as_role):
    target = (
        world["criterion"].pk
        if action == "criterion_delete"
        else (
            world["live"].pk if action in ("badge_new_draft", "badge_retire") else world["draft"].pk
        )
    )
    response = as_role(role).post(reverse(f"frameworks:{action}", args=[target]))
    assert response.status_code == (403 if role == "auditor" else 404)
    assert list(BadgeVersion.objects.order_by("pk").values_list("status", flat=True)) == [
        "draft",
        "published",
    ]
    assert Criterion.objects.filter(pk=world["criterion"].pk).exists()


def test_anonymous_posts_are_sent_to_sign_in(world, client):
    response = client.post(reverse("frameworks:badge_publish", args=[world["draft"].pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_get_is_not_allowed_on_actions(world, as_role):
    response = as_role("coordinator").get(
        reverse("frameworks:badge_publish", args=[world["draft"].pk])
    )
    assert response.status_code == 405
