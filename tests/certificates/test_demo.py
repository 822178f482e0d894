import pytest

from certificates.demo import DEMO_REVOCATION_REASON, seed, seed_issuer, seed_revocation
from certificates.models import Credential, Issuer
from demo.accounts import seed_accounts
from tests.factories.certificates import approved_application, micro_badge, rule_badge
from tests.factories.frameworks import ConstellationFactory

pytestmark = pytest.mark.django_db


def test_the_demo_issues_a_milestone_for_lena_and_revokes_one_credential_idempotently(
    django_capture_on_commit_callbacks,
):
    accounts = seed_accounts()
    issuer = seed_issuer(accounts)
    constellation = ConstellationFactory(slug="sustainability")
    micros = [micro_badge(constellation=constellation, criteria=1) for _ in range(3)]
    milestone = rule_badge(constellation=constellation, required=micros, count=2)
    lena, mika = accounts.learners[0], accounts.learners[1]
    approved_application(learner=lena, badge_version=micros[0])
    approved_application(learner=lena, badge_version=micros[1])
    approved_application(learner=mika, badge_version=micros[0])

    seed(accounts)
    seed_revocation(accounts)
    state = list(Credential.objects.order_by("pk").values_list("pk", "revoked_at"))
    seed(accounts)
    seed_revocation(accounts)
    seed_issuer(accounts)

    assert issuer.country_code == "FI"
    assert issuer.keys.filter(active=True).count() == 2
    assert Issuer.objects.count() == 1
    assert Credential.objects.get(recipient=lena, badge_version=milestone).status == "valid"
    revoked = Credential.objects.get(revoked_at__isnull=False)
    assert revoked.recipient == mika
    assert revoked.revocation_reason == DEMO_REVOCATION_REASON
    assert list(Credential.objects.order_by("pk").values_list("pk", "revoked_at")) == state
