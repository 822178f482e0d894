"""After `seed_demo`, every demo person's home page shows real work for each of their roles.

Transactional, as the demo's approvals issue credentials after commit (as in production).
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.models import User

pytestmark = [pytest.mark.slow]


@pytest.mark.django_db(transaction=True)
def test_every_demo_persons_home_page_has_something_to_do_or_to_read(client):
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())

    def home_of(email):
        client.force_login(User.objects.get(email=email))
        return client.get(reverse("home")).context

    lena = home_of("learner@example.org")["learner"]
    ada = home_of("assessor@example.org")["assessor"]
    bram = home_of("bram@example.org")
    cora = home_of("coordinator@example.org")["coordinator"]
    otto = home_of("auditor@example.org")["auditor"]

    assert [a.badge_version.badge.slug for a in lena.action] == ["systems-thinking-promoter"]
    assert lena.credential_count == 3
    assert lena.feedback_count == 3  # decided rounds of the last 30 days
    assert [r.version.title for r in lena.progress if r.credential] == ["Sustainability Literacy"]
    assert ada.review_count == 2
    assert bram["assessor"].review_count == 3
    assert "learner" in bram
    assert cora.overdue_count == 4
    assert cora.disagreement_count == 1
    assert cora.draft_count == 1
    assert otto.figures["applications"] > 0
    assert otto.figures["credentials"]["revoked"] == 1
