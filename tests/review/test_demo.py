import pytest

from applications.models import Application
from review.models import ConflictOfInterest

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_has_applications_in_every_state_and_runs_twice_without_change():
    from certificates import demo as certificates_demo
    from demo.accounts import seed_accounts
    from frameworks import demo as frameworks_demo
    from review import demo

    accounts = seed_accounts()
    frameworks_demo.seed(accounts)
    certificates_demo.seed_issuer(accounts)
    demo.seed(accounts)
    states = sorted(set(Application.objects.values_list("state", flat=True)))
    assert states == sorted(
        [
            "draft",
            "submitted",
            "in_review",
            "changes_requested",
            "in_moderation",
            "approved",
            "rejected",
            "withdrawn",
        ]
    )
    lena = accounts.learners[0]
    two_rounds = Application.objects.get(
        learner=lena, badge_version__badge__slug="knowledgeable-problem-articulator"
    )
    assert (two_rounds.state, two_rounds.round_count) == ("approved", 2)
    assert ConflictOfInterest.objects.filter(
        assessor=accounts.assessors[2], cohort=accounts.cohorts[1]
    ).exists()
    count = Application.objects.count()
    demo.seed(accounts)
    assert Application.objects.count() == count
