"""Credentials an earlier version issued (contexts without the OB 3.0 extensions, ES256 VC-JWT
with a bare thumbprint `kid` and the identity hash as `sub`) stay verifiable, and
`resign_credentials` brings them to the current format: same id and claims, new proof, an
RS256 VC-JWT, baked images again, an audit event."""

import base64
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from certificates.models import Credential, KeyAlgorithm
from certificates.openbadges import signing
from certificates.services import credential_resign, resign_reasons
from core.models import AuditEvent
from tests.e2e_helpers import body, png_text_chunks
from tests.factories.certificates import issued_credential, legacy_credential


def resign(*args) -> str:
    out = io.StringIO()
    call_command("resign_credentials", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def verify_page(client, credential) -> str:
    return client.get(f"/credentials/{credential.public_id}/").content.decode()


def paste(client, text):
    return client.post("/credentials/verify/", {"credential": text})


def test_a_current_credential_needs_no_re_signing(issuer):
    credential = issued_credential()

    assert resign_reasons(credential) == []
    assert credential_resign(credential_id=credential.pk) == []


def test_a_credential_of_the_earlier_format_still_verifies_on_our_pages(client, issuer):
    credential = legacy_credential()

    page = verify_page(client, credential)

    assert resign_reasons(credential) == ["contexts", "jwt-algorithm", "jwt-kid", "jwt-sub"]
    assert "Signatures verified" in page
    assert "VC-JWT (ES256): <strong>valid</strong>" in page
    assert paste(client, credential.ob3_jwt).status_code == 200


def test_the_command_re_signs_an_earlier_credential_in_the_current_format(client, issuer):
    credential = legacy_credential()
    before = credential.ob3_credential
    old_files = {credential.baked_png.name, credential.baked_svg.name}

    output = resign()

    credential.refresh_from_db()
    document = credential.ob3_credential
    header = signing.jwt_part(credential.ob3_jwt, 0)
    claims = signing.jwt_part(credential.ob3_jwt, 1)
    keys = {key.algorithm: key for key in issuer.keys.all()}
    assert f"re-signed {credential.pk} {credential.public_id}" in output
    assert "re-signed 1, already current 0, failed 0" in output
    assert resign_reasons(credential) == []
    assert document["id"] == before["id"]
    assert {k: v for k, v in document.items() if k not in ("@context", "proof")} == {
        k: v for k, v in before.items() if k not in ("@context", "proof")
    }
    assert document["@context"] == signing.CREDENTIAL_CONTEXTS
    assert document["proof"][0]["proofValue"] != before["proof"][0]["proofValue"]
    assert header["alg"] == "RS256" and header["kid"].endswith(f"/keys/{keys['RS256'].key_id}")
    assert "sub" not in claims and claims["jti"] == document["id"]
    # The command created the RS256 key and retired the ES256 one, which stays published.
    assert keys[KeyAlgorithm.RS256].active is True
    assert keys[KeyAlgorithm.ES256].active is False
    assert credential.jwt_key == keys[KeyAlgorithm.RS256]
    # Baked images carry the new document; the old files are replaced.
    client.force_login(credential.recipient)
    (baked,) = png_text_chunks(body(client.get(f"/credentials/{credential.public_id}/badge.png")))[
        "openbadgecredential"
    ]
    client.logout()
    assert json.loads(baked) == document
    assert {credential.baked_png.name, credential.baked_svg.name}.isdisjoint(old_files)
    event = AuditEvent.objects.filter(action="credential.resigned").get()
    assert event.data["reasons"] == ["contexts", "jwt-algorithm", "jwt-kid", "jwt-sub"]
    assert event.data["public_id"] == str(credential.public_id)


def test_a_re_signed_credential_verifies_on_our_pages_and_tampering_is_still_caught(client, issuer):
    credential = legacy_credential()
    resign()
    credential.refresh_from_db()
    tampered = json.loads(json.dumps(credential.ob3_credential))
    tampered["credentialSubject"]["achievement"]["name"] = "Something else"
    forged_claims = signing.jwt_part(credential.ob3_jwt, 1) | {"name": "Something else"}
    header, _payload, signature = credential.ob3_jwt.split(".")
    forged = ".".join(
        [
            header,
            base64.urlsafe_b64encode(json.dumps(forged_claims).encode()).rstrip(b"=").decode(),
            signature,
        ]
    )

    answers = [
        paste(client, text) for text in (json.dumps(credential.ob3_credential), credential.ob3_jwt)
    ]
    refused = [paste(client, text) for text in (json.dumps(tampered), forged)]

    page = verify_page(client, credential)
    assert "Signatures verified" in page
    assert "VC-JWT (RS256): <strong>valid</strong>" in page
    assert [a.status_code for a in answers] == [200, 200]
    assert [a.context["result"]["credential"] for a in answers] == [credential, credential]
    assert [r.status_code for r in refused] == [422, 422]


def test_a_second_run_finds_everything_current_and_dry_run_changes_nothing(issuer):
    credential = legacy_credential()
    before = credential.ob3_jwt

    dry = resign("--dry-run")
    credential.refresh_from_db()

    assert f"would re-sign {credential.pk} {credential.public_id}: contexts" in dry
    assert credential.ob3_jwt == before
    resign()
    assert "re-signed 0, already current 1, failed 0" in resign()


def test_all_re_signs_current_credentials_too(issuer):
    credential = issued_credential()
    before = credential.baked_png.name

    output = resign("--all")

    credential.refresh_from_db()
    event = AuditEvent.objects.filter(action="credential.resigned").get()
    assert "re-signed 1, already current 0, failed 0" in output
    assert event.data["reasons"] == ["requested"]
    assert credential.baked_png.name != before
    assert Credential.objects.get().ob3_credential["id"] == credential.ob3_credential["id"]


def test_an_unknown_issuer_is_a_clear_error(issuer):
    with pytest.raises(CommandError, match="Unknown issuer"):
        resign("--issuer", "not-a-uuid")
    with pytest.raises(CommandError, match="Unknown issuer"):
        resign("--issuer", "00000000-0000-0000-0000-000000000000")


def test_creating_keys_retires_the_es256_key_and_its_tokens_still_verify(client, issuer):
    credential = legacy_credential()

    call_command("issuer_keys", "--create", stdout=io.StringIO())

    keys = {key.algorithm: key for key in issuer.keys.all()}
    jwks = client.get(f"/issuers/{issuer.public_id}/jwks.json").json()["keys"]
    assert keys[KeyAlgorithm.ES256].active is False
    assert keys[KeyAlgorithm.RS256].active is True
    assert {jwk["kty"] for jwk in jwks} == {"EC", "RSA"}
    assert "Signatures verified" in verify_page(client, credential)
    assert paste(client, credential.ob3_jwt).status_code == 200
