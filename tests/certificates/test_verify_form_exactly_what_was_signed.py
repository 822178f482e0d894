"""The paste-to-verify form: what reads as verified is exactly what was signed."""

import json

import pytest

from certificates.openbadges import signing
from tests.factories.certificates import issued_credential


@pytest.fixture
def credential(issuer):
    return issued_credential()


def test_a_pasted_credential_with_an_added_unsigned_claim_is_not_verified(client, credential):
    document = json.loads(json.dumps(credential.ob3_credential))
    # Not defined by the contexts, so JSON-LD expansion drops it and the proof still checks.
    document["awardedTo"] = "Somebody Else"
    document["credentialSubject"]["grade"] = "A+"
    assert signing.di_verify(document, resolve_key=lambda _m: None) is False  # sanity

    response = client.post("/credentials/verify/", {"credential": json.dumps(document)})

    assert response.status_code == 422
    assert response.context["result"]["ok"] is False
    assert response.context["result"]["credential"] is None


def test_the_credential_as_issued_still_verifies_when_pasted_with_other_key_order(
    client, credential
):
    document = dict(reversed(list(credential.ob3_credential.items())))

    response = client.post("/credentials/verify/", {"credential": json.dumps(document)})

    assert response.status_code == 200
    assert response.context["result"]["ok"] is True


def test_a_pasted_jwt_with_a_deeply_nested_header_is_a_4xx(client, credential):
    import base64

    _header, payload, signature = credential.ob3_jwt.split(".")
    header = base64.urlsafe_b64encode(b'{"a":' + b"[" * 100_000 + b"}").rstrip(b"=").decode()

    response = client.post(
        "/credentials/verify/", {"credential": f"{header}.{payload}.{signature}"}
    )

    assert response.status_code == 422
    assert response.context["result"]["ok"] is False


def test_a_credential_re_signed_with_another_issuers_keys_is_not_verified(client, credential):
    from certificates.models import KeyAlgorithm
    from certificates.openbadges.keys import active_keys, ed25519_private, rs256_private_jwk
    from certificates.openbadges.ob3 import jwt_claims
    from tests.factories.certificates import IssuerFactory

    other = IssuerFactory(is_default=False)
    keys = active_keys(other)
    ed, rs = keys[KeyAlgorithm.ED25519], keys[KeyAlgorithm.RS256]
    other_method = f"http://testserver/issuers/{other.public_id}#{ed.key_id}"
    document = signing.di_sign(
        credential.ob3_credential,
        private_key=ed25519_private(ed),
        verification_method=other_method,
        created="2026-01-01T00:00:00Z",
    )
    external = signing.di_sign(
        credential.ob3_credential,
        private_key=ed25519_private(ed),
        verification_method=f"https://evil.example/keys#{ed.key_id}",
        created="2026-01-01T00:00:00Z",
    )
    token = signing.jwt_sign(
        jwt_claims(credential.ob3_credential),
        private_jwk=rs256_private_jwk(rs),
        kid=signing.jwt_part(credential.ob3_jwt, 0)["kid"],  # claims to be the real issuer's key
    )

    answers = [
        client.post("/credentials/verify/", {"credential": text})
        for text in (json.dumps(document), json.dumps(external), token)
    ]

    assert [a.status_code for a in answers] == [422, 422, 422]
    assert [a.context["result"]["credential"] for a in answers] == [None, None, None]
