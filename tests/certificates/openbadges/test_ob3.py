"""Open Badges 3.0: schemas (both official variants), the Data Integrity proof checked with
code independent of the signer, the VC-JWT checked against the published JWKS, the
official eddsa-rdfc-2022 test vector, pinned contexts."""

import base64
import hashlib
import json
from pathlib import Path

import jsonschema
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.management import call_command
from joserfc import jwt as jose_jwt
from joserfc.jwk import KeySet
from pyld import jsonld

from certificates.models import Credential
from certificates.openbadges import signing
from tests.factories.certificates import issued_credential

SHARED = Path(settings.BASE_DIR).parent / "shared" / "openbadges"
STRICT = SHARED / "ob_v3p0_achievementcredential_schema.strict.json"
PERMISSIVE = (
    SHARED / "ob3_schemas_permissive_conform-ed" / "ob_v3p0_achievementcredential_schema.json"
)
OFFICIAL_CONTEXTS = {
    signing.VC_V2_CONTEXT: SHARED / "contexts" / "credentials-v2.jsonld",
    signing.OB_V3_CONTEXT: SHARED / "contexts" / "ob_v3p0_context-3.0.3.specrepo-2024-03.json",
    signing.OB_V3_EXTENSIONS_CONTEXT: SHARED / "contexts" / "ob-v3p0-extensions.json",
    signing.DID_V1_CONTEXT: SHARED / "contexts" / "did-v1.jsonld",
}

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58decode(text: str) -> bytes:
    """A second, independent base58btc decoder for the tests."""
    value = 0
    for char in text:
        value = value * 58 + B58.index(char)
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + raw


def official_loader(url, options=None):
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": json.loads(OFFICIAL_CONTEXTS[url].read_text()),
    }


def independent_canonical(document: dict) -> str:
    """RDFC-1.0 with pyld and the *official* context copies (not the project's loader)."""
    return jsonld.normalize(
        document,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": official_loader,
        },
    )


def independent_di_verify(document: dict, public_key: Ed25519PublicKey) -> bool:
    from cryptography.exceptions import InvalidSignature

    proof = document["proof"][0]
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    options["@context"] = document["@context"]
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    data = (
        hashlib.sha256(independent_canonical(options).encode()).digest()
        + hashlib.sha256(independent_canonical(unsecured).encode()).digest()
    )
    try:
        public_key.verify(b58decode(proof["proofValue"][1:]), data)
    except InvalidSignature:
        return False
    return True


def validate(document: dict, schema_path: Path) -> list[str]:
    schema = json.loads(schema_path.read_text())
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(document)]


def issuer_multikey(client, credential) -> Ed25519PublicKey:
    """The public key, fetched from the issuer profile the proof's verificationMethod names."""
    method = credential.ob3_credential["proof"][0]["verificationMethod"]
    profile_url, _fragment = method.split("#")
    profile = client.get(
        profile_url.replace(settings.SITE_URL, ""), HTTP_ACCEPT="application/ld+json"
    ).json()
    (entry,) = [m for m in profile["verificationMethod"] if m["id"] == method]
    raw = b58decode(entry["publicKeyMultibase"][1:])
    assert raw[:2] == b"\xed\x01"
    return Ed25519PublicKey.from_public_bytes(raw[2:])


@pytest.fixture
def credential(issuer):
    return issued_credential()


def test_an_issued_credential_validates_against_the_strict_official_schema(credential):
    assert validate(credential.ob3_credential, STRICT) == []


def test_an_issued_credential_validates_against_the_permissive_official_schema(credential):
    assert validate(credential.ob3_credential, PERMISSIVE) == []


def test_the_schema_check_would_catch_a_broken_credential(credential):
    broken = dict(credential.ob3_credential)
    broken["validFrom"] = "yesterday"
    del broken["issuer"]

    assert len(validate(broken, STRICT)) >= 2
    assert len(validate(broken, PERMISSIVE)) >= 2


def test_the_credential_is_an_open_badge_micro_credential_with_all_eu_elements(credential):
    document = credential.ob3_credential
    subject = document["credentialSubject"]
    achievement = subject["achievement"]
    target_types = [a["targetType"] for a in achievement["alignment"]]

    assert document["@context"] == [
        signing.VC_V2_CONTEXT,
        signing.OB_V3_CONTEXT,
        signing.OB_V3_EXTENSIONS_CONTEXT,
    ]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert achievement["achievementType"] == "MicroCredential"
    # (1) learner
    assert subject["identifier"][0]["identityType"] == "emailAddress"
    assert subject["identifier"][0]["hashed"] is True
    # (2) title, (3) country/region, (4) awarding body, (5) date
    assert achievement["name"] == credential.badge_version.title
    assert document["issuer"]["address"] == {
        "type": ["Address"],
        "addressCountryCode": "FI",
        "addressRegion": "Uusimaa",
    }
    assert document["issuer"]["name"] == credential.issuer.name
    assert document["validFrom"] == document["awardedDate"]
    # (6) learning outcomes, (11) quality assurance
    assert (
        "Learning outcomes:\n- Plans a lesson.\n- Reflects on practice."
        in achievement["criteria"]["narrative"]
    )
    assert "Quality assurance: Internal quality assurance" in achievement["criteria"]["narrative"]
    # (7) workload, (8) level, (9) assessment, (10) participation
    assert achievement["creditsAvailable"] == 1
    assert subject["creditsEarned"] == 1
    assert target_types.count("ext:Competence") == 2
    assert {
        "ext:EQFLevel",
        "ext:TypeOfAssessment",
        "ext:FormOfParticipation",
        "ext:NotionalWorkload",
    } <= set(target_types)
    eqf = next(a for a in achievement["alignment"] if a["targetType"] == "ext:EQFLevel")
    assert eqf["targetUrl"] == "http://data.europa.eu/snb/eqf/6"


def test_results_reference_the_rubric_of_each_criterion(credential):
    subject = credential.ob3_credential["credentialSubject"]
    descriptions = subject["achievement"]["resultDescription"]
    results = subject["result"]

    assert [d["resultType"] for d in descriptions] == [
        "RubricCriterionLevel",
        "RubricCriterionLevel",
    ]
    assert [r["resultDescription"] for r in results] == [d["id"] for d in descriptions]
    for description, result in zip(descriptions, results, strict=True):
        assert result["achievedLevel"] == description["requiredLevel"]
        assert [level["name"] for level in description["rubricCriterionLevel"]] == [
            "Emerging",
            "Proficient",
        ]


def test_only_public_evidence_is_in_the_credential(credential):
    assert credential.ob3_credential["evidence"] == [
        {
            "type": ["Evidence"],
            "name": "Lesson plan on systems thinking",
            "id": "https://example.org/lesson-plan",
        }
    ]


def test_the_data_integrity_proof_verifies_with_independent_code_and_the_published_key(
    client, credential
):
    public_key = issuer_multikey(client, credential)

    assert independent_di_verify(credential.ob3_credential, public_key) is True


def test_a_tampered_credential_fails_independent_verification(client, credential):
    public_key = issuer_multikey(client, credential)
    tampered = json.loads(json.dumps(credential.ob3_credential))
    tampered["credentialSubject"]["achievement"]["name"] = "Something else"

    assert independent_di_verify(tampered, public_key) is False
    assert signing.di_verify(tampered, resolve_key=lambda method: public_key) is False


def test_the_vc_jwt_is_rs256_and_its_kid_dereferences_to_the_published_jwk(client, credential):
    header = json.loads(base64.urlsafe_b64decode(credential.ob3_jwt.split(".")[0] + "=="))
    jwk = client.get(header["kid"].replace(settings.SITE_URL, "")).json()
    key_set = KeySet.import_key_set(
        client.get(f"/issuers/{credential.issuer.public_id}/jwks.json").json()
    )

    token = jose_jwt.decode(credential.ob3_jwt, KeySet.import_key_set({"keys": [jwk]}))

    assert header["alg"] == "RS256"
    assert header["kid"] == (
        f"{settings.SITE_URL}/issuers/{credential.issuer.public_id}/keys/"
        f"{credential.jwt_key.key_id}"
    )
    assert jwk["kid"] == header["kid"] and jwk["kty"] == "RSA" and "d" not in jwk
    assert jose_jwt.decode(credential.ob3_jwt, key_set).claims == token.claims
    assert token.claims["iss"] == credential.ob3_credential["issuer"]["id"]
    assert token.claims["jti"] == credential.ob3_credential["id"]
    # The subject has no id of its own (it is identified by a hashed e-mail): no `sub`.
    assert "id" not in credential.ob3_credential["credentialSubject"]
    assert "sub" not in token.claims
    payload = {k: v for k, v in token.claims.items() if k not in {"iss", "jti", "nbf", "exp"}}
    assert payload == {k: v for k, v in credential.ob3_credential.items() if k != "proof"}
    assert validate(payload, STRICT) == []


def test_the_signer_reproduces_the_official_eddsa_rdfc_2022_test_vector():
    document = {
        "@context": [signing.VC_V2_CONTEXT, signing.OB_V3_CONTEXT],
        "id": "http://example.com/credentials/3527",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": "https://example.edu/issuers/565049",
            "type": ["Profile"],
            "name": "Example Corp",
            "url": "https://www.imsglobal.org",
        },
        "validFrom": "2010-01-01T00:00:00Z",
        "name": "Teamwork Badge",
        "credentialSubject": {
            "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.com/achievements/21st-century-skills/teamwork",
                "type": ["Achievement"],
                "criteria": {
                    "narrative": "Team members are nominated for this badge by their peers and recognized upon review by Example Corp management."
                },
                "description": "This badge recognizes the development of the capacity to collaborate within a group environment.",
                "name": "Teamwork",
            },
        },
    }
    vectors = SHARED / "ob3_spec_test_vectors"
    key = Ed25519PrivateKey.from_private_bytes(
        bytes.fromhex("6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4")
    )
    method = "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"

    canonical = signing.canonicalize(document)
    signed = signing.di_sign(
        document, private_key=key, verification_method=method, created="2010-01-01T19:23:24Z"
    )
    proof_options = {k: v for k, v in signed["proof"][0].items() if k != "proofValue"}
    proof_canonical = signing.canonicalize({**proof_options, "@context": document["@context"]})

    assert canonical == (vectors / "document-canon.txt").read_text()
    assert proof_canonical == (vectors / "proof-canon.txt").read_text()
    assert (
        hashlib.sha256(canonical.encode()).hexdigest()
        == "87f65a76d40146205e3b3e06cb0fbd153f97f9ce70372390f52566bb7f9e0773"
    )
    assert (
        hashlib.sha256(proof_canonical.encode()).hexdigest()
        == "d34009cea0dbc1ca941e09dc01c8c9d3e3ce3c5b853f67ee44698dcea10f5d19"
    )
    assert (
        signing.ed25519_multikey(key.public_key())
        == "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    )
    assert (
        key.public_key().public_bytes_raw().hex()
        == "4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5"
    )
    assert (
        signed["proof"][0]["proofValue"]
        == "z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sYKJaWvqZtkMtSbz35HcbgXVEDYHxCzgkCr"
    )


@pytest.mark.parametrize("url", sorted(OFFICIAL_CONTEXTS))
def test_each_pinned_context_defines_the_same_terms_as_the_official_copy(url):
    pinned = signing.pinned_context(url)
    official = json.loads(OFFICIAL_CONTEXTS[url].read_text())
    probe_terms = sorted(k for k in official["@context"] if not k.startswith("@"))
    probe = {"@context": url, **dict.fromkeys(probe_terms, "x")}

    ours = jsonld.expand(probe, {"documentLoader": signing.document_loader})
    theirs = jsonld.expand(probe, {"documentLoader": official_loader})

    assert pinned == official or ours == theirs
    assert ours == theirs


def test_expansion_drops_no_key_of_an_issued_credential(credential):
    dropped = []
    jsonld.expand(
        credential.ob3_credential,
        {"documentLoader": signing.document_loader},
        on_property_dropped=lambda prop: dropped.append(prop),
    )
    assert dropped == []


def test_compacting_the_expanded_credential_gives_back_every_key(credential):
    document = credential.ob3_credential
    expanded = jsonld.expand(document, {"documentLoader": signing.document_loader})
    compacted = jsonld.compact(
        expanded, {"@context": document["@context"]}, {"documentLoader": signing.document_loader}
    )

    def keys(node, prefix=""):
        found = set()
        if isinstance(node, dict):
            for key, value in node.items():
                found.add(prefix + key)
                found |= keys(value, prefix + key + ".")
        elif isinstance(node, list):
            for value in node:
                found |= keys(value, prefix)
        return found

    assert keys(compacted) - {"@context"} == keys(document) - {"@context"}


def test_the_signer_refuses_a_property_the_contexts_do_not_define(credential):
    document = {k: v for k, v in credential.ob3_credential.items() if k != "proof"}
    document["favouriteColour"] = "green"

    with pytest.raises(signing.PropertyDropped):
        signing.canonicalize(document)


@pytest.mark.parametrize(
    "change",
    [
        # An undefined term as a value of `type` (not a dropped key: a relative IRI).
        lambda d: d.update(credentialSchema=[{"id": "https://x.example/s", "type": "Undefined"}]),
        lambda d: d.update(id="credentials/relative"),
        lambda d: d.update(type=[*d["type"], "NotInAnyContext"]),
    ],
    ids=["type-value", "relative-id", "credential-type"],
)
def test_the_signer_refuses_what_json_ld_safe_mode_refuses(credential, change):
    document = {k: v for k, v in credential.ob3_credential.items() if k != "proof"}
    change(document)

    with pytest.raises(signing.RelativeIri):
        signing.canonicalize(document)


def test_without_the_extensions_context_the_schema_type_is_undefined(credential):
    document = {k: v for k, v in credential.ob3_credential.items() if k != "proof"}
    document["@context"] = [signing.VC_V2_CONTEXT, signing.OB_V3_CONTEXT]

    with pytest.raises(signing.RelativeIri, match="1EdTechJsonSchemaValidator2019"):
        signing.canonicalize(document)


def test_the_document_loader_never_fetches_an_unpinned_context():
    from pyld.jsonld import JsonLdError

    with pytest.raises(JsonLdError):
        jsonld.expand(
            {"@context": "https://example.org/evil-context.jsonld", "name": "x"},
            {"documentLoader": signing.document_loader},
        )


def test_multikey_round_trips():
    key = Ed25519PrivateKey.generate().public_key()
    multikey = signing.ed25519_multikey(key)

    assert multikey.startswith("z6Mk")
    assert signing.ed25519_from_multikey(multikey).public_bytes_raw() == key.public_bytes_raw()


def test_private_keys_are_stored_encrypted_and_never_published(client, credential):
    key = credential.di_key
    seed = signing.decrypt_private(key.private_key_encrypted)
    profile = client.get(
        credential.ob3_credential["issuer"]["id"].replace(settings.SITE_URL, "")
    ).content
    jwks = client.get(f"/issuers/{credential.issuer.public_id}/jwks.json").json()

    assert seed not in bytes(key.private_key_encrypted)
    assert seed.hex().encode() not in profile
    assert all("d" not in jwk for jwk in jwks["keys"])
    assert seed.hex() not in repr(key) + str(key)


def test_rotation_keeps_older_credentials_verifiable(client, credential):
    import io

    call_command("issuer_keys", "--rotate", stdout=io.StringIO())
    newer = issued_credential()
    keys = client.get(f"/issuers/{credential.issuer.public_id}/jwks.json").json()["keys"]

    assert newer.di_key != credential.di_key
    assert independent_di_verify(credential.ob3_credential, issuer_multikey(client, credential))
    assert independent_di_verify(newer.ob3_credential, issuer_multikey(client, newer))
    assert len(keys) == 2
    for item in (credential, newer):
        assert jose_jwt.decode(
            item.ob3_jwt, KeySet.import_key_set({"keys": keys}), algorithms=["RS256"]
        )
    assert Credential.objects.count() == 2
