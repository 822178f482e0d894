"""An export job applies the same filters as the page that requested it."""

import csv
import io

from django.urls import reverse

from quality.models import ExportJob, ExportStatus


def test_an_export_job_keeps_the_badge_filter_when_no_constellation_is_chosen(
    client, auditor, scenario, django_capture_on_commit_callbacks
):
    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("quality:export_create"),
            {
                "kind": "applications",
                "format": "csv",
                "badge": scenario.version_b.badge.pk,
                "pseudonymise": "on",
            },
        )
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.DONE
    with job.file.open("rb") as handle:
        rows = list(csv.reader(io.StringIO(handle.read().decode())))[1:]
    assert sorted(int(r[0]) for r in rows) == sorted([scenario.apps[5].pk, scenario.apps[6].pk])
    assert {r[2] for r in rows} == {"b-reflection"}


def test_credentials_counted_in_a_period_do_not_depend_on_when_the_application_started(
    scenario,
):
    from datetime import timedelta

    from quality.report import build_report
    from quality.selectors import Filters

    from .conftest import NOW, T0

    # Application 2 was first submitted at day 0; its credential was issued at day 12.
    period = {
        "date_from": (T0 + timedelta(days=10)).date(),
        "date_to": (T0 + timedelta(days=15)).date(),
    }
    everything = build_report(
        Filters(constellation=scenario.constellation, **period), now=NOW, verify_chain=False
    )
    approved = build_report(
        Filters(constellation=scenario.constellation, state="approved", **period),
        now=NOW,
        verify_chain=False,
    )
    # Issued in the period, revoked after it: one issued, none revoked in the period; its
    # status today is revoked.
    for report in (everything, approved):
        assert report["volumes"]["credentials"] == {"issued": 1, "revoked": 0, "expired": 0}
        assert report["volumes"]["credentials_issued_by_status"] == {
            "valid": 0,
            "revoked": 1,
            "expired": 0,
        }


def test_the_badge_filter_alone_limits_conflict_declarations_to_the_badges_assessors(scenario):
    from core.roles import Role
    from quality.report import build_report
    from quality.selectors import Filters
    from tests.factories import quality as q
    from tests.factories.core import UserFactory
    from tests.factories.frameworks import ConstellationFactory

    from .conftest import NOW

    outsider = UserFactory(roles=[Role.ASSESSOR], display_name="Olga Outsider")
    ConstellationFactory(slug="elsewhere", assessors=[outsider])
    q.conflict(outsider, learner_user=q.learner())
    badge = scenario.version_a.badge
    by_badge = build_report(Filters(badge=badge), now=NOW, verify_chain=False)
    by_both = build_report(
        Filters(constellation=scenario.constellation, badge=badge), now=NOW, verify_chain=False
    )
    assert by_both["workload"]["conflict_declarations"] == 1
    assert by_badge["workload"]["conflict_declarations"] == 1
    assert "Olga Outsider" not in [e["assessor"] for e in by_badge["workload"]["per_assessor"]]
