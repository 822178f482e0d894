"""The language switcher: it saves a signed-in person's preference and refuses bad input."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories.core import UserFactory


@pytest.fixture
def person(db):
    return UserFactory(preferred_language="en")


def switch(client, language, next_url="/accounts/profile/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_switching_saves_a_signed_in_persons_preference(client, person):
    client.force_login(person)

    response = switch(client, "de")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    person.refresh_from_db()
    assert person.preferred_language == "de"


def test_the_saved_preference_sets_the_page_language(client, person):
    person.preferred_language = "de"
    person.save()
    client.force_login(person)

    response = client.get(reverse("profile"))

    assert response.status_code == 200
    assert '<html lang="de">' in response.text


def test_an_anonymous_visitor_gets_the_cookie_only(client, db):
    response = switch(client, "de", "/")

    assert response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    assert '<html lang="de">' in client.get("/").text


def test_an_unknown_language_is_refused_and_nothing_changes(client, person):
    client.force_login(person)

    response = switch(client, "xx")

    assert response.status_code == 400
    assert "That language is not available." in response.text
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    person.refresh_from_db()
    assert person.preferred_language == "en"


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "http:///evil.example"],
)
def test_an_off_site_next_goes_home_instead(client, person, next_url):
    response = switch(client, "de", next_url)

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_switching_needs_a_post(client, db):
    assert client.get(reverse("set_language")).status_code == 405
