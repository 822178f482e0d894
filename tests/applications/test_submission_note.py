"""The note to the assessor is never silently dropped."""

import pytest
from django.urls import reverse

from applications.models import Application, ApplicationState
from tests.factories.review import scenario

S = ApplicationState
pytestmark = pytest.mark.django_db


def test_a_too_long_note_refuses_the_submission_instead_of_dropping_the_note(client):
    sc = scenario()
    client.force_login(sc.learner)
    url = reverse("applications:submit", kwargs={"pk": sc.application.pk})
    response = client.post(url, {"note": "x" * 5001}, follow=True)
    application = Application.objects.get(pk=sc.application.pk)
    assert application.state == S.DRAFT
    assert application.rounds.count() == 0
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "The note to the assessor can be at most 5000 characters long; nothing was submitted."
    ]


def test_a_note_within_the_limit_is_kept_with_the_round(client):
    sc = scenario()
    client.force_login(sc.learner)
    url = reverse("applications:submit", kwargs={"pk": sc.application.pk})
    client.post(url, {"note": "y" * 5000})
    assert Application.objects.get(pk=sc.application.pk).rounds.get().learner_note == "y" * 5000
