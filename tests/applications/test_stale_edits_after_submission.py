"""Evidence edits racing a submission.

A learner's page (or a second tab) holds the application as it was before the submission
committed. Its edits must not reach an application that is no longer editable: the row is
locked and its state re-read inside the edit's transaction.
"""

import pytest

from applications import services
from applications.models import Application, ApplicationState, EvidenceKind
from core.errors import StaleObjectError
from tests.factories.review import scenario

S = ApplicationState
pytestmark = pytest.mark.django_db


def _submitted_behind_a_stale_copy():
    sc = scenario(criteria=1)
    stale = Application.objects.get(pk=sc.application.pk)
    sc.submit()
    assert stale.state == S.DRAFT
    return sc, stale


def test_evidence_cannot_be_added_through_a_copy_loaded_before_the_submission():
    sc, stale = _submitted_behind_a_stale_copy()
    with pytest.raises(StaleObjectError):
        services.evidence_add(
            actor=sc.learner,
            application=stale,
            kind=EvidenceKind.LINK,
            description="Late link",
            criteria=list(stale.badge_version.criteria.all()),
            url="https://example.org/late",
        )
    assert not stale.evidence.filter(description="Late link").exists()


def test_evidence_cannot_be_changed_or_removed_through_a_stale_copy():
    sc, stale = _submitted_behind_a_stale_copy()
    item = stale.evidence.get()
    item.application = stale
    before = list(stale.evidence.values_list("pk", "description", "retired_at"))
    with pytest.raises(StaleObjectError):
        services.evidence_update(
            actor=sc.learner,
            item=item,
            description="Changed after submission",
            criteria=list(stale.badge_version.criteria.all()),
        )
    with pytest.raises(StaleObjectError):
        services.evidence_remove(actor=sc.learner, item=item)
    assert list(stale.evidence.values_list("pk", "description", "retired_at")) == before


def test_the_self_assessment_cannot_be_changed_through_a_stale_copy():
    sc, stale = _submitted_behind_a_stale_copy()
    criterion = stale.badge_version.criteria.get()
    with pytest.raises(StaleObjectError):
        services.self_assessment_save(
            actor=sc.learner,
            application=stale,
            entries=[{"criterion": criterion.pk, "status": "met", "comment": "late"}],
        )
    assert not stale.self_assessments.filter(comment="late").exists()
