import pytest

from certificates.models import Issuer
from tests.factories.certificates import issued_credential

pytestmark = pytest.mark.django_db


def test_coordinators_and_auditors_see_the_issuers_and_their_public_keys(
    client, coordinator, auditor, issuer
):
    for user in (coordinator, auditor):
        client.force_login(user)
        response = client.get("/issuers/")
        assert response.status_code == 200
        html = response.content.decode()
        assert issuer.name in html
        for key in issuer.keys.all():
            assert key.key_id in html


def test_learners_may_not_open_the_issuer_pages(client, learner, issuer):
    client.force_login(learner)

    assert client.get("/issuers/").status_code == 403
    assert client.get("/issuers/new/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    assert client.get("/issuers/").status_code == 302
    assert client.get("/my-credentials/").status_code == 302


def test_a_coordinator_creates_an_issuer_with_keys(client, coordinator):
    client.force_login(coordinator)

    response = client.post(
        "/issuers/new/",
        {
            "name": "Teacher Academy",
            "url": "https://academy.example.org",
            "email": "a@example.org",
            "country_code": "fi",
            "region": "Uusimaa",
            "description": "",
        },
    )

    assert response.status_code == 302
    issuer = Issuer.objects.get()
    assert issuer.country_code == "FI"
    assert sorted(issuer.keys.values_list("algorithm", flat=True)) == ["Ed25519", "RS256"]


def test_a_bad_country_code_is_a_form_error(client, coordinator):
    client.force_login(coordinator)

    response = client.post(
        "/issuers/new/",
        {
            "name": "X",
            "url": "https://x.example.org",
            "email": "a@example.org",
            "country_code": "Finland",
        },
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["country_code"]
    assert Issuer.objects.count() == 0


@pytest.mark.parametrize("count", [1, 4])
def test_the_portfolio_costs_the_same_for_one_or_many_credentials(
    client, learner, issuer, count, django_assert_num_queries
):
    for _ in range(count):
        issued_credential(learner=learner)
    client.force_login(learner)
    client.get("/my-credentials/")

    with django_assert_num_queries(7):
        response = client.get("/my-credentials/")

    assert len(response.context["credentials"]) == count
