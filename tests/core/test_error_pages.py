"""The error pages are in the site's look, say what happened and offer a way back."""

import pytest
from django.db import connections
from django.test import Client

from tests.e2e_helpers import texts
from tests.factories.core import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.error_urls")]


@pytest.fixture(autouse=True)
def production_errors(settings):
    settings.DEBUG = False


def heading_and_home(response) -> tuple[int, list[str], bool]:
    html = response.content.decode()
    return (
        response.status_code,
        [*texts(html, "a", "brand"), html.split("<h1>")[1].split("</h1>")[0]],
        '<a class="button" href="/">Home</a>' in html,
    )


def test_a_missing_page_is_a_404_in_the_site_look(client):
    client.force_login(UserFactory())
    response = client.get("/no-such-page/")
    assert heading_and_home(response) == (404, ["Competence badges", "Page not found"], True)


def test_a_refused_page_is_a_403_in_the_site_look(client):
    client.force_login(UserFactory())
    response = client.get("/test-errors/403/")
    assert heading_and_home(response) == (403, ["Competence badges", "Not allowed"], True)


def test_a_bad_request_is_a_400_in_the_site_look(client):
    response = client.get("/test-errors/400/")
    assert heading_and_home(response) == (
        400,
        ["Competence badges", "This request could not be understood"],
        True,
    )


def test_a_server_error_is_a_500_in_the_site_look_without_the_database():
    client = Client(raise_request_exception=False)
    response = client.get("/test-errors/500/")
    assert heading_and_home(response) == (500, ["Competence badges", "Something went wrong"], True)


def test_the_500_page_renders_with_no_request_and_no_database():
    from django.template import loader  # the handler's own way: the template, an empty context

    for connection in connections.all():
        connection.close()
    with pytest.MonkeyPatch.context() as patch:
        # Any query now fails: the page must not need one.
        patch.setattr(
            "django.db.backends.utils.CursorWrapper.execute",
            lambda *args, **kwargs: (_ for _ in ()).throw(AssertionError("query")),
        )
        html = loader.get_template("500.html").render({})
    assert texts(html, "a", "button") == ["Home"]


def test_an_expired_form_is_a_403_in_the_site_look():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert heading_and_home(response) == (403, ["Competence badges", "The form has expired"], True)
