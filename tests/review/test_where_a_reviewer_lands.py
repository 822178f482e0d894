"""After deciding, a reviewer lands on their own desk, and the application page speaks to the
learner only when the learner reads it."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from applications.models import ApplicationState
from review.models import Recommendation
from tests.factories.review import scenario
from tests.review.test_views import review_post

S = ApplicationState
pytestmark = pytest.mark.django_db


def test_an_assessor_who_approves_lands_on_the_queue_told_what_was_decided(client):
    sc = scenario()
    app = sc.to(S.IN_REVIEW)
    client.force_login(sc.assessor)
    response = client.post(reverse("review:review", kwargs={"pk": app.pk}), review_post(app))
    assert (response.status_code, response["Location"]) == (302, reverse("review:queue"))
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Your review of “{app.badge_version.title}” by Lena Learner was submitted. "
        "The application is now: Approved."
    ]


def test_a_coordinator_who_moderates_lands_on_the_overview(client):
    sc = scenario(double=True)
    app = sc.to(S.IN_MODERATION)
    client.force_login(sc.coordinator)
    response = client.post(reverse("review:moderate", kwargs={"pk": app.pk}), review_post(app))
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("review:coordinator_overview"),
    )


def test_the_approved_application_says_the_badge_is_yours_only_to_the_learner(client):
    sc = scenario()
    app = sc.to(S.IN_REVIEW)
    sc.decide(Recommendation.APPROVE)
    url = reverse("applications:detail", kwargs={"pk": app.pk})
    seen = {}
    for who, user in (
        ("learner", sc.learner),
        ("assessor", sc.assessor),
        ("coordinator", sc.coordinator),
    ):
        client.force_login(user)
        html = client.get(url).content.decode()
        seen[who] = (
            "the badge is yours" in html,
            "the credential is issued to the learner" in html,
        )
    assert seen == {
        "learner": (True, False),
        "assessor": (False, True),
        "coordinator": (False, True),
    }
