"""The interface languages: offered by their own names, chosen from the browser on public
pages, and with each language's number formats (7,5 ECTS)."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info

from core.roles import Role
from tests.factories.core import UserFactory
from tests.factories.frameworks import published_badge_version

pytestmark = pytest.mark.django_db
NORDIC = ["sv", "fi", "nb", "da"]
OWN_NAMES = {"sv": "svenska", "fi": "suomi", "nb": "norsk (bokmål)", "da": "dansk"}


def test_the_nordic_languages_are_offered():
    assert [code for code, _name in settings.LANGUAGES] == ["en", "sv", "fi", "nb", "da", "de"]


def test_the_switcher_names_every_language_in_that_language(client):
    html = client.get("/").text

    options = re.findall(r'<option value="([a-z]+)" lang="\1"(?: selected)?>([^<]+)</option>', html)
    assert options == [
        (code, get_language_info(code)["name_local"]) for code, _ in settings.LANGUAGES
    ]
    assert {code: get_language_info(code)["name_local"] for code in NORDIC} == OWN_NAMES


@pytest.mark.parametrize(
    ("accept", "code"),
    [
        ("sv-SE,sv;q=0.9,en;q=0.5", "sv"),
        ("fi-FI,fi;q=0.9", "fi"),
        ("nb-NO,nb;q=0.9,no;q=0.8", "nb"),
        ("no", "nb"),
        ("nn-NO,nn;q=0.9", "nb"),
        ("da-DK,da;q=0.9", "da"),
        ("de-AT", "de"),
        ("pt-BR", "en"),
    ],
)
def test_a_public_page_greets_a_visitor_in_the_browsers_language(client, accept, code):
    response = client.get(reverse("certificates:verify_upload"), HTTP_ACCEPT_LANGUAGE=accept)

    assert f'<html lang="{code}">' in response.text
    with translation.override(code):
        assert f"<h1>{translation.gettext('Check a credential')}</h1>" in response.text


@pytest.mark.parametrize("code", NORDIC)
def test_a_badge_shows_its_credits_with_the_languages_decimal_comma(client, code):
    version = published_badge_version(ects=Decimal("7.5"), workload_hours=200)
    learner = UserFactory(roles=[Role.LEARNER], preferred_language=code)
    client.force_login(learner)

    html = client.get(reverse("frameworks:badge_detail", args=[version.pk])).text

    with translation.override(code):
        credits = translation.gettext("%(ects)s ECTS") % {"ects": "7,5"}
        hours = translation.gettext("%(h)s hours") % {"h": "200"}
    assert f'<html lang="{code}">' in html
    assert f"{credits} · {hours}" in html


@pytest.mark.parametrize(
    ("value", "code", "shown"),
    [
        (Decimal("7.50"), "sv", "7,5"),
        (Decimal("7.50"), "en", "7.5"),
        (Decimal("2.25"), "fi", "2,25"),
        (Decimal("10.00"), "de", "10"),
        (Decimal("15"), "nb", "15"),
        (None, "sv", ""),
    ],
)
def test_credits_are_written_without_trailing_zeros_in_the_languages_format(value, code, shown):
    from core.templatetags.numbers import short_decimal

    with translation.override(code):
        assert short_decimal(value) == shown
