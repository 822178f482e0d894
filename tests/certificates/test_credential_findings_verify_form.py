"""The paste-to-verify form: what reads as verified is exactly what was signed."""

import json

import pytest

from certificates import signing
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
