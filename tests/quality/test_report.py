"""Every figure of the quality report, from the known history in conftest.py.

Times are days after T0. Time to first review: first submission to the first submitted
(non-moderation) review. Time to decision: first submission to the decision.
"""

from datetime import timedelta

import pytest

from quality.report import build_report
from quality.selectors import Filters

from .conftest import NOW, T0


@pytest.fixture
def report(scenario):
    return build_report(Filters(constellation=scenario.constellation), now=NOW)


def test_applications_are_counted_by_state(report):
    assert report["volumes"]["applications_total"] == 6
    assert report["volumes"]["applications_by_state"] == {
        "draft": 1,
        "submitted": 0,
        "in_review": 1,
        "changes_requested": 0,
        "in_moderation": 0,
        "approved": 3,
        "rejected": 1,
        "withdrawn": 0,
    }


def test_credentials_issued_revoked_and_expired(report):
    assert report["volumes"]["credentials"] == {"issued": 3, "revoked": 1, "expired": 1}
    assert report["volumes"]["credentials_issued_by_status"] == {
        "valid": 1,
        "revoked": 1,
        "expired": 1,
    }


def test_volumes_per_badge(report):
    per_badge = {e["badge"]: e for e in report["volumes"]["per_badge"]}
    assert per_badge["a-planning"]["applications"] == 4
    assert per_badge["a-planning"]["by_state"]["approved"] == 2
    assert per_badge["a-planning"]["credentials_issued"] == 2
    assert per_badge["a-planning"]["credentials_revoked"] == 1
    assert per_badge["b-reflection"]["applications"] == 2
    assert per_badge["b-reflection"]["credentials_expired"] == 1
    assert per_badge["b-reflection"]["title"] == "Reflection"


def test_volumes_per_month(report):
    months = {e["month"]: e for e in report["volumes"]["per_month"]}
    assert months["2026-01"] == {"month": "2026-01", "applications": 5, "credentials_issued": 3}


def test_outcomes(report):
    assert report["outcomes"] == {
        "decided": 4,
        "approved": 3,
        "rejected": 1,
        "approval_rate": 75.0,
        "rejection_rate": 25.0,
        "rounds_until_decision": {"mean": 1.25, "median": 1.0, "max": 2},
        "approved_at_first_submission": 2,
        "share_approved_at_first_submission": 50.0,
    }


def test_time_to_first_review_and_to_decision(report):
    timeliness = report["timeliness"]
    # First review after 2, 1, 2 and 5 days: median 2, p90 = 2 + 0.7 * (5 - 2) = 4.1.
    assert timeliness["time_to_first_review_days"] == {"median": 2.0, "p90": 4.1, "count": 4}
    # Decisions after 4, 12, 5 and 5 days: median 5, p90 = 5 + 0.7 * (12 - 5) = 9.9.
    assert timeliness["time_to_decision_days"] == {"median": 5.0, "p90": 9.9, "count": 4}


def test_overdue_reviews(report, scenario):
    assert report["timeliness"]["overdue_reviews"] == 1
    assert report["timeliness"]["overdue_application_ids"] == [scenario.apps[4].pk]


def test_timeliness_per_assessor(report):
    per_assessor = {e["assessor"]: e for e in report["timeliness"]["per_assessor"]}
    # Ada reviewed rounds after 2, 1, 2, 2 and 5 days; Bram after 4, 3 and 4.
    assert per_assessor["Ada Assessor"]["reviews"] == 5
    assert per_assessor["Ada Assessor"]["review_days_median"] == 2.0
    assert per_assessor["Ada Assessor"]["review_days_p90"] == 3.8
    assert per_assessor["Ada Assessor"]["overdue"] == 1
    assert per_assessor["Bram Assessor"]["review_days_median"] == 4.0
    assert per_assessor["Bram Assessor"]["overdue"] == 0


def test_timeliness_per_badge(report):
    per_badge = {e["badge"]: e for e in report["timeliness"]["per_badge"]}
    assert per_badge["a-planning"]["first_review_days_median"] == 2.0
    assert per_badge["a-planning"]["decision_days_median"] == 5.0
    assert per_badge["a-planning"]["overdue"] == 1
    assert per_badge["b-reflection"]["first_review_days_median"] == 5.0


def test_agreement_between_assessors(report):
    consistency = report["consistency"]
    assert consistency["double_assessed"] == 3
    # Recommendations: (approve, approve), (changes, changes), (approve, reject): kappa 0.5.
    assert consistency["overall"] == {"pairs": 3, "percent_agreement": 66.7, "kappa": 0.5}
    per_criterion = {e["code"]: e for e in consistency["per_criterion"]}
    # K1: (met, met) twice and (met, not yet): p_e = 2/3 = p_o, kappa 0.
    assert (per_criterion["K1"]["pairs"], per_criterion["K1"]["percent_agreement"]) == (3, 66.7)
    assert per_criterion["K1"]["kappa"] == 0.0
    # K2: (met, met), (not yet, not yet), (met, not yet): p_e = 4/9, kappa = 0.4.
    assert per_criterion["K2"]["kappa"] == 0.4
    assert "K3" not in per_criterion


def test_moderation_outcomes(report):
    assert report["consistency"]["moderation"] == {
        "count": 1,
        "by_recommendation": {"reject": 1},
        "final_states": {"rejected": 1},
    }


def test_judgement_distribution_per_criterion(report):
    distribution = {e["code"]: e for e in report["consistency"]["judgement_distribution"]}
    assert (distribution["K1"]["met"], distribution["K1"]["not_yet"]) == (6, 1)
    assert (distribution["K2"]["met"], distribution["K2"]["not_yet"]) == (4, 3)
    assert distribution["K3"]["never_failed"] is True
    assert distribution["K2"]["never_failed"] is False


def test_workload_per_assessor(report):
    workload = report["workload"]
    per_assessor = {e["assessor"]: e for e in workload["per_assessor"]}
    assert workload["assessments_total"] == 8
    assert per_assessor["Ada Assessor"] == {
        "assessor_id": per_assessor["Ada Assessor"]["assessor_id"],
        "assessor": "Ada Assessor",
        "assessments": 5,
        "moderations": 0,
        "active_assignments": 1,
        "conflict_declarations": 0,
    }
    assert per_assessor["Bram Assessor"]["assessments"] == 3
    assert per_assessor["Bram Assessor"]["conflict_declarations"] == 1
    assert per_assessor["Cora Coordinator"]["moderations"] == 1
    assert workload["conflict_declarations"] == 1


def test_integrity_lists_missing_eu_elements(report):
    integrity = report["integrity"]
    assert integrity["audit_chain"] == {
        "ok": True,
        "checked": 0,
        "first_broken_id": None,
        "problem": "",
        "anchored": 0,
    }
    elements = {e["badge"]: e for e in integrity["eu_elements"]}
    assert elements["a-planning"]["missing"] == []
    assert elements["a-planning"]["optional_missing"] == []
    assert elements["b-reflection"]["missing"] == ["quality_assurance"]
    assert elements["b-reflection"]["optional_missing"] == ["eqf_level"]
    assert "country_awarding_body" in elements["b-reflection"]["present"]
    assert integrity["badges_missing_elements"] == 1


def test_the_awarding_body_is_missing_without_an_issuer(scenario):
    from certificates.models import Issuer

    Issuer.objects.all().delete()
    report = build_report(Filters(constellation=scenario.constellation), now=NOW)
    elements = {e["badge"]: e for e in report["integrity"]["eu_elements"]}
    assert "country_awarding_body" in elements["a-planning"]["missing"]


def test_filter_by_assessor_keeps_the_applications_they_reviewed(scenario):
    report = build_report(
        Filters(constellation=scenario.constellation, assessor=scenario.bram), now=NOW
    )
    assert report["volumes"]["applications_total"] == 3
    assert report["volumes"]["applications_by_state"]["approved"] == 2
    assert report["volumes"]["applications_by_state"]["rejected"] == 1
    assert report["volumes"]["credentials"] == {"issued": 2, "revoked": 1, "expired": 0}
    assert report["volumes"]["credentials_issued_by_status"] == {
        "valid": 1,
        "revoked": 1,
        "expired": 0,
    }


def test_filter_by_period_uses_the_first_submission(scenario):
    start = (T0 + timedelta(days=1)).date()
    end = (T0 + timedelta(days=2)).date()
    report = build_report(
        Filters(constellation=scenario.constellation, date_from=start, date_to=end), now=NOW
    )
    assert report["volumes"]["applications_total"] == 2
    assert report["volumes"]["applications_by_state"]["rejected"] == 1
    assert report["volumes"]["applications_by_state"]["in_review"] == 1


def test_filter_by_cohort_badge_and_state(scenario):
    by_cohort = build_report(
        Filters(constellation=scenario.constellation, cohort=scenario.cohort), now=NOW
    )
    assert by_cohort["volumes"]["applications_total"] == 2
    by_badge = build_report(
        Filters(constellation=scenario.constellation, badge=scenario.version_b.badge), now=NOW
    )
    assert by_badge["volumes"]["applications_total"] == 2
    by_state = build_report(
        Filters(constellation=scenario.constellation, state="approved"), now=NOW
    )
    assert by_state["volumes"]["applications_total"] == 3


def test_coordinators_see_only_their_constellations(scenario):
    from tests.factories.frameworks import published_badge_version

    other = published_badge_version(criteria=1)
    from tests.factories import quality as q

    q.submitted(other, at=T0)
    report = build_report(Filters(allowed_constellations=(scenario.constellation.pk,)), now=NOW)
    assert report["volumes"]["applications_total"] == 6
    everything = build_report(Filters(), now=NOW)
    assert everything["volumes"]["applications_total"] == 7


def test_the_report_costs_a_fixed_number_of_queries(scenario, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        build_report(Filters(constellation=scenario.constellation), now=NOW)
