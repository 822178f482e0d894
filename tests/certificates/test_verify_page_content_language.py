"""The verification page shows the badge's texts in the visitor's language where the badge
version has them, and otherwise the signed document's text, marked with its language."""

import pytest
from django.urls import reverse

from frameworks.models import BadgeVersion
from tests.factories.certificates import issued_credential, micro_badge

pytestmark = pytest.mark.django_db


@pytest.fixture
def credential(issuer):
    version = micro_badge(title="Systems map", description="Draws a map.")
    BadgeVersion.objects.filter(pk=version.pk).update(
        translations={
            "fi": {
                "title": "Systeemikartta",
                "description": "Piirtää kartan.",
                "criteria_narrative": "Täytä jokainen kriteeri.",
            }
        }
    )
    return issued_credential(badge_version=BadgeVersion.objects.get(pk=version.pk))


def page(client, credential, language):
    url = reverse("certificates:verify", args=[credential.public_id])
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_a_visitor_reads_the_translation_where_the_version_has_one(client, credential):
    html = page(client, credential, "fi")

    assert "<h1>Systeemikartta</h1>" in html
    assert "<p>Piirtää kartan.</p>" in html
    assert "content-fallback" not in html


def test_without_a_translation_the_documents_text_is_marked_as_english(client, credential):
    html = page(client, credential, "sv")

    assert '<h1><span lang="en" class="content-fallback">Systems map</span></h1>' in html
    assert '<p><span lang="en" class="content-fallback">Draws a map.</span></p>' in html
    assert 'class="content-fallback-hint"' in html


def test_an_english_visitor_reads_the_signed_documents_text(client, credential):
    html = page(client, credential, "en")

    assert credential.ob3_credential["credentialSubject"]["achievement"]["name"] == "Systems map"
    assert "<h1>Systems map</h1>" in html
    assert "content-fallback" not in html
