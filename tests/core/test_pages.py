"""The core pages render for the people they are for, under a strict CSP."""

import re

import pytest
from django.urls import reverse

from tests.factories.core import UserFactory

ANONYMOUS_PAGES = ["home", "login", "password_reset", "password_reset_done"]
SIGNED_IN_PAGES = ["home", "profile", "password_change", "password_change_done"]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def assert_no_inline_code(html: str):
    assert INLINE_SCRIPT.search(html) is None
    assert re.search(r"<style[\s>]", html, re.IGNORECASE) is None
    assert re.search(r"\sstyle=", html, re.IGNORECASE) is None
    assert re.search(r"\son[a-z]+=", html, re.IGNORECASE) is None


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_public_pages_render_with_a_content_security_policy(client, db, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert_no_inline_code(response.text)


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_pages_render_without_inline_code(client, learner, name):
    client.force_login(learner)

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert_no_inline_code(response.text)


def test_the_layout_offers_skip_link_sign_out_and_language_switcher(client, learner):
    client.force_login(learner)

    html = client.get(reverse("home")).text

    assert '<a class="skip-link" href="#main">Skip to content</a>' in html
    assert f'action="{reverse("logout")}"' in html
    assert f'action="{reverse("set_language")}"' in html
    assert '<option value="de" lang="de">Deutsch</option>' in html
    assert "Lena Learner" in html


def test_a_person_without_a_role_is_told_whom_to_ask(client, db):
    client.force_login(UserFactory())

    response = client.get(reverse("home"))

    assert "Your account has no role yet." in response.text


def test_an_anonymous_visitor_sees_no_navigation(client, db):
    response = client.get(reverse("home"))

    assert response.context["nav_items"] == []
    assert f'href="{reverse("login")}"' in response.text


def test_the_home_page_refuses_a_post(client, learner):
    client.force_login(learner)

    assert client.post(reverse("home")).status_code == 405


def test_only_the_most_specific_navigation_entry_is_current(client, coordinator):
    from tests.factories.frameworks import ConstellationFactory

    ConstellationFactory(coordinators=[coordinator])
    client.force_login(coordinator)

    response = client.get("/frameworks/constellations/")
    current = [item["label"] for item in response.context["nav_items"] if item["active"]]

    assert [str(label) for label in current] == ["Constellations"]


def test_uploaded_files_have_no_public_url_even_in_development():
    from django.urls import Resolver404, resolve

    with pytest.raises(Resolver404):
        resolve("/media/evidence/0123456789abcdef0123456789abcdef.pdf")


def test_site_staff_find_the_background_tasks_in_the_navigation(client, db):
    operator = UserFactory(is_staff=True)
    client.force_login(operator)

    response = client.get(reverse("task_queue"))

    entries = [
        (str(item["label"]), item["url"], item["active"]) for item in response.context["nav_items"]
    ]
    assert entries == [("Background tasks", reverse("task_queue"), True)]


def test_messages_are_announced_as_a_status_of_paragraphs_not_a_list(client, db):
    """A list given role="status" loses its list semantics while keeping list items: an
    accessibility error (axe: listitem). The messages are paragraphs in a status region."""
    person = UserFactory()
    client.force_login(person)

    response = client.post(
        reverse("profile"), {"display_name": "Lena L.", "preferred_language": "en"}, follow=True
    )

    html = response.text
    region = html[html.index('<div class="messages"') :]
    region = region[: region.index("</div>") + 6]
    assert region.startswith('<div class="messages" role="status" aria-live="polite">')
    assert '<p class="message message-success">Your profile was saved.</p>' in region
    assert "<li" not in region and "<ul" not in region
