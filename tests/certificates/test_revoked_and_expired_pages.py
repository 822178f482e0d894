"""Every page that shows a credential, or the application it was issued for, says that it
was revoked (with the date and the reason) or has expired; no sharing is offered then."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone

from certificates.models import Credential
from certificates.services import credential_revoke
from tests.factories.certificates import issued_credential

pytestmark = pytest.mark.django_db

REASON = "Evidence was copied from another learner."


def _date(moment) -> str:
    return formats.date_format(moment, "DATE_FORMAT")


def _revoked() -> Credential:
    credential = issued_credential()
    credential_revoke(actor=None, credential=credential, reason=REASON)
    credential.refresh_from_db()
    return credential


def _expired() -> Credential:
    credential = issued_credential()
    Credential.objects.filter(pk=credential.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=2)
    )
    credential.refresh_from_db()
    return credential


def _revoked_sentence(credential) -> str:
    return (
        f'<p class="revocation">Revoked on {_date(credential.revoked_at)}. '
        f"This credential is no longer valid. Reason: {REASON}</p>"
    )


def test_the_public_page_of_a_revoked_credential_says_so_and_offers_no_sharing(client, issuer):
    credential = _revoked()

    html = client.get(f"/credentials/{credential.public_id}/").content.decode()

    assert '<span class="state state-revoked">Revoked</span>' in html
    assert f'<div class="status-notice" role="alert">{_revoked_sentence(credential)}' in html
    assert "linkedin.com" not in html
    assert (
        f'<meta property="og:title" content="Revoked: {credential.badge_version.title} — ' in html
    )
    assert 'state-valid">Valid<' not in html
    assert "Verified credential" not in html


def test_the_public_page_of_a_valid_credential_offers_sharing(client, issuer):
    credential = issued_credential()

    html = client.get(f"/credentials/{credential.public_id}/").content.decode()

    assert '<span class="state state-valid">Valid</span>' in html
    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in html
    assert "status-notice" not in html


def test_the_holder_of_a_revoked_credential_gets_the_marked_pdf_but_no_badge_images_nor_sharing(
    client, issuer
):
    credential = _revoked()
    client.force_login(credential.recipient)

    html = client.get(f"/credentials/{credential.public_id}/").content.decode()

    assert (
        f'href="https://badges.example.org/credentials/{credential.public_id}/certificate.pdf"'
        in html
    )
    assert "badge.png" not in html
    assert "badge.svg" not in html
    assert "linkedin.com" not in html
    assert (
        "Its documents are marked accordingly; badge images are not offered and sharing is off "
        "for a credential that is no longer valid." in html
    )
    assert "visitors see only that the credential is valid" not in html


def test_the_public_page_of_an_expired_credential_says_so(client, issuer):
    credential = _expired()

    html = client.get(f"/credentials/{credential.public_id}/").content.decode()

    assert '<span class="state state-expired">Expired</span>' in html
    assert (
        f'<p class="revocation">Expired on {_date(credential.expires_at)}. '
        "This credential is no longer valid.</p>" in html
    )
    assert "linkedin.com" not in html


def test_the_portfolio_says_which_credential_was_revoked_and_offers_no_badge_image(client, issuer):
    credential = _revoked()
    client.force_login(credential.recipient)

    html = client.get("/my-credentials/").content.decode()

    assert '<span class="state state-revoked">Revoked</span>' in html
    assert _revoked_sentence(credential) in html
    assert f"/credentials/{credential.public_id}/certificate.pdf" in html
    assert f"/credentials/{credential.public_id}/badge.png" not in html


def test_the_learners_application_of_a_revoked_credential_no_longer_reads_as_just_approved(
    client, issuer
):
    credential = _revoked()
    client.force_login(credential.recipient)

    detail = client.get(
        reverse("applications:detail", kwargs={"pk": credential.application_id})
    ).content.decode()
    listing = client.get(reverse("applications:my_applications")).content.decode()

    revoked = '<span class="state state-revoked">Credential revoked</span>'
    assert revoked in detail
    assert (
        '<p class="explanation outcome" role="alert">Approved, but the credential issued for it '
        f"was revoked on {_date(credential.revoked_at)}: it is no longer valid. "
        f"Reason: {REASON}</p>" in detail
    )
    assert "the badge is yours" not in detail
    assert revoked in listing


def test_the_coordinator_sees_on_the_application_that_its_credential_was_revoked(
    client, issuer, coordinator
):
    credential = _revoked()
    credential.badge_version.badge.constellation.coordinators.add(coordinator)
    client.force_login(coordinator)

    detail = client.get(
        reverse("applications:detail", kwargs={"pk": credential.application_id})
    ).content.decode()

    assert '<span class="state state-revoked">Credential revoked</span>' in detail


def test_the_application_of_an_expired_credential_says_it_expired(client, issuer):
    credential = _expired()
    client.force_login(credential.recipient)

    detail = client.get(
        reverse("applications:detail", kwargs={"pk": credential.application_id})
    ).content.decode()

    assert '<span class="state state-expired">Credential expired</span>' in detail
    assert (
        "Approved; the credential issued for it expired on "
        f"{_date(credential.expires_at)}: it is no longer valid." in detail
    )


def test_the_application_of_a_valid_credential_shows_no_outcome(client, issuer):
    credential = issued_credential()
    client.force_login(credential.recipient)

    detail = client.get(
        reverse("applications:detail", kwargs={"pk": credential.application_id})
    ).content.decode()

    assert "Credential revoked" not in detail
    assert 'class="explanation outcome"' not in detail


def test_my_applications_costs_the_same_queries_for_one_and_four_approved_applications(
    client, issuer
):
    first = _revoked()
    learner = first.recipient
    client.force_login(learner)
    url = reverse("applications:my_applications")
    client.get(url)  # warm caches

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        issued_credential(learner=learner)
    with CaptureQueriesContext(connection) as four:
        html = client.get(url).content.decode()

    assert len(one) == len(four)
    assert html.count("Credential revoked") == 1


def test_the_verification_form_gives_the_date_and_reason_of_a_revocation(client, issuer):
    credential = _revoked()

    response = client.post(
        "/credentials/verify/", {"credential": json.dumps(credential.ob3_credential)}
    )

    html = response.content.decode()
    assert (
        f"The credential is revoked. {REASON}\n"
        f"      Revoked on {_date(credential.revoked_at)}.\n" in html
    )


def test_the_coordinators_credential_list_shows_the_status_in_words(client, issuer, coordinator):
    credential = _revoked()
    credential.badge_version.badge.constellation.coordinators.add(coordinator)
    client.force_login(coordinator)

    html = client.get("/issuers/").content.decode()

    assert '<span class="state state-revoked">Revoked</span>' in html
