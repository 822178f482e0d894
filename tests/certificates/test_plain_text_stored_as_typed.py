"""Plain text (a revocation reason, an issuer's name, region and description) is stored as
typed and escaped once, on output: pages escape it, Open Badges JSON carries it raw."""

import importlib
import json

import pytest

from certificates.models import Issuer
from core.roles import Role
from tests.factories.certificates import issued_credential
from tests.factories.core import UserFactory

pytestmark = pytest.mark.django_db

REASON = "Smith & Sons <ticket>"
REASON_HTML = "Smith &amp; Sons &lt;ticket&gt;"
NAME = 'Müller & Söhne "Akademie" <Nord>'
NAME_HTML = "Müller &amp; Söhne &quot;Akademie&quot; &lt;Nord&gt;"
DESCRIPTION = "Fish & chips, 1 < 2 > 0, R&D; &amp; stays &amp;"
REGION = "Baden & Württemberg"


def _revoked(client, reason, *, status=302):
    credential = issued_credential()
    coordinator = UserFactory(roles=[Role.COORDINATOR])
    credential.badge_version.badge.constellation.coordinators.add(coordinator)
    client.force_login(coordinator)
    response = client.post(f"/credentials/{credential.public_id}/revoke/", {"reason": reason})
    assert response.status_code == status
    credential.refresh_from_db()
    client.logout()
    return credential


def test_a_revocation_reason_is_stored_and_published_as_typed(client, issuer):
    credential = _revoked(client, REASON)

    assert credential.revocation_reason == REASON
    page = client.get(f"/credentials/{credential.public_id}/").content.decode()
    assert f"Reason: {REASON_HTML}</p>" in page
    assert "&amp;amp;" not in page
    assertion = client.get(f"/ob2/assertions/{credential.public_id}")
    assert assertion.status_code == 410
    assert json.loads(assertion.content)["revocationReason"] == REASON
    revocations = json.loads(client.get(f"/ob2/issuers/{issuer.public_id}/revocations").content)
    assert [r["revocationReason"] for r in revocations["revokedAssertions"]] == [REASON]


def test_a_revocation_reason_loses_only_control_characters(client, issuer):
    credential = _revoked(client, "  Smith\x07 & Sons\x1b <ticket>\n")

    assert credential.revocation_reason == REASON


def test_a_revocation_reason_with_a_nul_character_is_refused(client, issuer):
    credential = _revoked(client, "Smith\x00 & Sons")

    assert (credential.revoked_at, credential.revocation_reason) == (None, "")


def test_issuer_fields_are_stored_and_published_as_typed(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        "/issuers/new/",
        {
            "name": NAME,
            "url": "https://academy.example.org",
            "email": "a@example.org",
            "country_code": "DE",
            "region": REGION,
            "description": DESCRIPTION,
            "is_default": "on",
        },
    )
    assert response.status_code == 302
    issuer = Issuer.objects.get()
    assert (issuer.name, issuer.region, issuer.description) == (NAME, REGION, DESCRIPTION)

    listing = client.get("/issuers/").content.decode()
    assert f"<h2>{NAME_HTML} <span" in listing
    ob2 = json.loads(client.get(f"/ob2/issuers/{issuer.public_id}").content)
    assert (ob2["name"], ob2["description"]) == (NAME, DESCRIPTION)
    ob3 = json.loads(client.get(f"/issuers/{issuer.public_id}").content)
    assert (ob3["name"], ob3["description"], ob3["address"]["addressRegion"]) == (
        NAME,
        DESCRIPTION,
        REGION,
    )
    credential = issued_credential()
    signed = json.loads(client.get(f"/ob3/credentials/{credential.public_id}.json").content)
    assert signed["issuer"]["name"] == NAME
    page = client.get(f"/credentials/{credential.public_id}/").content.decode()
    assert NAME_HTML in page
    assert "&amp;amp;" not in page


def test_an_issuer_name_of_only_control_characters_is_a_form_error(client, coordinator):
    client.force_login(coordinator)

    response = client.post(
        "/issuers/new/",
        {
            "name": "\x00\x01",
            "url": "https://x.example.org",
            "email": "a@x.org",
            "country_code": "FI",
        },
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["name"]
    assert Issuer.objects.count() == 0


MIGRATION = importlib.import_module("certificates.migrations.0005_unescape_plain_text")


@pytest.mark.parametrize(
    ("stored", "repaired"),
    [
        ("Smith &amp; Sons ", "Smith &amp; Sons ".replace("&amp;", "&")),
        ("a &lt; b &gt; c &quot;d&quot; &#39;e&#39;", "a < b > c \"d\" 'e'"),
        ("typed &amp;amp; once", "typed &amp; once"),
        ("R&D", "R&D"),  # typed another way: not in the escaped form, left alone
        ("Fish &copy without a semicolon", "Fish &copy without a semicolon"),
        ("1 < 2 &amp; 3", "1 < 2 &amp; 3"),
        ("", ""),
        ("nothing to do", "nothing to do"),
    ],
)
def test_the_repair_unescapes_only_values_in_the_escaped_form(stored, repaired):
    assert MIGRATION.unescaped(stored) == repaired


def test_the_repair_rewrites_escaped_issuer_and_credential_fields(issuer):
    from django.apps import apps

    credential = issued_credential()
    Issuer.objects.filter(pk=issuer.pk).update(
        name="Smith &amp; Sons", region="A &amp; B", description="&lt;x&gt;"
    )
    type(credential).objects.filter(pk=credential.pk).update(revocation_reason="x &amp; y")

    MIGRATION.forwards(apps, None)

    issuer.refresh_from_db()
    credential.refresh_from_db()
    assert (issuer.name, issuer.region, issuer.description) == ("Smith & Sons", "A & B", "<x>")
    assert credential.revocation_reason == "x & y"
