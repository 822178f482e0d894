"""What keeps a draft from being published is named as the form names it, and links there."""

import re

import pytest
from django.urls import reverse

from tests.factories.frameworks import BadgeFactory, BadgeVersionFactory, CriterionFactory

pytestmark = pytest.mark.django_db


def blockers(html: str) -> list[tuple[str, str, str]]:
    section = html.split('id="publish-problems"')[1].split("</section>")[0]
    return re.findall(r'<li><a href="([^"]*)"><strong>([^<]*)</strong></a>: ([^<]*)</li>', section)


def test_blockers_name_the_field_and_link_to_it(client, coordinator, own_constellation):
    version = BadgeVersionFactory(
        badge=BadgeFactory(constellation=own_constellation),
        quality_assurance="",
        ects=None,
        workload_hours=None,
    )
    criterion = CriterionFactory(badge_version=version, title="Plan", required_files=0)
    client.force_login(coordinator)
    html = client.get(reverse("frameworks:badge_detail", args=[version.pk])).content.decode()
    edit = reverse("frameworks:badge_edit", args=[version.pk])
    assert blockers(html) == [
        (
            f"{edit}#id_ects",
            "Workload",
            "give the workload in ECTS credits or hours (EU micro-credential element)",
        ),
        (
            f"{edit}#id_quality_assurance",
            "Type of quality assurance",
            "describe the type of quality assurance (EU micro-credential element)",
        ),
        (
            reverse("frameworks:criterion_edit", args=[criterion.pk]),
            "Criterion 1 “Plan”",
            "says no evidence is required: require at least one file, link or reflection",
        ),
    ]
    form = client.get(edit).content.decode()
    assert ('id="id_ects"' in form, 'id="id_quality_assurance"' in form) == (True, True)


def test_blockers_are_named_in_the_readers_language(client, coordinator, own_constellation):
    version = BadgeVersionFactory(
        badge=BadgeFactory(constellation=own_constellation), quality_assurance=""
    )
    CriterionFactory(badge_version=version)
    coordinator.preferred_language = "de"
    coordinator.save()
    client.force_login(coordinator)
    html = client.get(reverse("frameworks:badge_detail", args=[version.pk])).content.decode()
    assert [label for _url, label, _problem in blockers(html)] == ["Art der Qualitätssicherung"]


def test_publishing_anyway_names_the_fields_in_the_message(client, coordinator, own_constellation):
    version = BadgeVersionFactory(
        badge=BadgeFactory(constellation=own_constellation), quality_assurance=""
    )
    CriterionFactory(badge_version=version)
    client.force_login(coordinator)
    response = client.post(reverse("frameworks:badge_publish", args=[version.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        f"“{version.title}” cannot be published yet. Type of quality assurance: "
        "describe the type of quality assurance (EU micro-credential element)"
    ]


@pytest.mark.parametrize(
    ("kind", "problem"),
    [
        ("milestone", "choose the micro badges that count"),
        ("meta", "choose the milestones that count"),
    ],
)
def test_a_badge_without_badges_that_count_says_which_kind_it_needs(
    coordinator, own_constellation, kind, problem
):
    from frameworks.services import badge_publish_problems

    version = BadgeVersionFactory(
        badge=BadgeFactory(constellation=own_constellation, kind=kind), required_count=1
    )
    assert ("required_badges", problem) in badge_publish_problems(version)


def test_a_badge_of_the_wrong_kind_is_refused_in_words_not_codes(coordinator, own_constellation):
    from django.utils import translation

    from core.errors import ValidationFailed
    from frameworks.services import badge_version_update

    micro = BadgeFactory(constellation=own_constellation, kind="micro", slug="one")
    meta = BadgeVersionFactory(badge=BadgeFactory(constellation=own_constellation, kind="meta"))
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        badge_version_update(actor=coordinator, version=meta, required_badges=[micro])
    assert caught.value.details == [
        ("required_badges", "“one” is not a milestone; a meta badge counts milestones")
    ]
