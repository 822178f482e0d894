"""Concurrent decisions on PostgreSQL: two threads, two connections, one application."""

import threading

import pytest
from django.db import connections

from applications.models import Application, ApplicationState
from core.errors import StaleObjectError
from core.models import AuditEvent
from review import services
from review.models import Recommendation
from tests.factories.review import judgements_for, scenario

pytestmark = pytest.mark.postgres
S = ApplicationState


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_decisions_exactly_one_wins():
    sc = scenario()
    sc.to(S.IN_REVIEW)
    assessor = sc.assessor
    barrier = threading.Barrier(2)
    outcomes = {}

    def decide(recommendation):
        try:
            application = Application.objects.get(pk=sc.application.pk)
            barrier.wait(timeout=10)
            services.review_save(
                actor=assessor,
                application=application,
                judgements=judgements_for(application),
                recommendation=recommendation,
                reason="Reason.",
                submit=True,
            )
            outcomes[recommendation] = "won"
        except StaleObjectError as error:
            outcomes[recommendation] = str(error)
        except Exception as error:  # pragma: no cover - reported below
            outcomes[recommendation] = repr(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(r,))
        for r in (Recommendation.APPROVE, Recommendation.REJECT)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    stale = "Someone else changed this in the meantime. The page now shows the current state."
    assert sorted(outcomes.values()) == sorted(["won", stale])
    final = Application.objects.get(pk=sc.application.pk).state
    assert final in (S.APPROVED, S.REJECTED)
    decisions = AuditEvent.objects.filter(
        action__in=["application.approved", "application.rejected"]
    )
    assert decisions.count() == 1
