"""The demo history gives the quality report real patterns, and seeding twice changes nothing."""

import pytest
from django.core.management import call_command

from applications.models import Application
from core.models import Cohort
from quality import demo
from quality.report import build_report
from quality.selectors import Filters


@pytest.mark.slow
def test_the_demo_history_shows_patterns_in_the_report(
    db, capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--quiet-logins")
    constellation = Filters.from_parameters({"constellation": "edusta"}).constellation
    report = build_report(Filters(constellation=constellation))
    assert Cohort.objects.count() == 3
    assert report["consistency"]["double_assessed"] >= 8
    assert report["consistency"]["overall"]["kappa"] is not None
    assert report["consistency"]["moderation"]["count"] >= 2
    assert report["timeliness"]["overdue_reviews"] >= 3
    assert len(report["volumes"]["per_month"]) >= 5
    assert report["integrity"]["audit_chain"]["ok"] is True
    from core.models import AuditCheckpoint

    # The demo ends with a signed checkpoint over its history (here the on-commit work runs
    # after the command, so a few events follow it).
    newest = AuditCheckpoint.objects.order_by("-id").first()
    assert newest.event_count >= 200
    assert report["integrity"]["audit_chain"]["anchored"] == newest.event_count

    from demo.accounts import seed_accounts

    count = Application.objects.count()
    demo.seed(seed_accounts())
    assert Application.objects.count() == count
