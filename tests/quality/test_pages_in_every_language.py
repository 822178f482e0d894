"""Every role's pages, with real data behind them, render in every interface language: the
page says which language it is in, and no translation breaks a page."""

import re

import pytest
from django.conf import settings

from tests.factories.core import UserFactory

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def pages_of(client, user) -> list[str]:
    """The home page, every page the person's navigation offers, and one page below each."""
    client.force_login(user)
    home = client.get("/")
    urls = ["/", *[item["url"] for item in home.context["nav_items"]]]
    below = []
    for url in urls[1:]:
        html = client.get(url).text
        # The first link into the section (a detail page), when it has one.
        found = re.search(rf'href="({re.escape(url)}[^"#?]+/)"', html)
        if found:
            below.append(found.group(1))
    return urls + below


@pytest.mark.slow
@pytest.mark.parametrize("code", LANGUAGES)
def test_each_roles_pages_render_in_the_language(client, scenario, auditor, code):
    learner = scenario.apps[1].learner
    people = [learner, scenario.ada, scenario.cora, auditor]
    for person in people:
        person.preferred_language = code
        person.save(update_fields=["preferred_language"])

    broken, visited = [], 0
    for person in people:
        for url in pages_of(client, person):
            visited += 1
            response = client.get(url)
            if response.status_code != 200 or f'<html lang="{code}">' not in response.text:
                broken.append((person.display_name, url, response.status_code))
    assert broken == []
    assert visited >= 20  # home, every navigation entry and a page below each, per role


def test_someone_without_a_preference_reads_english(client, db):
    person = UserFactory(preferred_language="")
    client.force_login(person)

    assert '<html lang="en">' in client.get("/").text
