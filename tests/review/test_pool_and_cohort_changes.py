"""Assignments follow the pools they come from: an assessor who leaves a constellation's
assessors, or whose declared cohort conflict comes to cover the learner, stops assessing
the application, and the application gets another eligible assessor."""

import pytest

from applications.models import ApplicationState as S
from core.models import AuditEvent
from review import services
from review.selectors import review_queue_for
from tests.factories.core import CohortFactory
from tests.factories.review import scenario

pytestmark = pytest.mark.django_db


def test_an_assessor_removed_from_the_constellation_loses_their_open_assignments():
    sc = scenario(assessors=2)
    sc.to(S.SUBMITTED)
    first = sc.assessor
    constellation = sc.application.badge_version.badge.constellation

    constellation.assessors.remove(first)

    sc.refresh()
    (other,) = [a for a in sc.assessors if a != first]
    assert sc.assigned() == [other]
    assert list(review_queue_for(assessor=first)) == []
    assert (
        AuditEvent.objects.filter(
            action="assignment.ended", comment="No longer an assessor of this constellation"
        ).count()
        == 1
    )


def test_removing_an_assessor_from_the_user_side_has_the_same_effect():
    sc = scenario(assessors=2)
    sc.to(S.IN_REVIEW)
    first = sc.assessor
    constellation = sc.application.badge_version.badge.constellation

    first.assessed_constellations.remove(constellation)

    assert first not in sc.assigned()
    assert len(sc.assigned()) == 1


def test_decided_applications_keep_their_assignments_as_history():
    sc = scenario(assessors=1)
    sc.to(S.APPROVED)
    first = sc.assessor
    constellation = sc.application.badge_version.badge.constellation

    constellation.assessors.remove(first)

    assert sc.assigned() == [first]


def test_a_learner_joining_a_conflicted_cohort_gets_another_assessor():
    sc = scenario(assessors=2)
    sc.to(S.SUBMITTED)
    first = sc.assessor
    cohort = CohortFactory()
    services.conflict_declare(assessor=first, cohort=cohort, reason="I teach them")
    assert sc.assigned() == [first]  # the learner is not in the cohort yet

    cohort.members.add(sc.learner)

    sc.refresh()
    (other,) = [a for a in sc.assessors if a != first]
    assert sc.assigned() == [other]
    assert list(review_queue_for(assessor=first)) == []


def test_joining_a_cohort_without_conflicts_changes_nothing():
    sc = scenario(assessors=1)
    sc.to(S.SUBMITTED)
    first = sc.assessor

    sc.learner.cohorts.add(CohortFactory())

    assert sc.assigned() == [first]
