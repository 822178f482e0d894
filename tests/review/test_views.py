import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationState
from review.models import Recommendation
from tests.factories.review import scenario

S = ApplicationState
pytestmark = pytest.mark.django_db


def review_post(application, *, met=True, recommendation="approve", action="submit", changes=""):
    data = {"action": action, "recommendation": recommendation, "overall_feedback": "Good work."}
    for criterion in application.badge_version.criteria.all():
        data[f"outcome_{criterion.pk}"] = "met" if met else "not_yet"
        data[f"feedback_{criterion.pk}"] = f"About {criterion.code}"
        data[f"changes_{criterion.pk}"] = changes
    return data


def test_the_full_round_trip_in_the_browser(client):
    sc = scenario(criteria=2)
    app = sc.submit()
    first, second = app.badge_version.criteria.order_by("order", "id")
    client.force_login(sc.assessor)
    assert client.post(reverse("review:start", kwargs={"pk": app.pk})).status_code == 302
    data = review_post(app, recommendation="request_changes")
    data[f"outcome_{second.pk}"] = "not_yet"
    data[f"changes_{second.pk}"] = "Add the lesson plan you used.\nExplain the outcome."
    data[f"changes_{first.pk}"] = ""
    response = client.post(reverse("review:review", kwargs={"pk": app.pk}), data)
    assert response.status_code == 302
    assert sc.refresh().state == S.CHANGES_REQUESTED

    client.force_login(sc.learner)
    page = client.get(reverse("applications:detail", kwargs={"pk": app.pk})).content.decode()
    assert "<li>Add the lesson plan you used.</li>" in page
    assert "<li>Explain the outcome.</li>" in page
    assert "Changes requested" in page
    item = sc.application.evidence.filter(criteria=second).get()
    from tests.factories.applications import PDF_BYTES, pdf_upload

    client.post(
        reverse("applications:evidence_edit", kwargs={"pk": app.pk, "item_pk": item.pk}),
        {
            "description": "Lesson plan",
            "criteria": [second.pk],
            "file": pdf_upload("plan.pdf", PDF_BYTES + b"%2"),
        },
    )
    client.post(reverse("applications:submit", kwargs={"pk": app.pk}))
    assert sc.refresh().state == S.SUBMITTED

    client.force_login(sc.assessor)
    client.post(reverse("review:start", kwargs={"pk": app.pk}))
    page = client.get(reverse("review:review", kwargs={"pk": app.pk})).content.decode()
    assert page.count('class="change-flag"') == 1  # only the revised criterion changed
    assert "Lesson plan" in page and "Changed" in page
    response = client.post(reverse("review:review", kwargs={"pk": app.pk}), review_post(app))
    assert sc.refresh().state == S.APPROVED


def test_two_assessors_disagree_and_a_coordinator_moderates_in_the_browser(client):
    sc = scenario(double=True)
    app = sc.to(S.IN_REVIEW)
    first, second = sc.assigned()
    client.force_login(first)
    client.post(reverse("review:review", kwargs={"pk": app.pk}), review_post(app))
    client.force_login(second)
    page = client.get(reverse("review:review", kwargs={"pk": app.pk})).content.decode()
    assert "Good work." not in page and f"Review by {first}" not in page  # independence
    data = review_post(app, met=False, recommendation="reject")
    data["reason"] = "Not enough evidence."
    client.post(reverse("review:review", kwargs={"pk": app.pk}), data)
    assert sc.refresh().state == S.IN_MODERATION

    client.force_login(sc.coordinator)
    page = client.get(reverse("review:moderate", kwargs={"pk": app.pk})).content.decode()
    assert f"Review by {first}" in page and f"Review by {second}" in page
    response = client.post(reverse("review:moderate", kwargs={"pk": app.pk}), review_post(app))
    assert response.status_code == 302
    assert sc.refresh().state == S.APPROVED


def test_an_incomplete_review_is_refused_with_what_is_missing(client):
    sc = scenario()
    app = sc.to(S.IN_REVIEW)
    client.force_login(sc.assessor)
    data = review_post(app)
    criterion = app.badge_version.criteria.order_by("order", "id").last()
    data[f"outcome_{criterion.pk}"] = "not_yet"
    response = client.post(reverse("review:review", kwargs={"pk": app.pk}), data)
    assert response.status_code == 400
    assert "Approval needs every criterion judged met." in response.content.decode()


def test_at_the_round_cap_the_form_offers_no_request_for_changes(client):
    sc = scenario(max_rounds=1)
    app = sc.to(S.IN_REVIEW)
    client.force_login(sc.assessor)
    page = client.get(reverse("review:review", kwargs={"pk": app.pk})).content.decode()
    assert 'value="request_changes"' not in page
    assert "only approve or reject remain" in page


def test_the_queue_marks_overdue_applications(client):
    sc = scenario()
    sc.submit(when=timezone.now() - timezone.timedelta(days=30))
    client.force_login(sc.assessor)
    page = client.get(reverse("review:queue")).content.decode()
    assert 'class="row-overdue"' in page
    assert "overdue" in page


def test_a_coordinator_reassigns_from_the_overview(client):
    sc = scenario(assessors=2)
    app = sc.submit()
    current = sc.assigned()[0]
    other = next(a for a in sc.assessors if a != current)
    client.force_login(sc.coordinator)
    assignment = app.assignments.get(is_active=True)
    client.post(reverse("review:unassign", kwargs={"assignment_pk": assignment.pk}))
    client.post(reverse("review:assign", kwargs={"pk": app.pk}), {"assessor": other.pk})
    assert sc.assigned() == [other]


def test_a_conflict_is_declared_from_its_page(client):
    sc = scenario()
    client.force_login(sc.assessors[0])
    response = client.post(
        reverse("review:conflicts"), {"learner_email": sc.learner.email, "reason": "Colleague"}
    )
    assert response.status_code == 302
    assert list(sc.assessors[0].conflicts_declared.values_list("learner", "reason")) == [
        (sc.learner.pk, "Colleague")
    ]


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("size", [1, 6])
def test_the_queue_costs_the_same_queries_at_two_sizes(client, size, django_assert_num_queries):
    sc = scenario(assessors=1)
    assessor = sc.assessor
    sc.submit()
    from tests.factories.applications import draft_application

    for _index in range(size - 1):
        app = draft_application(badge_version=sc.application.badge_version)
        from applications import services

        services.application_submit(actor=app.learner, application=app)
    client.force_login(assessor)
    url = reverse("review:queue")
    client.get(url)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert len(response.context["page"].object_list) == size


@pytest.mark.parametrize("size", [1, 6])
def test_the_coordinator_overview_costs_the_same_queries_at_two_sizes(
    client, size, django_assert_num_queries
):
    sc = scenario(assessors=1)
    sc.submit()
    from applications import services
    from tests.factories.applications import draft_application

    for _index in range(size - 1):
        app = draft_application(badge_version=sc.application.badge_version)
        services.application_submit(actor=app.learner, application=app)
    client.force_login(sc.coordinator)
    url = reverse("review:coordinator_overview")
    client.get(url)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["page"].object_list) == size


def test_the_learner_sees_a_decision_only_after_it_is_made(client):
    sc = scenario(double=True)
    app = sc.to(S.IN_REVIEW)
    sc.decide(Recommendation.APPROVE, assessor=sc.assigned()[0])
    client.force_login(sc.learner)
    page = client.get(reverse("applications:detail", kwargs={"pk": app.pk})).content.decode()
    assert "Feedback on round" not in page


def test_after_a_moderated_round_the_assessors_see_only_what_the_moderator_asked(client):
    sc = scenario(double=True, criteria=1)
    app = sc.to(S.IN_REVIEW)
    first, second = sc.assigned()
    client.force_login(first)
    client.post(reverse("review:review", kwargs={"pk": app.pk}), review_post(app))
    client.force_login(second)
    data = review_post(app, met=False, recommendation="request_changes", changes="Overruled ask.")
    client.post(reverse("review:review", kwargs={"pk": app.pk}), data)
    client.force_login(sc.coordinator)
    data = review_post(app, met=False, recommendation="request_changes", changes="Moderator ask.")
    client.post(reverse("review:moderate", kwargs={"pk": app.pk}), data)
    assert sc.refresh().state == S.CHANGES_REQUESTED
    sc.submit()
    client.force_login(first)
    client.post(reverse("review:start", kwargs={"pk": app.pk}))

    page = client.get(reverse("review:review", kwargs={"pk": app.pk})).content.decode()

    assert "<li>Moderator ask.</li>" in page
    assert "Overruled ask." not in page
