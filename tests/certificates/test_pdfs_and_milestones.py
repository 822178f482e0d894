import base64
import json

import pytest

from certificates.models import Credential
from certificates.pdf import (
    certificate_html,
    credential_pdfs_render,
    qr_png,
    report_html,
)
from certificates.services import credential_revoke, credentials_check_rules
from core.pdf import url_fetcher
from frameworks.models import BadgeKind
from tests.factories.certificates import (
    approved_application,
    issued_credential,
    micro_badge,
    rule_badge,
)
from tests.factories.core import UserFactory
from tests.factories.frameworks import ConstellationFactory
from tests.pdf_streams import pdf_streams

pytestmark = pytest.mark.django_db


def test_the_certificate_is_a_pdf_a_3_with_the_signed_credential_attached(issuer):
    credential = issued_credential()

    credential_pdfs_render(credential_id=credential.pk)
    credential.refresh_from_db()
    data = credential.certificate_pdf.read()
    credential.certificate_pdf.close()
    streams = list(pdf_streams(data))

    assert data.startswith(b"%PDF-")
    assert any(b"<pdfaid:part>3</pdfaid:part>" in s or b'pdfaid:part="3"' in s for s in streams)
    everything = data + b"".join(streams)
    assert b"/EmbeddedFile" in everything
    assert b"credential.json" in everything
    assert b"/AFRelationship /Source" in everything or b"/AFRelationship/Source" in everything
    assert credential.ob3_credential in [json.loads(s) for s in streams if s.startswith(b"{")]


def test_the_certificate_carries_every_eu_element_and_the_verification_url(issuer):
    credential = issued_credential()

    html = certificate_html(credential)

    for text in (
        credential.recipient_name,
        credential.badge_version.title,
        "FI, Uusimaa",
        credential.issuer.name,
        "Plans a lesson.",
        "1 ECTS",
        "25 hours",
        "EQF level 6",
        "Artefact (portfolio) assessment",
        "Online",
        "Internal quality assurance of the awarding institution.",
        f"https://badges.example.org/credentials/{credential.public_id}/",
    ):
        assert text in html
    qr = base64.b64encode(
        qr_png(f"https://badges.example.org/credentials/{credential.public_id}/")
    ).decode()
    assert f'<div class="qr"><img src="data:image/png;base64,{qr}"' in html


def test_the_assessment_report_lists_judgements_rounds_evidence_and_assessors(issuer):
    credential = issued_credential()

    html = report_html(credential)

    assert "Round 1" in html
    assert credential.application.rounds.get().reviews.get().assessor.display_name in html
    assert "Proficient" in html
    assert "Clear evidence for" in html
    assert "Lesson plan on systems thinking" in html
    assert "Private reflection" in html


def test_the_report_hides_assessors_when_the_badge_says_so(issuer):
    credential = issued_credential(badge_version=micro_badge(hide_assessors=True))

    html = report_html(credential)

    assert "Anonymous assessor" in html
    assert credential.application.rounds.get().reviews.get().assessor.display_name not in html


def test_the_pdf_url_fetcher_only_reaches_our_static_files(settings):
    fetcher = url_fetcher()

    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.org/tracker.png")
    assert fetcher.fetch(f"file://{settings.BASE_DIR}/static/img/logo.svg").status == 200


@pytest.fixture
def constellation(issuer):
    constellation = ConstellationFactory()
    micros = [micro_badge(constellation=constellation, criteria=1) for _ in range(3)]
    milestone = rule_badge(
        constellation=constellation, required=micros, count=2, title="Sustainability Literacy"
    )
    meta = rule_badge(
        constellation=constellation,
        kind=BadgeKind.META,
        required=[milestone],
        count=1,
        title="Meta",
    )
    return micros, milestone, meta


def test_meeting_the_n_of_m_rule_issues_the_milestone_and_meta_credentials_once(
    constellation, django_capture_on_commit_callbacks
):
    micros, milestone, meta = constellation
    learner = UserFactory(roles=["learner"])

    with django_capture_on_commit_callbacks(execute=True):
        issued_credential(learner=learner, badge_version=micros[0])
    assert Credential.objects.filter(recipient=learner, application__isnull=True).count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        second = issued_credential(learner=learner, badge_version=micros[1])
    assert credentials_check_rules(recipient=learner) == []

    earned = Credential.objects.get(recipient=learner, badge_version=milestone)
    top = Credential.objects.get(recipient=learner, badge_version=meta)
    assert set(earned.components.all()) == {
        Credential.objects.get(application__badge_version=micros[0]),
        second,
    }
    assert list(top.components.all()) == [earned]
    assert [e["name"] for e in earned.ob3_credential["evidence"]] == [
        micros[0].title,
        micros[1].title,
    ]


def test_revoking_a_needed_component_revokes_the_milestone_and_the_meta_badge(
    constellation, django_capture_on_commit_callbacks
):
    micros, milestone, meta = constellation
    learner = UserFactory(roles=["learner"])
    with django_capture_on_commit_callbacks(execute=True):
        first = issued_credential(learner=learner, badge_version=micros[0])
        issued_credential(learner=learner, badge_version=micros[1])

    revoked = credential_revoke(actor=None, credential=first, reason="Plagiarism.")

    assert [c.badge_version for c in revoked] == [micros[0], milestone, meta]
    earned = Credential.objects.get(recipient=learner, badge_version=milestone)
    assert (
        earned.revocation_reason
        == f"A component credential it required was revoked ({micros[0].title}): Plagiarism."
    )


def test_the_milestone_stays_valid_when_other_credentials_still_meet_the_rule(
    constellation, django_capture_on_commit_callbacks
):
    micros, milestone, _meta = constellation
    learner = UserFactory(roles=["learner"])
    with django_capture_on_commit_callbacks(execute=True):
        first = issued_credential(learner=learner, badge_version=micros[0])
        issued_credential(learner=learner, badge_version=micros[1])
        issued_credential(learner=learner, badge_version=micros[2])

    revoked = credential_revoke(actor=None, credential=first, reason="Plagiarism.")

    assert revoked == [first]
    assert Credential.objects.get(recipient=learner, badge_version=milestone).status == "valid"


def test_the_portfolio_shows_the_progress_map(
    client, constellation, django_capture_on_commit_callbacks
):
    micros, milestone, _meta = constellation
    learner = UserFactory(roles=["learner"])
    with django_capture_on_commit_callbacks(execute=True):
        issued_credential(learner=learner, badge_version=micros[0])
    client.force_login(learner)

    response = client.get("/my-credentials/")
    (item,) = response.context["constellations"]
    rule = next(r for r in item.rules if r.version == milestone)

    assert response.status_code == 200
    assert [b.state for b in rule.items] == ["earned", "not_started", "not_started"]
    assert rule.still_needed == 1
    assert "1 more badge needed (2 required)." in response.content.decode()


def test_an_earned_milestone_reads_as_met_not_as_zero_needed(
    client, constellation, django_capture_on_commit_callbacks
):
    micros, _milestone, _meta = constellation
    learner = UserFactory(roles=["learner"])
    with django_capture_on_commit_callbacks(execute=True):
        issued_credential(learner=learner, badge_version=micros[0])
    with django_capture_on_commit_callbacks(execute=True):
        issued_credential(learner=learner, badge_version=micros[1])
    client.force_login(learner)

    content = client.get("/my-credentials/").content.decode()

    assert "Requirement met: 2 held, 2 required." in content
    assert "0 more badges needed" not in content


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_issuings_create_exactly_one_credential_on_postgresql(issuer):
    import threading

    from certificates.services import credential_issue_for_application

    application = approved_application()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        from django.db import connections

        try:
            barrier.wait()
            results.append(credential_issue_for_application(application_id=application.pk).pk)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(set(results)) == 1
    assert Credential.objects.filter(application=application).count() == 1
