"""Every role against every URL (own object, someone else's, anonymous), file serving,
hostile input in every text field, lost races, and query counts of the application page."""

import pytest
from django.urls import reverse

from applications import services as app_services
from applications.models import ApplicationState, EvidenceKind
from core.roles import Role
from review import services
from review.models import Recommendation
from tests.factories.applications import pdf_upload
from tests.factories.core import UserFactory
from tests.factories.review import judgements_for, scenario

S = ApplicationState
ROLES = [
    "owner",
    "learner2",
    "assessor",
    "assessor2",
    "coordinator",
    "coordinator2",
    "auditor",
    "anon",
]


@pytest.fixture
def world(db):
    review_sc = scenario(assessors=1)
    review_sc.to(S.IN_REVIEW)
    draft_sc = scenario(assessors=0)
    # the draft belongs to the same learner and constellation as the reviewed application
    version = review_sc.application.badge_version
    from tests.factories.frameworks import published_badge_version

    other_version = published_badge_version(badge__constellation=version.badge.constellation)
    draft = app_services.application_start(learner=review_sc.learner, badge_version=other_version)
    app_services.evidence_add(
        actor=review_sc.learner,
        application=draft,
        kind=EvidenceKind.LINK,
        description="A link",
        criteria=[other_version.criteria.first()],
        url="https://example.org/plan",
    )
    assessor2 = UserFactory(roles=[Role.ASSESSOR])
    version.badge.constellation.assessors.add(assessor2)
    users = {
        "owner": review_sc.learner,
        "learner2": UserFactory(roles=[Role.LEARNER]),
        "assessor": review_sc.assessor,
        "assessor2": assessor2,
        "coordinator": review_sc.coordinator,
        "coordinator2": UserFactory(roles=[Role.COORDINATOR]),
        "auditor": UserFactory(roles=[Role.AUDITOR]),
        "anon": None,
    }
    del draft_sc
    return {
        "users": users,
        "review": review_sc.application,
        "draft": draft,
        "file": review_sc.application.rounds.get().evidence.first(),
        "link": draft.evidence.get(),
    }


def row(owner, learner2, assessor, assessor2, coordinator, coordinator2, auditor, anon=302):
    return dict(
        zip(
            ROLES,
            (owner, learner2, assessor, assessor2, coordinator, coordinator2, auditor, anon),
            strict=True,
        )
    )


SEEN_BY_ALL_INVOLVED = row(200, 404, 200, 404, 200, 404, 200)
DRAFT_EDIT = row(200, 404, 404, 404, 403, 404, 403)
MATRIX = {
    "my_applications": (
        lambda w: reverse("applications:my_applications"),
        row(200, 200, 403, 403, 403, 403, 403),
    ),
    "start": (
        lambda w: reverse(
            "applications:start", kwargs={"version_id": w["review"].badge_version_id}
        ),
        row(200, 200, 403, 403, 403, 403, 403),
    ),
    "detail (in review)": (
        lambda w: reverse("applications:detail", kwargs={"pk": w["review"].pk}),
        SEEN_BY_ALL_INVOLVED,
    ),
    "detail (draft)": (
        lambda w: reverse("applications:detail", kwargs={"pk": w["draft"].pk}),
        row(200, 404, 404, 404, 200, 404, 200),
    ),
    "round": (
        lambda w: reverse("applications:round_detail", kwargs={"pk": w["review"].pk, "number": 1}),
        SEEN_BY_ALL_INVOLVED,
    ),
    "file": (
        lambda w: reverse("applications:evidence_file", kwargs={"item_pk": w["file"].pk}),
        SEEN_BY_ALL_INVOLVED,
    ),
    "evidence_add": (
        lambda w: reverse("applications:evidence_add", kwargs={"pk": w["draft"].pk}),
        DRAFT_EDIT,
    ),
    "evidence_edit": (
        lambda w: reverse(
            "applications:evidence_edit", kwargs={"pk": w["draft"].pk, "item_pk": w["link"].pk}
        ),
        DRAFT_EDIT,
    ),
    "self_assessment": (
        lambda w: reverse("applications:self_assessment", kwargs={"pk": w["draft"].pk}),
        DRAFT_EDIT,
    ),
    "review": (
        lambda w: reverse("review:review", kwargs={"pk": w["review"].pk}),
        row(403, 404, 200, 404, 403, 404, 403),
    ),
    "moderate": (
        lambda w: reverse("review:moderate", kwargs={"pk": w["review"].pk}),
        row(403, 404, 403, 404, 403, 404, 403),
    ),
    "queue": (lambda w: reverse("review:queue"), row(403, 403, 200, 200, 403, 403, 403)),
    "conflicts": (lambda w: reverse("review:conflicts"), row(403, 403, 200, 200, 403, 403, 403)),
    "coordinator_overview": (
        lambda w: reverse("review:coordinator_overview"),
        row(403, 403, 403, 403, 200, 200, 403),
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(MATRIX))
def test_every_role_gets_exactly_its_answer_from_every_page(client, world, name, role):
    url_of, expected = MATRIX[name]
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response = client.get(url_of(world))
    response.close()
    assert response.status_code == expected[role]
    if expected[role] == 302:
        assert response["Location"].startswith(reverse("login"))


POSTS = {
    "submit": lambda w: reverse("applications:submit", kwargs={"pk": w["draft"].pk}),
    "withdraw": lambda w: reverse("applications:withdraw", kwargs={"pk": w["review"].pk}),
    "evidence_remove": lambda w: reverse(
        "applications:evidence_remove", kwargs={"pk": w["draft"].pk, "item_pk": w["link"].pk}
    ),
}


@pytest.mark.parametrize(
    "role", ["learner2", "assessor", "coordinator", "coordinator2", "auditor", "anon"]
)
@pytest.mark.parametrize("name", list(POSTS))
def test_nobody_but_the_learner_acts_on_an_application(client, world, name, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    before = (world["draft"].state, world["review"].state, world["draft"].evidence.count())
    response = client.post(POSTS[name](world))
    assert response.status_code in ({"anon": 302}.get(role, 0), 403, 404)
    world["draft"].refresh_from_db()
    world["review"].refresh_from_db()
    assert (world["draft"].state, world["review"].state, world["draft"].evidence.count()) == before


def test_the_evidence_file_is_served_as_an_attachment(client, world):
    client.force_login(world["users"]["assessor"])
    response = client.get(
        reverse("applications:evidence_file", kwargs={"item_pk": world["file"].pk})
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert world["file"].original_filename in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
    response.close()


def test_an_assessor_cannot_download_evidence_the_learner_has_not_submitted(client, world):
    from applications.models import EvidenceItem

    app = world["review"]
    item = EvidenceItem.objects.create(
        application=app, kind=EvidenceKind.FILE, description="x", file="evidence/none.pdf"
    )
    client.force_login(world["users"]["coordinator"])
    assert (
        client.get(reverse("applications:evidence_file", kwargs={"item_pk": item.pk})).status_code
        == 404
    )


def test_a_learner_applies_adds_evidence_and_submits_in_the_browser(client, db):
    sc = scenario(criteria=1)
    learner = UserFactory(roles=[Role.LEARNER])
    version = sc.application.badge_version
    criterion = version.criteria.get()
    client.force_login(learner)
    response = client.post(reverse("applications:start", kwargs={"version_id": version.pk}))
    app = learner.applications.get()
    assert response["Location"] == reverse("applications:detail", kwargs={"pk": app.pk})
    url = reverse("applications:evidence_add", kwargs={"pk": app.pk})
    response = client.post(
        url,
        {"kind": "file", "description": "Plan", "criteria": [criterion.pk], "file": pdf_upload()},
    )
    assert response.status_code == 302
    client.post(
        url,
        {
            "kind": "link",
            "description": "Video",
            "criteria": [criterion.pk],
            "url": "https://example.org/v",
        },
    )
    client.post(
        url,
        {
            "kind": "reflection",
            "description": "Why",
            "criteria": [criterion.pk],
            "text": "I learned.",
        },
    )
    assert sorted(app.evidence.values_list("kind", flat=True)) == ["file", "link", "reflection"]
    response = client.post(
        reverse("applications:submit", kwargs={"pk": app.pk}), {"note": "Please look"}, follow=True
    )
    app.refresh_from_db()
    assert app.state == S.SUBMITTED
    assert "Round 1 was submitted for review." in response.content.decode()


def test_a_hostile_upload_is_refused_with_a_message_and_a_4xx(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world["users"]["owner"])
    draft = world["draft"]
    response = client.post(
        reverse("applications:evidence_add", kwargs={"pk": draft.pk}),
        {
            "kind": "file",
            "description": "Innocent",
            "criteria": [draft.badge_version.criteria.first().pk],
            "file": SimpleUploadedFile(
                "cv.pdf", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
            ),
        },
    )
    assert response.status_code == 400
    assert "This kind of file is not accepted." in response.content.decode()
    assert draft.evidence.count() == 1


def test_submission_refused_names_what_is_missing(client, world):
    client.force_login(world["users"]["owner"])
    draft = world["draft"]
    response = client.post(reverse("applications:submit", kwargs={"pk": draft.pk}), follow=True)
    content = response.content.decode()
    assert "The application cannot be submitted yet:" in content
    assert "1 file missing" in content
    draft.refresh_from_db()
    assert draft.state == S.DRAFT


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_hostile_html_in_every_text_field_is_never_rendered(client, db):
    sc = scenario(criteria=1)
    app = sc.application
    criterion = app.badge_version.criteria.get()
    app_services.evidence_add(
        actor=sc.learner,
        application=app,
        kind=EvidenceKind.LINK,
        description=HOSTILE,
        criteria=[criterion],
        url="https://example.org/?q=<script>",
    )
    app_services.evidence_add(
        actor=sc.learner,
        application=app,
        kind=EvidenceKind.REFLECTION,
        description="Reflection",
        criteria=[criterion],
        text=HOSTILE + "<p>kept</p>",
    )
    app_services.self_assessment_save(
        actor=sc.learner,
        application=app,
        entries=[{"criterion": criterion.pk, "status": "met", "comment": HOSTILE}],
    )
    sc.submit(note=HOSTILE)
    sc.start_review()
    services.review_save(
        actor=sc.assessor,
        application=sc.application,
        judgements=judgements_for(app, not_met=(0,), changes=(HOSTILE,)),
        overall_feedback=HOSTILE,
        recommendation=Recommendation.REQUEST_CHANGES,
        submit=True,
    )
    sc.refresh()
    services.conflict_declare(
        assessor=sc.assessor,
        cohort=__import__("tests.factories.core", fromlist=["x"]).CohortFactory(),
        reason=HOSTILE,
    )
    pages = [
        (sc.learner, reverse("applications:detail", kwargs={"pk": app.pk})),
        (sc.learner, reverse("applications:round_detail", kwargs={"pk": app.pk, "number": 1})),
        (sc.coordinator, reverse("applications:detail", kwargs={"pk": app.pk})),
        (sc.assessor, reverse("review:conflicts")),
    ]
    for user, url in pages:
        client.force_login(user)
        content = client.get(url).content.decode()
        assert "<script>alert" not in content, url
        assert "onerror=alert" not in content.replace("onerror=alert(1)&gt;", ""), url
    client.force_login(sc.learner)
    content = client.get(reverse("applications:detail", kwargs={"pk": app.pk})).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content  # shown as text
    assert "<p>kept</p>" in content


def test_a_lost_race_is_a_message_for_a_browser_and_409_for_a_client(client, db):
    sc = scenario()
    sc.to(S.IN_REVIEW)
    client.force_login(sc.learner)
    url = reverse("applications:withdraw", kwargs={"pk": sc.application.pk})
    from applications.views import learner as views

    original = views.own_application

    def stale(request, pk):
        application = original(request, pk)
        sc.decide(Recommendation.APPROVE)  # someone decides in the meantime
        return application

    views.own_application = stale
    try:
        response = client.post(url, headers={"accept": "application/json"})
    finally:
        views.own_application = original
    assert response.status_code == 409
    assert (
        response.content.decode()
        == "Someone else changed this in the meantime. The page now shows the current state."
    )
    assert sc.refresh().state == S.APPROVED


def _page_queries(client, django_assert_max_num_queries, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("viewer", ["learner", "coordinator"])
def test_the_application_page_costs_the_same_queries_at_two_sizes(
    client, db, viewer, django_assert_num_queries
):
    def build(evidence):
        sc = scenario(criteria=2)
        for index in range(evidence):
            app_services.evidence_add(
                actor=sc.learner,
                application=sc.application,
                kind=EvidenceKind.LINK,
                description=f"Link {index}",
                criteria=list(sc.application.badge_version.criteria.all()),
                url=f"https://example.org/{index}",
            )
        sc.to(S.CHANGES_REQUESTED)
        sc.submit()
        return sc

    small, large = build(0), build(6)
    counts = {}
    for name, sc in (("small", small), ("large", large)):
        user = sc.learner if viewer == "learner" else sc.coordinator
        client.force_login(user)
        url = reverse("applications:detail", kwargs={"pk": sc.application.pk})
        client.get(url)  # warm caches (content types, sessions)
        counts[name] = _page_queries(client, None, url)
    expected = {"learner": 17, "coordinator": 17}[viewer]
    for sc in (small, large):
        client.force_login(sc.learner if viewer == "learner" else sc.coordinator)
        with django_assert_num_queries(expected):
            client.get(reverse("applications:detail", kwargs={"pk": sc.application.pk}))
    assert counts["small"] == counts["large"]


def test_adding_a_link_shows_only_the_link_input(client, world):
    client.force_login(world["users"]["owner"])
    draft = world["draft"]
    criterion = draft.badge_version.criteria.first()
    url = reverse("applications:evidence_add", kwargs={"pk": draft.pk})

    response = client.get(url, {"kind": "link", "criterion": criterion.pk})
    form = response.context["form"]

    assert response.status_code == 200
    assert "<h1>Add a link</h1>" in response.content.decode()
    assert sorted(form.fields) == ["criteria", "description", "is_public", "kind", "url"]
    assert form.fields["url"].required is True
    assert form["kind"].value() == "link"


def test_a_fixed_kind_is_not_up_to_the_posted_data(client, world):
    client.force_login(world["users"]["owner"])
    draft = world["draft"]
    criterion = draft.badge_version.criteria.first()
    url = reverse("applications:evidence_add", kwargs={"pk": draft.pk}) + "?kind=link"

    response = client.post(
        url,
        {
            "kind": "reflection",
            "description": "My lesson plan online",
            "criteria": [criterion.pk],
            "url": "https://example.org/lesson",
            "text": "<p>ignored</p>",
        },
    )

    item = draft.evidence.order_by("-pk").first()
    assert response.status_code == 302
    assert (item.kind, item.url, item.text) == ("link", "https://example.org/lesson", "")


def test_an_unknown_kind_shows_the_form_with_every_kind(client, world):
    client.force_login(world["users"]["owner"])
    draft = world["draft"]

    response = client.get(
        reverse("applications:evidence_add", kwargs={"pk": draft.pk}), {"kind": "exe"}
    )

    assert response.status_code == 200
    assert {"kind", "file", "url", "text"} <= set(response.context["form"].fields)
