"""Hosted badge documents name only an issuer that awards (or awarded) the badge."""

import pytest

from tests.factories.certificates import IssuerFactory, issued_credential


@pytest.fixture
def credential(issuer):
    return issued_credential()


def test_another_issuer_does_not_host_a_badge_class_for_a_badge_it_never_awarded(
    client, credential
):
    other = IssuerFactory(is_default=False, name="Unrelated College")
    version_id = credential.badge_version_id

    ob2 = client.get(f"/ob2/issuers/{other.public_id}/badges/{version_id}")
    ob3 = client.get(f"/ob3/issuers/{other.public_id}/achievements/{version_id}")
    own = client.get(f"/ob2/issuers/{credential.issuer.public_id}/badges/{version_id}")

    assert (ob2.status_code, ob3.status_code, own.status_code) == (404, 404, 200)


def test_the_badge_class_stays_hosted_for_the_issuer_that_awarded_it_after_reassignment(
    client, credential
):
    issuer = credential.issuer
    IssuerFactory(is_default=False).constellations.add(credential.badge_version.badge.constellation)

    response = client.get(f"/ob2/issuers/{issuer.public_id}/badges/{credential.badge_version_id}")

    assert response.status_code == 200
