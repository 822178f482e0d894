"""The auditor's pages: who may open what, and what each page shows."""

import pytest
from django.urls import reverse

from core.audit import audit_record
from core.roles import Role
from quality.models import ExportJob
from tests.factories.core import UserFactory

REPORT_PAGES = ["quality:report", "quality:report_json", "quality:export_list"]
AUDITOR_PAGES = [
    "quality:browse",
    "quality:audit_trail",
    "quality:browse_applications",
    "quality:browse_rounds",
    "quality:browse_reviews",
    "quality:browse_judgements",
    "quality:browse_conflicts",
    "quality:browse_credentials",
    "quality:browse_constellations",
    "quality:browse_badge_versions",
]


@pytest.mark.parametrize("name", REPORT_PAGES + AUDITOR_PAGES)
def test_auditors_open_every_quality_page(client, auditor, scenario, name):
    client.force_login(auditor)
    response = client.get(reverse(name))
    assert response.status_code == 200


@pytest.mark.parametrize("name", REPORT_PAGES + AUDITOR_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", [Role.LEARNER, Role.ASSESSOR])
@pytest.mark.parametrize("name", REPORT_PAGES + AUDITOR_PAGES)
def test_learners_and_assessors_are_refused(client, db, role, name):
    client.force_login(UserFactory(roles=[role]))
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", AUDITOR_PAGES)
def test_coordinators_cannot_browse_records_or_the_audit_trail(client, scenario, name):
    client.force_login(scenario.cora)
    assert client.get(reverse(name)).status_code == 403


def test_coordinators_see_the_report_of_their_constellation_only(client, scenario):
    from tests.factories import quality as q
    from tests.factories.frameworks import published_badge_version

    from .conftest import T0

    q.submitted(published_badge_version(criteria=1), at=T0)
    client.force_login(scenario.cora)
    data = client.get(reverse("quality:report_json")).json()
    assert data["volumes"]["applications_total"] == 6
    other = published_badge_version(criteria=1).badge.constellation
    response = client.get(reverse("quality:report"), {"constellation": other.slug})
    assert response.status_code == 400


def test_the_report_page_shows_figures_and_svg_charts(client, auditor, scenario):
    client.force_login(auditor)
    response = client.get(reverse("quality:report"), {"constellation": "edusta-test"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "<title" in html and "<desc" in html
    assert "Quality report: EduSTA test" in html
    assert "<script" not in html.split("</header>", 1)[1]


def test_the_report_json_filters_by_assessor_and_period(client, auditor, scenario):
    client.force_login(auditor)
    data = client.get(
        reverse("quality:report_json"),
        {
            "constellation": "edusta-test",
            "assessor": scenario.bram.pk,
            "date_from": "2026-01-01",
            "date_to": "2026-01-31",
        },
    ).json()
    assert data["volumes"]["applications_by_state"]["approved"] == 2
    assert data["scope"]["assessor"] == "Bram Assessor"
    assert data["scope"]["from"] == "2026-01-01"


@pytest.mark.parametrize(
    "params",
    [
        {"constellation": "no-such-thing"},
        {"date_from": "yesterday"},
        {"date_from": "2026-02-01", "date_to": "2026-01-01"},
        {"state": "<script>"},
        {"assessor": "abc"},
    ],
)
def test_hostile_filters_get_a_400_with_a_message(client, auditor, scenario, params):
    client.force_login(auditor)
    response = client.get(reverse("quality:report"), params)
    assert response.status_code == 400
    assert response.context["form"].errors


def test_a_badge_label_is_escaped_in_the_charts(client, auditor, scenario):
    version = scenario.version_b
    version.title = "<img src=x onerror=alert(1)>"
    version.save()
    client.force_login(auditor)
    html = client.get(reverse("quality:report")).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_audit_trail_verifies_the_chain_on_post(client, auditor, scenario):
    from django.db import transaction

    with transaction.atomic():
        audit_record(actor=auditor, action="test.event", obj=scenario.constellation)
    client.force_login(auditor)
    response = client.post(reverse("quality:audit_trail"))
    assert response.status_code == 200
    assert response.context["chain"].ok is True
    assert response.context["chain"].checked == 1
    assert "The audit chain is intact: 1 events verified." in response.content.decode()


def test_the_audit_trail_filters_by_action(client, auditor, scenario):
    from django.db import transaction

    with transaction.atomic():
        audit_record(actor=auditor, action="one.thing", obj=scenario.constellation)
        audit_record(actor=auditor, action="other.thing", obj=scenario.constellation)
    client.force_login(auditor)
    response = client.get(reverse("quality:audit_trail"), {"action": "one.thing"})
    assert [e.action for e in response.context["page"]] == ["one.thing"]


def test_coordinators_cannot_verify_the_chain(client, scenario):
    client.force_login(scenario.cora)
    assert client.post(reverse("quality:audit_trail")).status_code == 403


def test_round_and_review_details_show_evidence_listing_and_judgements(client, auditor, scenario):
    client.force_login(auditor)
    round_obj = scenario.apps[3].rounds.get()
    response = client.get(reverse("quality:round_detail", args=[round_obj.pk]))
    assert response.status_code == 200
    review = round_obj.reviews.filter(is_moderation=True).get()
    response = client.get(reverse("quality:review_detail", args=[review.pk]))
    assert response.status_code == 200
    assert [outcome for _j, outcome in response.context["judgements"]] == ["not_yet", "not_yet"]


def test_the_decision_trail_is_json_with_every_round_and_review(client, auditor, scenario):
    client.force_login(auditor)
    response = client.get(reverse("quality:application_trail", args=[scenario.apps[2].pk]))
    import json

    data = json.loads(response.content)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert [r["number"] for r in data["rounds"]] == [1, 2]
    assert [r["recommendation"] for r in data["reviews"]] == [
        "request_changes",
        "request_changes",
        "approve",
    ]
    assert data["decision"]["state"] == "approved"
    assert data["credential"]["revoked_at"] is not None


def test_the_decision_trail_can_be_pseudonymised(client, auditor, scenario):
    client.force_login(auditor)
    app = scenario.apps[1]
    data = client.get(
        reverse("quality:application_trail", args=[app.pk]), {"pseudonymise": "1"}
    ).json()
    assert data["application"]["learner"].startswith("L-")
    assert data["application"]["learner_email"] == ""
    assert app.learner.email not in str(data)


@pytest.mark.parametrize("size", [1, 4])
def test_the_applications_list_costs_the_same_queries_at_two_sizes(
    client, auditor, db, size, django_assert_num_queries
):
    from tests.factories import quality as q
    from tests.factories.frameworks import published_badge_version

    from .conftest import T0

    version = published_badge_version(criteria=1)
    for _index in range(size):
        q.submitted(version, at=T0)
    client.force_login(auditor)
    # session, user, roles (nav), form choices (constellation, badge, assessor, cohort are
    # rendered: 4), count, page.
    with django_assert_num_queries(9):
        response = client.get(reverse("quality:browse_applications"))
    assert len(response.context["rows"]) == size


LIST_NAMES = [n for n in AUDITOR_PAGES if n.startswith("quality:browse_")]


@pytest.mark.parametrize("name", LIST_NAMES)
def test_every_list_costs_the_same_queries_for_one_and_many_rows(client, auditor, db, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import quality as q
    from tests.factories.frameworks import published_badge_version

    from .conftest import T0

    def build(n):
        version = published_badge_version(criteria=2)
        assessor = UserFactory(roles=[Role.ASSESSOR])
        for _index in range(n):
            app = q.submitted(version, at=T0)
            q.review(
                app, assessor=assessor, at=T0, recommendation="approve", outcomes=["met", "met"]
            )
            q.approve(app, by=assessor, at=T0)
            q.credential(app, issued=T0)
            q.conflict(assessor, learner_user=app.learner)

    client.force_login(auditor)
    build(1)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(name))
    build(5)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(name))
    assert len(many) == len(one)


def test_export_jobs_belong_to_their_requester(client, auditor, scenario):
    other = UserFactory(roles=[Role.AUDITOR])
    job = ExportJob.objects.create(requested_by=other, kind="applications", format="csv")
    client.force_login(auditor)
    assert client.get(reverse("quality:export_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("quality:export_download", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("role", [Role.LEARNER, Role.ASSESSOR])
def test_learners_and_assessors_cannot_request_exports(client, db, role):
    client.force_login(UserFactory(roles=[role]))
    response = client.post(reverse("quality:export_create"), {"kind": "report", "format": "pdf"})
    assert response.status_code == 403
    assert ExportJob.objects.count() == 0


def test_a_coordinator_exports_only_a_constellation_they_coordinate(client, scenario):
    client.force_login(scenario.cora)
    response = client.post(reverse("quality:export_create"), {"kind": "report", "format": "json"})
    assert response.status_code == 403
    assert ExportJob.objects.count() == 0
    response = client.post(
        reverse("quality:export_create"),
        {"kind": "report", "format": "json", "constellation": "edusta-test"},
    )
    assert response.status_code == 302


def test_the_export_form_pseudonymises_by_default(client, auditor, db):
    client.force_login(auditor)
    html = client.get(reverse("quality:report")).content.decode()
    assert 'id="id_pseudonymise" checked' in html


def test_the_report_names_missing_eu_elements_in_words(client, auditor, scenario):
    client.force_login(auditor)
    html = client.get(reverse("quality:report"), {"constellation": "edusta-test"}).content.decode()
    assert "type of quality assurance" in html
    assert "EQF level" in html


def test_the_quality_section_address_leads_to_the_report(client, auditor):
    client.force_login(auditor)

    response = client.get("/quality/")

    assert response.status_code == 302
    assert response["Location"] == "/quality/report/"
    assert client.post("/quality/").status_code == 405


def test_the_report_says_when_its_figures_were_computed_in_readable_form(client, auditor, scenario):
    import re

    client.force_login(auditor)

    html = client.get(reverse("quality:report"), {"constellation": "edusta-test"}).content.decode()

    assert re.search(r"Figures as of \d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2}\.", html)


def test_the_report_page_shows_the_latest_verification_instead_of_walking_the_chain(
    client, auditor, scenario
):
    from django.db import connection, transaction

    with transaction.atomic():
        first = audit_record(actor=auditor, action="test.event", obj=scenario.constellation)
        audit_record(actor=auditor, action="test.event", obj=scenario.constellation)
    client.force_login(auditor)
    url = reverse("quality:report")

    before = client.get(url, {"constellation": "edusta-test"}).content.decode()
    client.post(reverse("quality:audit_trail"))
    intact = client.get(url, {"constellation": "edusta-test"}).content.decode()
    with connection.cursor() as cursor:  # the model refuses updates: tamper behind its back
        cursor.execute("UPDATE core_auditevent SET comment = 'x' WHERE id = %s", [first.pk])
    unchanged = client.get(url, {"constellation": "edusta-test"}).content.decode()
    client.post(reverse("quality:audit_trail"))
    broken = client.get(url, {"constellation": "edusta-test"}).content.decode()

    assert "The audit chain has not been verified yet." in before
    assert "Verify the chain now" in before
    assert "Audit chain intact when last verified (" in intact
    assert f"by {auditor.display_name}): 2 events." in intact
    assert "Audit chain intact when last verified (" in unchanged
    assert "Audit chain BROKEN when last verified (" in broken
    assert f"event {first.pk} was altered after it was recorded" in broken


def test_the_exported_report_verifies_the_chain_afresh(client, auditor, scenario):
    client.force_login(auditor)

    data = client.get(reverse("quality:report_json"), {"constellation": "edusta-test"}).json()

    assert data["integrity"]["audit_chain"]["ok"] is True


def test_the_audit_trail_names_each_action_and_keeps_its_code(client, auditor, scenario):
    from django.db import transaction

    with transaction.atomic():
        audit_record(actor=auditor, action="badge.published", obj=scenario.constellation)
    client.force_login(auditor)
    html = client.get(reverse("quality:audit_trail")).content.decode()
    assert '<td>Badge version published<br><code class="muted">badge.published</code></td>' in html
    assert (
        '<option value="badge.published">Badge version published (badge.published)</option>' in html
    )
