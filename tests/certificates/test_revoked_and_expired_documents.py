"""The documents of a revoked or expired credential: the PDFs carry a REVOKED / EXPIRED mark
with the date (stored by the task, or rendered at serving time until then), the baked badge
images are refused with 410, and a valid credential's documents carry no mark."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import formats, timezone, translation

from certificates.models import Credential
from certificates.pdf import certificate_html, credential_pdfs_render, report_html
from certificates.services import credential_revoke, credentials_mark_stale_pdfs
from tests.factories.certificates import issued_credential
from tests.factories.core import UserFactory
from tests.pdf_streams import pdf_text

pytestmark = pytest.mark.django_db

REASON = "Evidence was copied from another learner."


def _date(moment, language="en") -> str:
    with translation.override(language):
        return formats.date_format(moment, "DATE_FORMAT")


def _utf8(text: str) -> str:
    """`text` as pdf_text shows it in the PDF's XMP metadata (UTF-8 read as latin-1)."""
    return text.encode().decode("latin-1")


def _read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def _download(client, credential, name: str):
    response = client.get(f"/credentials/{credential.public_id}/{name}")
    return response, b"".join(response.streaming_content) if response.streaming else b""


def _expire(credential, *, days_ago=3) -> Credential:
    Credential.objects.filter(pk=credential.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    credential.refresh_from_db()
    return credential


def test_revoking_stores_certificate_and_report_marked_revoked_with_date_and_reason(
    issuer, django_capture_on_commit_callbacks
):
    credential = issued_credential()
    credential_pdfs_render(credential_id=credential.pk)
    credential.refresh_from_db()
    clean_name = credential.certificate_pdf.name

    with django_capture_on_commit_callbacks(execute=True):
        credential_revoke(actor=None, credential=credential, reason=REASON)

    credential.refresh_from_db()
    date = _date(credential.revoked_at)
    stem = credential.public_id.hex
    assert credential.pdfs_status == "revoked"
    assert credential.certificate_pdf.name == f"credentials/pdf/{stem}-certificate-revoked.pdf"
    assert credential.report_pdf.name == f"credentials/pdf/{stem}-report-revoked.pdf"
    assert not credential.certificate_pdf.storage.exists(clean_name)
    certificate = pdf_text(_read(credential.certificate_pdf))
    title = credential.badge_version.title
    assert _utf8(f'<rdf:li xml:lang="x-default">REVOKED · {title}</rdf:li>') in certificate
    assert _utf8(f"Certificate: {title} — REVOKED: Revoked on {date}.") in certificate
    assert "<pdf:Keywords>REVOKED</pdf:Keywords>" in certificate
    report = pdf_text(_read(credential.report_pdf))
    assert "<pdf:Keywords>REVOKED</pdf:Keywords>" in report
    assert f"REVOKED: Revoked on {date}." in report


def test_the_certificate_page_shows_the_large_mark_the_date_and_the_reason(issuer):
    credential = issued_credential()
    credential_revoke(actor=None, credential=credential, reason=REASON)
    credential.refresh_from_db()
    date = _date(credential.revoked_at)

    for html in (certificate_html(credential), report_html(credential)):
        assert '<div class="watermark watermark-revoked" aria-hidden="true">REVOKED</div>' in html
        assert '<p class="mark-word">REVOKED</p>' in html
        assert (
            f'<p class="mark-sentence">Revoked on {date}. This credential is no longer valid.</p>'
            in html
        )
        assert f'<p class="mark-reason">Reason: {REASON}</p>' in html


def test_the_mark_is_in_the_credentials_language(issuer):
    credential = issued_credential()
    Credential.objects.filter(pk=credential.pk).update(language="de")
    credential_revoke(actor=None, credential=credential, reason=REASON)
    credential.refresh_from_db()

    html = certificate_html(credential)

    date = _date(credential.revoked_at, "de")
    assert f'<p class="mark-sentence">Widerrufen am {date}.' in html
    assert f'<p class="mark-reason">Begründung: {REASON}</p>' in html


def test_a_valid_credentials_documents_carry_no_mark(issuer):
    credential = issued_credential()

    credential_pdfs_render(credential_id=credential.pk)
    credential.refresh_from_db()

    assert credential.pdfs_status == "valid"
    for field in (credential.certificate_pdf, credential.report_pdf):
        text = pdf_text(_read(field))
        assert "REVOKED" not in text
        assert "EXPIRED" not in text
    for html in (certificate_html(credential), report_html(credential)):
        assert '<p class="mark-word">' not in html
        assert '<div class="watermark' not in html


def test_a_download_after_revocation_is_marked_before_the_task_stored_it_and_writes_nothing(
    client, issuer
):
    credential = issued_credential()
    credential_pdfs_render(credential_id=credential.pk)
    # Revoked; the re-rendering enqueued on commit has not run (the test's transaction).
    credential_revoke(actor=None, credential=credential, reason=REASON)
    credential.refresh_from_db()
    before = Credential.objects.values().get(pk=credential.pk)
    client.force_login(credential.recipient)

    response, pdf = _download(client, credential, "certificate.pdf")
    _, report = _download(client, credential, "assessment-report.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "<pdf:Keywords>REVOKED</pdf:Keywords>" in pdf_text(pdf)
    assert "<pdf:Keywords>REVOKED</pdf:Keywords>" in pdf_text(report)
    assert Credential.objects.values().get(pk=credential.pk) == before
    assert before["pdfs_status"] == "valid"


def test_after_expiry_the_download_is_marked_expired_at_serving_time(client, issuer):
    credential = issued_credential()
    credential_pdfs_render(credential_id=credential.pk)
    credential = _expire(credential)
    client.force_login(credential.recipient)

    response, pdf = _download(client, credential, "certificate.pdf")

    text = pdf_text(pdf)
    assert response.status_code == 200
    assert "<pdf:Keywords>EXPIRED</pdf:Keywords>" in text
    assert f"EXPIRED: Expired on {_date(credential.expires_at)}." in text
    assert "REVOKED" not in text


def test_the_daily_command_stores_the_marked_pdfs_of_expired_credentials_once(
    issuer, django_capture_on_commit_callbacks
):
    credential = issued_credential()
    credential_pdfs_render(credential_id=credential.pk)
    credential = _expire(credential)
    valid = issued_credential(badge_version=credential.badge_version)
    credential_pdfs_render(credential_id=valid.pk)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("credentials_daily", stdout=(out := _Out()))

    credential.refresh_from_db()
    assert out.text == "reminded 0, documents to mark 1\n"
    assert credential.pdfs_status == "expired"
    assert credential.certificate_pdf.name.endswith("-certificate-expired.pdf")
    assert "<pdf:Keywords>EXPIRED</pdf:Keywords>" in pdf_text(_read(credential.certificate_pdf))
    assert Credential.objects.get(pk=valid.pk).pdfs_status == "valid"
    assert credentials_mark_stale_pdfs() == 0


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


BAKED = ("badge.png", "badge.svg", "badge-ob2.png", "badge-ob2.svg")


def test_baked_images_of_a_revoked_credential_are_gone_with_a_page_that_says_why(client, issuer):
    credential = issued_credential()
    credential_revoke(actor=None, credential=credential, reason=REASON)
    credential.refresh_from_db()
    client.force_login(credential.recipient)

    for name in BAKED:
        response = client.get(f"/credentials/{credential.public_id}/{name}")
        html = response.content.decode()
        assert response.status_code == 410, name
        assert response["Content-Type"] == "text/html; charset=utf-8"
        assert "<h1>This badge image is no longer available</h1>" in html
        assert (
            f'<p class="revocation" role="alert">Revoked on {_date(credential.revoked_at)}. '
            f"Reason: {REASON}</p>" in html
        )
        assert f'href="/credentials/{credential.public_id}/certificate.pdf"' in html


def test_baked_images_of_an_expired_credential_are_gone(client, issuer):
    credential = _expire(issued_credential())
    client.force_login(credential.recipient)

    for name in BAKED:
        response = client.get(f"/credentials/{credential.public_id}/{name}")
        assert response.status_code == 410, name
        assert (
            f'<p class="revocation" role="alert">Expired on {_date(credential.expires_at)}.</p>'
            in response.content.decode()
        )


def test_others_still_get_404_and_anonymous_visitors_the_sign_in_for_a_revoked_credential(
    client, issuer
):
    credential = issued_credential()
    credential_revoke(actor=None, credential=credential, reason=REASON)

    anonymous = client.get(f"/credentials/{credential.public_id}/badge.png")
    client.force_login(UserFactory())
    stranger = client.get(f"/credentials/{credential.public_id}/badge.png")

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert stranger.status_code == 404


def test_a_valid_credentials_baked_image_is_still_served(client, issuer):
    credential = issued_credential()
    client.force_login(credential.recipient)

    response, data = _download(client, credential, "badge.png")

    assert response.status_code == 200
    assert data.startswith(b"\x89PNG")
