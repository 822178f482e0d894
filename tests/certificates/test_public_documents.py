"""OB 2.0 hosted documents, baked images, the verification page, revocation and the status
list, hostile requests and query counts."""

import io
import json
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command

from certificates.models import Credential
from certificates.openbadges import baking
from certificates.openbadges.ob3 import recipient_hash
from certificates.openbadges.status_list import bit_is_set, decode_bitstring
from certificates.services import credential_revoke, credentials_check_rules
from core.roles import Role
from frameworks.models import BadgeKind
from tests.factories.certificates import issued_credential, micro_badge, rule_badge
from tests.factories.core import UserFactory
from tests.factories.frameworks import ConstellationFactory

pytestmark = pytest.mark.django_db


def path(url: str) -> str:
    assert url.startswith(settings.SITE_URL)
    return url[len(settings.SITE_URL) :]


@pytest.fixture
def credential(issuer):
    return issued_credential()


def test_the_recipient_hash_matches_the_open_badges_example():
    assert recipient_hash("nobody@example.org", "deadsea") == (
        "sha256$ecf5409f3f4b91ab60cc5ef4c02aef7032354375e70cf4d8e43f6a1d29891942"
    )


def test_the_hosted_assertion_is_ob2_json_ld_for_machines(client, credential):
    url = f"/ob2/assertions/{credential.public_id}"

    response = client.get(url, HTTP_ACCEPT="application/ld+json")
    assertion = response.json()

    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    assert assertion["@context"] == "https://w3id.org/openbadges/v2"
    assert assertion["id"] == settings.SITE_URL + url
    assert assertion["verification"] == {"type": "HostedBadge"}
    assert assertion["recipient"] == {
        "type": "email",
        "hashed": True,
        "salt": credential.salt,
        "identity": recipient_hash(credential.recipient.email, credential.salt),
    }
    assert assertion["evidence"] == [
        {
            "type": "Evidence",
            "name": "Lesson plan on systems thinking",
            "id": "https://example.org/lesson-plan",
        }
    ]


def test_every_url_in_the_hosted_assertion_answers_an_anonymous_verifier(client, credential):
    assertion = client.get(
        f"/ob2/assertions/{credential.public_id}", HTTP_ACCEPT="application/ld+json"
    ).json()

    image = client.get(path(assertion["image"]))
    badge = client.get(path(assertion["badge"]), HTTP_ACCEPT="application/ld+json")

    assert assertion["image"] == (f"{settings.SITE_URL}/badges/{credential.badge_version.pk}/image")
    assert image.status_code == 200
    assert image["Content-Type"] in {"image/png", "image/svg+xml"}
    assert badge.status_code == 200


def test_browsers_asking_for_the_assertion_get_the_verification_page(client, credential):
    response = client.get(
        f"/ob2/assertions/{credential.public_id}", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*"
    )

    assert response.status_code == 302
    assert response["Location"] == f"/credentials/{credential.public_id}/"


def test_badge_class_and_issuer_are_hosted_and_linked(client, credential):
    assertion = client.get(f"/ob2/assertions/{credential.public_id}").json()
    badge_class = client.get(path(assertion["badge"])).json()
    issuer = client.get(path(badge_class["issuer"])).json()
    revocations = client.get(path(issuer["revocationList"])).json()

    assert badge_class["type"] == "BadgeClass"
    assert badge_class["name"] == credential.badge_version.title
    assert (
        len([a for a in badge_class["alignment"] if a["targetFramework"].startswith("Framework")])
        == 2
    )
    assert issuer["type"] == "Issuer"
    assert issuer["name"] == credential.issuer.name
    assert revocations == {
        "@context": "https://w3id.org/openbadges/v2",
        "id": issuer["revocationList"],
        "type": "RevocationList",
        "issuer": issuer["id"],
        "revokedAssertions": [],
    }


def test_baked_png_and_svg_round_trip(client, credential):
    client.force_login(credential.recipient)

    png = b"".join(client.get(f"/credentials/{credential.public_id}/badge.png").streaming_content)
    svg = b"".join(client.get(f"/credentials/{credential.public_id}/badge.svg").streaming_content)
    png2 = b"".join(
        client.get(f"/credentials/{credential.public_id}/badge-ob2.png").streaming_content
    )
    svg2 = b"".join(
        client.get(f"/credentials/{credential.public_id}/badge-ob2.svg").streaming_content
    )

    (ob3_text,) = baking.unbake_png(png, keyword="openbadgecredential")
    assert json.loads(ob3_text) == credential.ob3_credential
    assert baking.unbake_png(png, keyword="openbadges") == []
    assert json.loads(baking.unbake_svg(svg)["credential"][0]) == credential.ob3_credential
    assert baking.unbake_png(png2, keyword="openbadges") == [
        f"{settings.SITE_URL}/ob2/assertions/{credential.public_id}"
    ]
    assert baking.unbake_svg(svg2)["assertion"] == [
        f"{settings.SITE_URL}/ob2/assertions/{credential.public_id}"
    ]


def test_baking_twice_keeps_exactly_one_chunk():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, format="PNG")
    once = baking.bake_png(buffer.getvalue(), keyword="openbadges", text="https://a.example/1")
    twice = baking.bake_png(once, keyword="openbadges", text="https://a.example/2")

    assert baking.unbake_png(twice, keyword="openbadges") == ["https://a.example/2"]
    Image.open(io.BytesIO(twice)).verify()


def test_the_verification_page_shows_the_credential_without_login(client, credential):
    response = client.get(f"/credentials/{credential.public_id}/")
    html = response.content.decode()

    assert response.status_code == 200
    assert credential.badge_version.title in html
    assert credential.issuer.name in html
    assert response.context["check"].data_integrity is True
    assert response.context["check"].jwt is True
    assert "Signatures verified" in html
    assert '<meta property="og:title"' in html
    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in html
    assert "Lesson plan on systems thinking" in html
    assert "Private reflection" not in html
    assert credential.recipient.display_name not in html


def test_the_learner_decides_whether_their_name_shows(client, credential):
    client.force_login(credential.recipient)
    client.post(f"/credentials/{credential.public_id}/visibility/", {"show_name": "1"})
    client.logout()

    assert (
        credential.recipient.display_name
        in client.get(f"/credentials/{credential.public_id}/").content.decode()
    )


def test_someone_else_cannot_change_the_name_visibility(client, credential):
    client.force_login(UserFactory(roles=[Role.LEARNER]))

    response = client.post(f"/credentials/{credential.public_id}/visibility/", {"show_name": "1"})

    assert response.status_code == 404
    credential.refresh_from_db()
    assert credential.show_name is False


def test_the_verification_page_detects_a_tampered_stored_credential(client, credential):
    document = credential.ob3_credential
    document["credentialSubject"]["achievement"]["name"] = "Forged title"
    Credential.objects.filter(pk=credential.pk).update(ob3_credential=document)

    response = client.get(f"/credentials/{credential.public_id}/")

    assert response.context["check"].data_integrity is False
    assert "Signature check failed" in response.content.decode()


def test_revocation_is_reflected_everywhere(client, credential, coordinator):
    credential.badge_version.badge.constellation.coordinators.add(coordinator)
    client.force_login(coordinator)

    response = client.post(
        f"/credentials/{credential.public_id}/revoke/", {"reason": "Plagiarised evidence."}
    )
    client.logout()

    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.status == "revoked"
    gone = client.get(f"/ob2/assertions/{credential.public_id}")
    assert gone.status_code == 410
    assert gone.json()["revoked"] is True
    assert gone.json()["revocationReason"] == "Plagiarised evidence."
    revocations = client.get(f"/ob2/issuers/{credential.issuer.public_id}/revocations").json()
    assert revocations["revokedAssertions"] == [
        {
            "id": f"{settings.SITE_URL}/ob2/assertions/{credential.public_id}",
            "revocationReason": "Plagiarised evidence.",
        }
    ]
    status = credential.ob3_credential["credentialStatus"]
    status_list = client.get(path(status["statusListCredential"])).json()
    bits = decode_bitstring(status_list["credentialSubject"]["encodedList"])
    assert len(bits) * 8 == 131_072
    assert bit_is_set(bits, int(status["statusListIndex"])) is True
    assert sum(bin(b).count("1") for b in bits) == 1
    page = client.get(f"/credentials/{credential.public_id}/").content.decode()
    assert "Revoked" in page and "Plagiarised evidence." in page


def test_the_status_list_credential_is_signed(client, credential):
    from certificates.openbadges import signing
    from certificates.openbadges.verification import ed25519_resolver

    status_list = client.get(f"/ob3/status/{credential.issuer.public_id}").json()
    keys = list(credential.issuer.keys.all())

    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert (
        signing.di_verify(status_list, resolve_key=ed25519_resolver(credential.issuer, keys))
        is True
    )
    assert (
        bit_is_set(
            decode_bitstring(status_list["credentialSubject"]["encodedList"]),
            credential.status_index,
        )
        is False
    )


def test_the_revoke_command_revokes_with_a_reason(credential):
    out = io.StringIO()
    call_command(
        "revoke_credential", str(credential.public_id), "--reason", "Duplicate.", stdout=out
    )

    credential.refresh_from_db()
    assert credential.revocation_reason == "Duplicate."
    assert (
        out.getvalue()
        == f"revoked {credential.pk} {credential.public_id} ({credential.badge_version.title})\n"
    )


def test_revoking_needs_a_reason_and_happens_once(credential):
    from core.errors import WorkflowError

    with pytest.raises(WorkflowError):
        credential_revoke(actor=None, credential=credential, reason="  ")
    credential_revoke(actor=None, credential=credential, reason="Wrong learner.")
    with pytest.raises(WorkflowError):
        credential_revoke(actor=None, credential=credential, reason="Again.")


def test_a_coordinator_of_another_constellation_cannot_revoke(client, credential, coordinator):
    client.force_login(coordinator)

    response = client.post(f"/credentials/{credential.public_id}/revoke/", {"reason": "No."})

    assert response.status_code == 404
    credential.refresh_from_db()
    assert credential.revoked_at is None


def test_issued_credentials_lists_absolute_urls(credential):
    out = io.StringIO()
    call_command("issued_credentials", "--json", stdout=out)
    (row,) = json.loads(out.getvalue())

    assert row["id"] == str(credential.public_id)
    assert row["kind"] == "micro"
    assert row["status"] == "valid"
    assert row["recipient"] == credential.recipient.email
    for field in (
        "verification_url",
        "ob2_assertion_url",
        "ob3_credential_url",
        "ob3_jwt_url",
        "baked_png_url",
        "baked_svg_url",
        "baked_ob2_png_url",
        "baked_ob2_svg_url",
        "certificate_pdf_url",
        "report_pdf_url",
    ):
        assert row[field].startswith(settings.SITE_URL + "/")
    assert row["baked_ob2_png_url"].endswith(f"/credentials/{credential.public_id}/badge-ob2.png")


def test_issued_credentials_gives_no_report_url_for_a_milestone_credential(client, issuer):
    constellation = ConstellationFactory()
    micro = micro_badge(constellation=constellation, criteria=1)
    rule_badge(constellation=constellation, kind=BadgeKind.MILESTONE, required=[micro], count=1)
    learner = UserFactory(roles=["learner"])
    issued_credential(learner=learner, badge_version=micro)
    (milestone,) = credentials_check_rules(recipient=learner)
    out = io.StringIO()

    call_command("issued_credentials", "--json", stdout=out)

    rows = {row["id"]: row for row in json.loads(out.getvalue())}
    assert rows[str(milestone.public_id)]["kind"] == "milestone"
    assert rows[str(milestone.public_id)]["report_pdf_url"] is None
    assert rows[str(milestone.public_id)]["certificate_pdf_url"].endswith("/certificate.pdf")
    client.force_login(learner)
    report = client.get(f"/credentials/{milestone.public_id}/assessment-report.pdf")
    assert report.status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/credentials/{unknown}/",
        "/ob2/assertions/{unknown}",
        "/ob3/credentials/{unknown}.json",
        "/ob3/credentials/{unknown}.jwt",
        "/ob2/issuers/{unknown}",
        "/ob2/issuers/{unknown}/revocations",
        "/ob3/status/{unknown}",
        "/issuers/{unknown}",
        "/issuers/{unknown}/jwks.json",
        "/credentials/{unknown}/badge.png",
        "/badges/999999/image",
        "/competences/999999",
    ],
)
def test_unknown_ids_are_404(client, db, url):
    assert client.get(url.format(unknown=uuid.uuid4())).status_code == 404


@pytest.mark.parametrize(
    "url", ["/credentials/not-a-uuid/", "/ob2/assertions/1", "/ob3/credentials/..%2F..%2Fetc.json"]
)
def test_malformed_ids_are_404(client, db, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "name", ["badge.png", "badge.svg", "certificate.pdf", "assessment-report.pdf"]
)
def test_downloads_are_for_the_recipient_coordinators_and_auditors_only(
    client, credential, auditor, name
):
    url = f"/credentials/{credential.public_id}/{name}"
    anonymous = client.get(url)
    client.force_login(UserFactory(roles=[Role.LEARNER]))
    stranger = client.get(url)
    client.force_login(auditor)
    audit = client.get(url)
    audit.close()

    assert anonymous.status_code == 302
    assert stranger.status_code == 404
    assert audit.status_code == 200


def test_public_documents_cost_a_constant_small_number_of_queries(
    client, credential, django_assert_max_num_queries
):
    for url in (
        f"/credentials/{credential.public_id}/",
        f"/ob2/assertions/{credential.public_id}",
        f"/ob3/credentials/{credential.public_id}.json",
        f"/ob3/credentials/{credential.public_id}.jwt",
        f"/issuers/{credential.issuer.public_id}",
        f"/issuers/{credential.issuer.public_id}/jwks.json",
        f"/ob2/issuers/{credential.issuer.public_id}",
        f"/ob2/issuers/{credential.issuer.public_id}/revocations",
        f"/ob3/status/{credential.issuer.public_id}",
    ):
        with django_assert_max_num_queries(4):
            assert client.get(url).status_code == 200
    badge_class = client.get(f"/ob2/assertions/{credential.public_id}").json()["badge"]
    with django_assert_max_num_queries(4):
        assert client.get(path(badge_class)).status_code == 200


def test_the_verification_page_costs_the_same_with_more_credentials(
    client, issuer, django_assert_num_queries
):
    first = issued_credential()
    for _ in range(3):
        issued_credential()
    with django_assert_num_queries(2):
        client.get(f"/credentials/{first.public_id}/")


def test_a_pasted_credential_is_checked(client, credential):
    response = client.post(
        "/credentials/verify/", {"credential": json.dumps(credential.ob3_credential)}
    )
    jwt_response = client.post("/credentials/verify/", {"credential": credential.ob3_jwt})

    assert response.status_code == 200
    assert response.context["result"]["ok"] is True
    assert jwt_response.context["result"]["ok"] is True


def test_a_pasted_tampered_credential_is_refused(client, credential):
    document = json.loads(json.dumps(credential.ob3_credential))
    document["credentialSubject"]["achievement"]["name"] = "Forged"
    header, payload, signature = credential.ob3_jwt.split(".")

    forged = client.post("/credentials/verify/", {"credential": json.dumps(document)})
    forged_jwt = client.post(
        "/credentials/verify/", {"credential": f"{header}.{payload}.{signature[:-4]}AAAA"}
    )

    assert forged.status_code == 422
    assert forged.context["result"]["ok"] is False
    assert forged_jwt.status_code == 422


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "[1, 2]",
        '{"id": 5}',
        "a.b.c",
        "{" * 5000,
        '{"id": "https://evil.example/ob3/credentials/00000000-0000-0000-0000-000000000000.json", "proof": "x"}',
    ],
)
def test_garbage_pasted_into_the_verification_form_is_a_4xx(client, db, text):
    response = client.post("/credentials/verify/", {"credential": text})

    assert 400 <= response.status_code < 500


def test_a_revoked_credential_reads_as_revoked_when_pasted(client, credential):
    credential_revoke(actor=None, credential=credential, reason="Wrong learner.")

    response = client.post(
        "/credentials/verify/", {"credential": json.dumps(credential.ob3_credential)}
    )

    assert response.context["result"]["status"] == "revoked"
    assert response.status_code == 422


@pytest.mark.parametrize("name", ["badge.png", "certificate.pdf", "assessment-report.pdf"])
def test_downloads_answer_get_only(client, credential, name):
    client.force_login(credential.recipient)

    response = client.post(f"/credentials/{credential.public_id}/{name}")

    assert response.status_code == 405
