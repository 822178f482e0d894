"""The coordinator's workload (review) and the quality report count open assignments with
one definition (`applications.models.ASSESSED_STATES`), so their figures agree."""

from quality.report import build_report
from quality.selectors import Filters
from review.selectors import assessor_workload
from tests.factories import quality as q
from tests.quality.conftest import day


def test_open_assignments_agree_between_the_workload_and_the_quality_report(scenario):
    # One more application, waiting for the learner after changes were requested: its
    # assessor still holds it.
    waiting = q.submitted(scenario.version_a, at=day(4))
    q.assign(waiting, scenario.bram)
    q.start_review(waiting, at=day(5))
    q.request_changes(waiting, by=scenario.bram)

    workload = {
        user.pk: user.open_assignments for user in assessor_workload(coordinator=scenario.cora)
    }
    report = build_report(Filters(constellation=scenario.constellation), verify_chain=False)
    reported = {
        row["assessor_id"]: row["active_assignments"] for row in report["workload"]["per_assessor"]
    }

    assert waiting.state == "changes_requested"
    assert workload[scenario.bram.pk] >= 1
    assert {pk: reported.get(pk, 0) for pk in workload} == workload
