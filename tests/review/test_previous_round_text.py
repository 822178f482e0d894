"""In round 2 the assessor reads what the learner wrote before beside what they write now."""

import pytest
from django.urls import reverse

from applications import services as app_services
from applications.models import ApplicationState, EvidenceItem, EvidenceKind
from review.models import Recommendation
from tests.e2e_helpers import texts
from tests.factories.review import scenario

S = ApplicationState
pytestmark = pytest.mark.django_db


def test_a_revised_reflection_shows_the_previous_text_beside_the_new_one(client):
    sc = scenario(criteria=1)
    criterion = sc.application.badge_version.criteria.get()
    reflection = app_services.evidence_add(
        actor=sc.learner,
        application=sc.application,
        kind=EvidenceKind.REFLECTION,
        description="My reflection",
        criteria=[criterion],
        text="<p>I planned one lesson.</p>",
    )
    sc.to(S.IN_REVIEW)
    sc.decide(Recommendation.REQUEST_CHANGES)
    app_services.evidence_update(
        actor=sc.learner,
        item=EvidenceItem.objects.get(pk=reflection.pk),
        description="My reflection",
        criteria=[criterion],
        text="<p>I planned three lessons and tried them.</p>",
    )
    sc.submit()
    sc.start_review()

    client.force_login(sc.assessor)
    for url in (
        reverse("review:review", kwargs={"pk": sc.application.pk}),
        reverse("applications:round_detail", kwargs={"pk": sc.application.pk, "number": 2}),
    ):
        html = client.get(url).content.decode()
        assert texts(html, "li", "diff-changed") == [
            "Changed Written reflection My reflection I planned three lessons and tried them. "
            "before: Written reflection My reflection I planned one lesson."
        ], url
