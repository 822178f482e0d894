"""A GET only reads: the status list is served as it was signed when the issuer got its keys,
and a download serves the stored file or, for a PDF not stored yet, renders it in memory;
neither changes a row or a stored file."""

import pytest
from django.core.files.storage import default_storage

from certificates.models import Credential, StatusList
from certificates.openbadges import signing
from certificates.openbadges.status_list import decode_bitstring
from certificates.openbadges.verification import ed25519_resolver
from certificates.pdf import credential_pdfs_render
from certificates.selectors import published_keys_of
from core.models import AuditEvent
from tests.e2e_helpers import body
from tests.factories.certificates import IssuerFactory, issued_credential

pytestmark = pytest.mark.django_db


def stored_state() -> dict:
    """What a GET could write: credentials, status lists, audit events, stored PDFs."""
    pdfs = (
        default_storage.listdir("credentials/pdf")[1]
        if default_storage.exists("credentials/pdf")
        else []
    )
    return {
        "credentials": list(Credential.objects.order_by("pk").values()),
        "status_lists": list(StatusList.objects.order_by("pk").values()),
        "audit_events": list(AuditEvent.objects.order_by("pk").values_list("pk", flat=True)),
        "pdfs": sorted(pdfs),
    }


def downloaded(response) -> bytes:
    # Read through the shared helper: closing a streamed response a second time would fire
    # request_finished outside the test client and drop the test's database connection.
    return body(response)


def test_an_issuer_that_gets_its_keys_has_a_signed_empty_status_list(issuer):
    status_list = StatusList.objects.get(issuer=issuer)
    document = status_list.signed_credential
    keys = published_keys_of(issuer.pk)

    assert signing.di_verify(document, resolve_key=ed25519_resolver(issuer, keys)) is True
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert set(decode_bitstring(document["credentialSubject"]["encodedList"])) == {0}
    assert status_list.next_index == 0


def test_the_status_list_is_served_as_signed_and_the_get_writes_nothing(client, issuer):
    before = stored_state()

    response = client.get(f"/ob3/status/{issuer.public_id}")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+ld+json; charset=utf-8"
    assert response.json() == StatusList.objects.get(issuer=issuer).signed_credential
    assert stored_state() == before


def test_an_issuer_without_keys_has_no_status_list_and_the_get_writes_nothing(client, db):
    issuer = IssuerFactory(with_keys=False)
    before = stored_state()

    response = client.get(f"/ob3/status/{issuer.public_id}")

    assert response.status_code == 404
    assert stored_state() == before
    assert StatusList.objects.filter(issuer=issuer).exists() is False


@pytest.mark.parametrize(
    ("name", "suffix"),
    [("certificate.pdf", "certificate.pdf"), ("assessment-report.pdf", "assessment-report.pdf")],
)
def test_a_pdf_not_stored_yet_is_rendered_for_the_download_and_not_stored(
    client, issuer, name, suffix
):
    credential = issued_credential()
    client.force_login(credential.recipient)
    before = stored_state()

    response = client.get(f"/credentials/{credential.public_id}/{name}")
    body = downloaded(response)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="credential-{str(credential.public_id)[:8]}-{suffix}"'
    )
    assert body.startswith(b"%PDF-")
    assert stored_state() == before
    credential.refresh_from_db()
    assert (credential.certificate_pdf.name, credential.report_pdf.name) == ("", "")


def test_a_stored_certificate_is_served_as_stored(client, issuer):
    credential = issued_credential()
    credential_pdfs_render(credential_id=credential.pk)
    credential.refresh_from_db()
    with credential.certificate_pdf.open("rb") as stored:
        expected = stored.read()
    client.force_login(credential.recipient)
    before = stored_state()

    response = client.get(f"/credentials/{credential.public_id}/certificate.pdf")

    assert response.status_code == 200
    assert downloaded(response) == expected
    assert stored_state() == before
