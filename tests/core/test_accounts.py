"""Signing in with an email address, lockout, signing out, passwords and the profile."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories.core import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def person(db):
    return UserFactory(email="lena@example.org", display_name="Lena Learner")


def sign_in(client, email, password, **extra):
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


def test_a_person_signs_in_with_their_email_address(client, person):
    response = sign_in(client, "lena@example.org", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("profile")).status_code == 200


def test_the_email_address_is_matched_without_regard_to_case(client, person):
    response = sign_in(client, "Lena@Example.ORG", PASSWORD)

    assert response.status_code == 302


def test_a_wrong_password_shows_the_form_again_with_a_message(client, person):
    response = sign_in(client, "lena@example.org", "wrong")

    assert response.status_code == 200
    assert "This email address and password do not match an account." in response.text


def test_sign_in_follows_a_local_next_but_not_an_off_site_one(client, person):
    local = client.post(
        reverse("login") + "?next=/accounts/profile/",
        {"username": "lena@example.org", "password": PASSWORD, "next": "/accounts/profile/"},
    )
    assert local["Location"] == "/accounts/profile/"
    client.post(reverse("logout"))

    off_site = client.post(
        reverse("login"),
        {"username": "lena@example.org", "password": PASSWORD, "next": "https://evil.example"},
    )
    assert off_site["Location"] == reverse("home")


def test_repeated_failures_lock_the_account_out_with_a_429_page(client, person):
    limit = settings.AXES_FAILURE_LIMIT
    for _attempt in range(limit - 1):
        assert sign_in(client, "lena@example.org", "wrong").status_code == 200

    locked = sign_in(client, "lena@example.org", "wrong")

    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.text
    assert reverse("password_reset") in locked.text
    # Even the right password is refused while the lockout lasts.
    assert sign_in(client, "lena@example.org", PASSWORD).status_code == 429
    assert client.get(reverse("profile")).status_code == 302


def test_a_lockout_is_per_account_and_address(client, person):
    other = UserFactory(email="mika@example.org")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "lena@example.org", "wrong")

    response = sign_in(client, other.email, PASSWORD)

    assert response.status_code == 302


def test_signing_out_needs_a_post(client, person):
    client.force_login(person)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert (
        client.get(reverse("profile"))["Location"] == reverse("login") + "?next=/accounts/profile/"
    )


def test_a_password_reset_mails_a_link_built_from_the_site_url(
    client, person, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "lena@example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["lena@example.org"]
    assert mail.subject == "Choose a new password for Competence badges"
    link = re.search(r"https://badges\.example\.org/accounts/reset/\S+/\S+/", mail.body)
    assert link is not None

    # The link leads to a form that sets the new password.
    path = link.group(0).removeprefix(settings.SITE_URL)
    form = client.get(path, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a new long passphrase 42", "new_password2": "a new long passphrase 42"},
    )
    assert done["Location"] == reverse("password_reset_complete")
    person.refresh_from_db()
    assert person.check_password("a new long passphrase 42") is True


def test_a_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []


def test_a_signed_in_person_changes_their_password(client, person):
    client.force_login(person)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another long passphrase 7",
            "new_password2": "another long passphrase 7",
        },
    )

    assert response["Location"] == reverse("password_change_done")
    person.refresh_from_db()
    assert person.check_password("another long passphrase 7") is True


def test_the_profile_saves_the_display_name_and_preferred_language(client, person):
    client.force_login(person)

    response = client.post(
        reverse("profile"), {"display_name": "Lena L.", "preferred_language": "de"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("profile")
    person.refresh_from_db()
    assert (person.display_name, person.preferred_language) == ("Lena L.", "de")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"


def test_the_profile_refuses_an_unknown_language_and_an_empty_name(client, person):
    client.force_login(person)

    response = client.post(reverse("profile"), {"display_name": "", "preferred_language": "xx"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "display_name": ["This field is required."],
        "preferred_language": ["Select a valid choice. xx is not one of the available choices."],
    }
    person.refresh_from_db()
    assert (person.display_name, person.preferred_language) == ("Lena Learner", "en")


def test_the_profile_needs_a_signed_in_person(client, db):
    response = client.get(reverse("profile"))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/profile/"


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (None, "203.0.113.9", "10.0.0.2"),
        (0, "203.0.113.9", "10.0.0.2"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),
        (2, "198.51.100.1, 203.0.113.9, 10.0.0.7", "203.0.113.9"),
        (1, "", "10.0.0.2"),
        (1, "not-an-address", "10.0.0.2"),
    ],
)
def test_the_client_address_believes_only_the_trusted_proxies(
    rf, settings, proxies, forwarded_for, expected
):
    from core.client_ip import client_ip

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)

    assert client_ip(request) == expected


def test_behind_a_proxy_one_clients_failures_do_not_lock_out_another(client, person, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "lena@example.org", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert (
        sign_in(client, "lena@example.org", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code
        == 429
    )
    assert (
        sign_in(
            client, "lena@example.org", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.4"
        ).status_code
        == 302
    )
