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


def _cookie(response):
    morsel = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    return (morsel.value, morsel["secure"], morsel["httponly"], morsel["samesite"])


def test_the_language_cookie_is_secure_http_only_and_same_site_when_configured(
    client, person, settings
):
    settings.LANGUAGE_COOKIE_SECURE = True
    client.force_login(person)

    switched = switch(client, "de")
    saved = client.post(
        reverse("profile"), {"display_name": "Lena", "preferred_language": "en"}, secure=True
    )

    assert _cookie(switched) == ("de", True, True, "Lax")
    assert _cookie(saved) == ("en", True, True, "Lax")


def test_production_marks_the_language_cookie_secure_and_http_only():
    from tests.tools.settings_loader import load_settings

    production = load_settings(
        "production",
        {
            "SECRET_KEY": "x" * 64,
            "DATABASE_URL": "sqlite://:memory:",
            "ALLOWED_HOSTS": "badges.example.org",
        },
    )

    assert (
        production.LANGUAGE_COOKIE_SECURE,
        production.LANGUAGE_COOKIE_HTTPONLY,
        production.LANGUAGE_COOKIE_SAMESITE,
    ) == (True, True, "Lax")
