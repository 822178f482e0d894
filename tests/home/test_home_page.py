"""The home page: a landing page for visitors, and for a signed-in person one to-do list per
role they hold, with exact counts, links to the thing to do, only what their roles and
constellations allow, and a fixed number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import services as app_services
from applications.models import Application, ApplicationState
from core.roles import Role
from home.models import SeenMark
from review.models import Recommendation
from tests.factories.applications import draft_application
from tests.factories.certificates import IssuerFactory, issued_credential, micro_badge, rule_badge
from tests.factories.core import UserFactory
from tests.factories.frameworks import BadgeVersionFactory, ConstellationFactory
from tests.factories.review import scenario

S = ApplicationState


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def detail(application):
    return reverse("applications:detail", kwargs={"pk": application.pk})


def set_due(application, when):
    """Move the review deadline (a date, not the state)."""
    Application.objects.filter(pk=application.pk).update(due_at=when)


# --- visitors and people without a role -----------------------------------------------------


def test_a_visitor_gets_the_landing_page_with_sign_in_verification_and_catalogue(client, db):
    response = client.get(reverse("home"))

    html = response.text
    assert response.status_code == 200
    assert response.templates[0].name == "home/landing.html"
    assert f'<a class="button" href="{reverse("login")}">Sign in</a>' in html
    assert f'href="{reverse("certificates:verify_upload")}"' in html
    assert f'href="{reverse("frameworks:catalogue")}"' in html
    assert "As a learner" not in html


def test_a_person_without_a_role_is_told_whom_to_ask(client, db):
    response = home(client, UserFactory())

    assert "Your account has no role yet." in response.text
    assert "learner" not in response.context
    assert "As a" not in response.text


def test_the_home_page_lists_work_not_the_navigation(client, coordinator):
    response = home(client, coordinator)

    assert 'class="card" href=' not in response.text
    assert "Where to start" not in response.text


# --- learner --------------------------------------------------------------------------------


def test_a_learner_sees_applications_needing_action_changes_requested_first(client, db):
    s = scenario()
    s.to(S.CHANGES_REQUESTED)
    draft = draft_application(learner=s.learner, with_evidence=False)
    someone_elses = draft_application(with_evidence=False)

    response = home(client, s.learner)

    learner = response.context["learner"]
    assert learner.action_count == 2
    assert [a.pk for a in learner.action] == [s.application.pk, draft.pk]
    assert f'href="{detail(s.application)}"' in response.text
    assert f'href="{detail(draft)}"' in response.text
    assert f'href="{detail(someone_elses)}"' not in response.text
    assert "Read the feedback, revise and resubmit." in response.text
    assert "Not submitted yet: add your evidence and submit." in response.text


def test_a_learner_sees_the_feedback_decided_since_the_seen_mark(client, db):
    s = scenario()
    s.to(S.CHANGES_REQUESTED)
    round_url = reverse("applications:round_detail", kwargs={"pk": s.application.pk, "number": 1})

    before = home(client, s.learner)
    client.post(reverse("home_mark_seen"))
    after = home(client, s.learner)

    assert before.context["learner"].feedback_count == 1
    assert f'href="{round_url}"' in before.text
    assert "New in the last 30 days." in before.text
    assert after.context["learner"].feedback_count == 0
    assert f'href="{round_url}"' not in after.text
    assert "No new feedback." in after.text


def test_a_learner_sees_progress_towards_milestones_and_recent_credentials(client, learner):
    IssuerFactory()
    constellation = ConstellationFactory()
    first = micro_badge(constellation=constellation, title="Systems thinking")
    second = micro_badge(constellation=constellation, title="Futures literacy")
    rule_badge(constellation=constellation, required=[first, second], count=2, title="Explorer")
    credential = issued_credential(learner=learner, badge_version=first)

    response = home(client, learner)

    data = response.context["learner"]
    assert [(r.version.title, r.earned_count, r.required_count) for r in data.progress] == [
        ("Explorer", 1, 2)
    ]
    assert '<progress max="2" value="1" aria-label="Explorer"></progress>' in response.text
    assert "1 of 2 badges" in response.text
    assert data.credential_count == 1
    verify = reverse("certificates:verify", args=[credential.public_id])
    assert f'<a href="{verify}">Systems thinking</a>' in response.text


def test_a_learner_with_nothing_to_do_is_told_what_to_do_next(client, learner):
    response = home(client, learner)

    html = response.text
    assert "Nothing needs your action." in html
    assert f'<a href="{reverse("frameworks:catalogue")}">Find your next badge' in html
    assert "Start an application to see your progress towards milestones." in html
    assert "No credentials yet." in html


# --- assessor -------------------------------------------------------------------------------


def test_an_assessor_sees_due_and_overdue_reviews_with_counts_and_links(client, db):
    s = scenario()
    s.to(S.SUBMITTED)
    late = scenario()
    late.to(S.SUBMITTED)
    # The second learner's application goes to the same assessor, and is overdue.
    late.application.assignments.update(assessor=s.assessor)
    set_due(s.application, timezone.now() + timedelta(days=1))
    set_due(late.application, timezone.now() - timedelta(days=2))

    response = home(client, s.assessor)

    data = response.context["assessor"]
    assert (data.review_count, data.overdue_count, data.due_soon_count) == (2, 1, 1)
    assert [a.pk for a in data.reviews] == [late.application.pk, s.application.pk]
    for application in (s.application, late.application):
        assert f'href="{reverse("review:review", kwargs={"pk": application.pk})}"' in response.text
    assert f'href="{reverse("review:queue")}?overdue=1">1 overdue</a>' in response.text
    late_url = reverse("review:review", kwargs={"pk": late.application.pk})
    assert f'<li class="is-overdue"><a href="{late_url}">' in response.text


def test_an_assessor_does_not_see_reviews_of_others_nor_rounds_already_reviewed(client, db):
    s = scenario(double=True)
    s.to(S.IN_REVIEW)
    first, second = s.assigned()
    s.decide(Recommendation.APPROVE, assessor=first)
    outsider = UserFactory(roles=[Role.ASSESSOR])

    assert home(client, first).context["assessor"].review_count == 0
    assert home(client, second).context["assessor"].review_count == 1
    assert home(client, outsider).context["assessor"].review_count == 0
    assert "No reviews waiting for you." in home(client, outsider).text


def test_a_moderator_sees_moderation_waiting_and_an_assessor_who_moderates_nothing_does_not(
    client, db
):
    s = scenario(double=True)
    s.to(S.IN_MODERATION)
    moderate_url = reverse("review:moderate", kwargs={"pk": s.application.pk})

    moderator_view = home(client, s.moderator)
    assessor_view = home(client, s.assessors[0])

    assert moderator_view.context["assessor"].moderation_count == 1
    assert f'href="{moderate_url}"' in moderator_view.text
    assert assessor_view.context["assessor"].is_moderator is False
    assert "Moderation waiting" not in assessor_view.text


# --- coordinator ----------------------------------------------------------------------------


def test_a_coordinator_sees_unassigned_overdue_disagreements_and_drafts_of_their_constellations(
    client, db
):
    disagreement = scenario(double=True)
    disagreement.to(S.IN_MODERATION)
    coordinator = disagreement.coordinator
    constellation = disagreement.application.badge_version.badge.constellation
    # A second constellation of theirs, without assessors: its application stays unassigned.
    no_pool = ConstellationFactory(coordinators=[coordinator])
    unassigned = draft_application(
        badge_version=micro_badge(constellation=no_pool), with_evidence=True
    )
    app_services.application_submit(actor=unassigned.learner, application=unassigned)
    set_due(unassigned, timezone.now() - timedelta(days=1))
    draft = BadgeVersionFactory(badge__constellation=constellation, title="Next badge")
    elsewhere = scenario()  # another coordinator's constellation: none of it shows
    elsewhere.to(S.SUBMITTED)
    BadgeVersionFactory(
        badge__constellation=elsewhere.application.badge_version.badge.constellation
    )

    response = home(client, coordinator)

    data = response.context["coordinator"]
    assert (data.unassigned_count, data.overdue_count) == (1, 1)
    assert [a.pk for a in data.unassigned] == [unassigned.pk]
    assert [a.pk for a in data.overdue] == [unassigned.pk]
    assert data.disagreement_count == 1
    assert data.draft_count == 1
    html = response.text
    assert f'href="{detail(unassigned)}"' in html
    assert (
        f'href="{reverse("review:moderate", kwargs={"pk": disagreement.application.pk})}"' in html
    )
    assert (
        f'href="{reverse("frameworks:badge_detail", kwargs={"pk": draft.pk})}">Next badge</a>'
        in html
    )
    assert f'href="{detail(elsewhere.application)}"' not in html


def test_a_coordinator_of_nothing_is_asked_to_create_a_constellation(client, coordinator):
    response = home(client, coordinator)

    assert "You coordinate no constellation yet." in response.text
    assert f'href="{reverse("frameworks:constellation_create")}"' in response.text


# --- auditor --------------------------------------------------------------------------------


def test_an_auditor_sees_the_reports_headline_figures_and_what_changed(client, auditor):
    IssuerFactory()
    issued_credential()
    approved_earlier = issued_credential()
    s = scenario()
    s.to(S.SUBMITTED)
    set_due(s.application, timezone.now() - timedelta(days=1))

    response = home(client, auditor)

    data = response.context["auditor"]
    assert data.figures == {
        "applications": 3,
        "in_assessment": 1,
        "approved": 2,
        "rejected": 0,
        "overdue": 1,
        "credentials": {"issued": 2, "revoked": 0, "expired": 0},
    }
    assert data.changes["credentials_issued"] == 2
    assert data.changes["decisions"] == 2
    assert data.changes["rounds_submitted"] == 3
    assert f'href="{reverse("quality:report")}"' in response.text
    assert approved_earlier.recipient.display_name not in response.text


def test_marking_as_seen_restarts_what_changed_for_the_auditor(client, auditor):
    s = scenario()
    s.to(S.SUBMITTED)
    client.force_login(auditor)

    response = client.post(reverse("home_mark_seen"))
    after = home(client, auditor)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert SeenMark.objects.get(user=auditor).seen_at <= timezone.now()
    assert after.context["auditor"].changes["rounds_submitted"] == 0
    assert after.context["since_marked"] is True


def test_viewing_the_home_page_writes_nothing(client, auditor):
    home(client, auditor)
    home(client, auditor)

    assert SeenMark.objects.count() == 0


def test_marking_as_seen_takes_a_post_from_a_signed_in_person(client, auditor):
    anonymous = client.post(reverse("home_mark_seen"))
    client.force_login(auditor)
    by_get = client.get(reverse("home_mark_seen"))

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    assert by_get.status_code == 405
    assert SeenMark.objects.count() == 0


# --- several roles, and the cost of the page --------------------------------------------------


def test_a_person_with_two_roles_gets_a_section_for_each(client, db):
    person = UserFactory(roles=[Role.LEARNER, Role.ASSESSOR])

    response = home(client, person)

    assert "As a learner" in response.text
    assert "As an assessor" in response.text
    assert "As a coordinator" not in response.text
    assert "As an auditor" not in response.text


def _busy_world(size: int):
    """`size` applications in every to-do list of one coordinator, assessor and learner."""
    coordinator = UserFactory(roles=[Role.COORDINATOR, Role.AUDITOR])
    assessor = UserFactory(roles=[Role.ASSESSOR])
    learner = UserFactory(roles=[Role.LEARNER])
    constellation = ConstellationFactory(coordinators=[coordinator], assessors=[assessor])
    constellation.moderators.add(assessor)
    for _n in range(size):
        version = micro_badge(constellation=constellation)
        draft_application(learner=learner, badge_version=version, with_evidence=False)
        BadgeVersionFactory(badge__constellation=constellation)
        pending = scenario()
        pending.to(S.SUBMITTED)
        pending.application.assignments.update(assessor=assessor)
        set_due(pending.application, timezone.now() - timedelta(days=1))
        pending.coordinator.coordinated_constellations.clear()
        constellation_of = pending.application.badge_version.badge.constellation
        constellation_of.coordinators.add(coordinator)
        constellation_of.moderators.add(assessor)
        disagreement = scenario(double=True)
        disagreement.to(S.IN_MODERATION)
        disagreement.application.badge_version.badge.constellation.coordinators.add(coordinator)
    return coordinator, assessor, learner


@pytest.mark.parametrize("size", [1, 4])
def test_the_home_page_costs_the_same_queries_for_one_item_and_for_many(
    client, db, django_assert_num_queries, size
):
    coordinator, assessor, learner = _busy_world(size)
    expected = {coordinator: 17, assessor: 8, learner: 12}

    for person, most in expected.items():
        client.force_login(person)
        with django_assert_num_queries(most):
            response = client.get(reverse("home"))
        assert response.status_code == 200
