"""The credentials `seed_demo` issues verify with code independent of the signer: both
official JSON Schemas, the Data Integrity proof (pyld with the official contexts +
cryptography, key from the published issuer profile), the VC-JWT (joserfc, published JWKS),
the baked PNG and SVG, and the hosted OB 2.0 assertion; the revoked one reads as revoked in
all of them.

A transactional test: the demo's approvals issue credentials after commit, as in production.
"""

import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from joserfc import jwt as jose_jwt
from joserfc.jwk import KeySet

from certificates.models import Credential
from tests.certificates.openbadges.test_ob3 import (
    PERMISSIVE,
    STRICT,
    independent_di_verify,
    issuer_multikey,
    validate,
)
from tests.e2e_helpers import body, ob2_identity, png_text_chunks, status_bit


def local(url: str) -> str:
    assert url.startswith(settings.SITE_URL)
    return url[len(settings.SITE_URL) :]


@pytest.mark.django_db(transaction=True)
def test_every_demo_credential_verifies_independently_and_the_revoked_one_reads_revoked(client):
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    credentials = list(
        Credential.objects.select_related("recipient", "issuer", "badge_version__badge").order_by(
            "pk"
        )
    )
    revoked = [c for c in credentials if c.revoked_at]
    kinds = {c.badge_version.badge.kind for c in credentials}

    assert len(credentials) >= 10
    assert len(revoked) == 1
    assert kinds == {"micro", "milestone"} or kinds == {"micro", "milestone", "meta"}

    jwks = {}
    for credential in credentials:
        document = credential.ob3_credential
        status = client.get(local(document["credentialStatus"]["statusListCredential"])).json()
        encoded = status["credentialSubject"]["encodedList"]
        # Signed JSON: schemas, Data Integrity proof with the published key.
        assert validate(document, STRICT) == [], credential
        assert validate(document, PERMISSIVE) == [], credential
        assert independent_di_verify(document, issuer_multikey(client, credential)) is True
        # VC-JWT with the issuer's published JWKS.
        jwks_url = f"/issuers/{credential.issuer.public_id}/jwks.json"
        if jwks_url not in jwks:
            jwks[jwks_url] = KeySet.import_key_set(client.get(jwks_url).json())
        token = jose_jwt.decode(credential.ob3_jwt, jwks[jwks_url], algorithms=["RS256"])
        assert token.claims["jti"] == document["id"]
        # Baked images, downloaded by their recipient (none of a revoked credential: 410).
        client.force_login(credential.recipient)
        png = client.get(f"/credentials/{credential.public_id}/badge.png")
        svg = client.get(f"/credentials/{credential.public_id}/badge.svg")
        client.logout()
        if credential.revoked_at:
            assert (png.status_code, svg.status_code) == (410, 410)
        else:
            (baked,) = png_text_chunks(body(png))["openbadgecredential"]
            assert json.loads(baked) == document
            svg_text = body(svg).decode()
            assert "<openbadges:credential" in svg_text and document["id"] in svg_text
        # Hosted OB 2.0 assertion and the status list.
        assertion = client.get(
            f"/ob2/assertions/{credential.public_id}", HTTP_ACCEPT="application/ld+json"
        )
        bit = status_bit(encoded, int(document["credentialStatus"]["statusListIndex"]))
        page = client.get(f"/credentials/{credential.public_id}/").content.decode()
        if credential.revoked_at:
            assert assertion.status_code == 410
            assert assertion.json()["revoked"] is True
            assert bit is True
            assert "Revoked" in page and credential.revocation_reason in page
        else:
            assert assertion.status_code == 200
            assert assertion.json()["recipient"]["identity"] == ob2_identity(
                credential.recipient.email, credential.salt
            )
            assert bit is False
            assert "Signatures verified" in page
