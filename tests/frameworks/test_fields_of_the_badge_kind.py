"""A badge's pages and forms show only the fields that apply to its kind."""

import re

import pytest
from django.urls import reverse

from tests.factories.frameworks import BadgeFactory, BadgeVersionFactory

pytestmark = pytest.mark.django_db

MILESTONE_ONLY = ["required_badges", "required_count"]
MICRO_ONLY = ["max_rounds", "review_days", "double_assessment", "sample_percent", "hide_assessors"]


def field_names(html: str) -> set[str]:
    return set(re.findall(r'name="([a-z_]+)"', html))


@pytest.mark.parametrize(
    ("kind", "shown", "hidden"),
    [
        ("micro", MICRO_ONLY, MILESTONE_ONLY),
        ("milestone", MILESTONE_ONLY, MICRO_ONLY),
        ("meta", MILESTONE_ONLY, MICRO_ONLY),
    ],
)
def test_the_new_badge_form_holds_only_the_fields_of_its_kind(
    client, coordinator, own_constellation, kind, shown, hidden
):
    for other in ("micro", "milestone"):  # something a milestone or meta badge may count
        BadgeVersionFactory(badge=BadgeFactory(constellation=own_constellation, kind=other))
    client.force_login(coordinator)
    url = reverse("frameworks:badge_create", args=[own_constellation.slug]) + f"?kind={kind}"
    names = field_names(client.get(url).content.decode())
    assert {name: name in names for name in shown + hidden} == {
        **dict.fromkeys(shown, True),
        **dict.fromkeys(hidden, False),
    }
    assert f'<input type="hidden" name="kind" value="{kind}"' in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("kind", "shown", "hidden"),
    [("micro", MICRO_ONLY, MILESTONE_ONLY), ("milestone", MILESTONE_ONLY, MICRO_ONLY)],
)
def test_the_draft_form_holds_only_the_fields_of_its_kind(
    client, coordinator, own_constellation, kind, shown, hidden
):
    BadgeVersionFactory(badge=BadgeFactory(constellation=own_constellation, kind="micro"))
    version = BadgeVersionFactory(badge=BadgeFactory(constellation=own_constellation, kind=kind))
    client.force_login(coordinator)
    names = field_names(
        client.get(reverse("frameworks:badge_edit", args=[version.pk])).content.decode()
    )
    assert {name: name in names for name in shown + hidden} == {
        **dict.fromkeys(shown, True),
        **dict.fromkeys(hidden, False),
    }


def test_a_micro_badge_posted_with_milestone_fields_ignores_them(
    client, coordinator, own_constellation
):
    client.force_login(coordinator)
    response = client.post(
        reverse("frameworks:badge_create", args=[own_constellation.slug]) + "?kind=micro",
        {
            "kind": "micro",
            "slug": "solo",
            "title": "Solo",
            "description": "Shows it.",
            "assessment_type": "artefact",
            "participation_form": "online",
            "review_days": "14",
            "double_assessment": "none",
            "sample_percent": "0",
            "languages": "en",
            "required_count": "3",
        },
    )
    assert response.status_code == 302
    version = own_constellation.badges.get(slug="solo").versions.get()
    assert (version.badge.kind, version.required_count) == ("micro", None)


def test_the_page_of_a_micro_badge_shows_no_required_badges(client, coordinator, own_constellation):
    micro = BadgeVersionFactory(badge=BadgeFactory(constellation=own_constellation, kind="micro"))
    milestone = BadgeVersionFactory(
        badge=BadgeFactory(constellation=own_constellation, kind="milestone"), required_count=1
    )
    client.force_login(coordinator)
    micro_page = client.get(reverse("frameworks:badge_detail", args=[micro.pk])).content.decode()
    milestone_page = client.get(
        reverse("frameworks:badge_detail", args=[milestone.pk])
    ).content.decode()
    assert ("<h2>Requires</h2>" in micro_page, "<h2>Criteria</h2>" in micro_page) == (False, True)
    assert ("<h2>Requires</h2>" in milestone_page, "<h2>Criteria</h2>" in milestone_page) == (
        True,
        False,
    )
    assert ("Review</dt>" in micro_page, "Review</dt>" in milestone_page) == (True, False)
