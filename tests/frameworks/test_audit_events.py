"""Every change to a draft badge version and its criteria leaves an audit event."""

import pytest

from core.errors import ValidationFailed
from core.models import AuditEvent
from frameworks.services import (
    badge_version_update,
    criterion_create,
    criterion_delete,
    criterion_set_alignments,
    criterion_set_rubric,
    criterion_update,
)
from tests.factories.frameworks import (
    BadgeFactory,
    BadgeVersionFactory,
    CompetenceFactory,
    CriterionFactory,
    FrameworkFactory,
    ProficiencyLevelFactory,
)

pytestmark = pytest.mark.django_db

MAP = {"badge": "mapper", "version": 1, "code": "C1", "title": "Map"}


@pytest.fixture
def draft(own_constellation):
    return BadgeVersionFactory(
        badge=BadgeFactory(constellation=own_constellation, slug="mapper", kind="micro")
    )


def only_event(action):
    event = AuditEvent.objects.get(action=action)
    return event.actor, event.object_type, event.object_id, event.data


def test_creating_a_criterion_records_it(coordinator, draft):
    criterion = criterion_create(
        actor=coordinator, version=draft, code="C1", title="Map", required_files=1
    )
    assert only_event("criterion.created") == (
        coordinator,
        "frameworks.criterion",
        str(criterion.pk),
        MAP,
    )


def test_updating_a_criterion_records_the_changed_fields(coordinator, draft):
    criterion = CriterionFactory(badge_version=draft, code="C1", title="Map")
    criterion_update(actor=coordinator, criterion=criterion, title="Systems map", required_links=2)
    assert only_event("criterion.updated") == (
        coordinator,
        "frameworks.criterion",
        str(criterion.pk),
        MAP
        | {
            "title": "Systems map",
            "fields": ["required_links", "title"],
        },
    )


def test_deleting_a_criterion_records_which_one_it_was(coordinator, draft):
    criterion = CriterionFactory(badge_version=draft, code="C2", title="Plan")
    pk = criterion.pk
    criterion_delete(actor=coordinator, criterion=criterion)
    assert only_event("criterion.deleted") == (
        coordinator,
        "frameworks.criterion",
        str(pk),
        {"badge": "mapper", "version": 1, "code": "C2", "title": "Plan"},
    )


def test_replacing_a_rubric_records_its_levels(coordinator, draft):
    criterion = CriterionFactory(badge_version=draft, code="C1", title="Map")
    criterion_set_rubric(
        actor=coordinator,
        criterion=criterion,
        levels=[{"name": "Not yet"}, {"name": "Met", "is_passing": True}],
    )
    assert only_event("criterion.rubric_set") == (
        coordinator,
        "frameworks.criterion",
        str(criterion.pk),
        MAP
        | {
            "levels": ["Not yet", "Met"],
            "passing": ["Met"],
        },
    )


def test_replacing_alignments_records_them_in_the_file_format(coordinator, draft):
    criterion = CriterionFactory(badge_version=draft, code="C1", title="Map")
    framework = FrameworkFactory(slug="digcompedu", version=2)
    competence = CompetenceFactory(area__framework=framework, code="3.3")
    level = ProficiencyLevelFactory(framework=framework, code="B1")
    other = CompetenceFactory(area__framework=framework, code="1.1")
    criterion_set_alignments(
        actor=coordinator, criterion=criterion, alignments=[(competence, level), (other, None)]
    )
    assert only_event("criterion.alignments_set") == (
        coordinator,
        "frameworks.criterion",
        str(criterion.pk),
        MAP
        | {
            "alignments": [
                {
                    "framework": "digcompedu",
                    "framework_version": 2,
                    "competence": "3.3",
                    "level": "B1",
                },
                {
                    "framework": "digcompedu",
                    "framework_version": 2,
                    "competence": "1.1",
                    "level": None,
                },
            ],
        },
    )


def test_updating_a_draft_version_records_the_changed_fields(coordinator, draft):
    badge_version_update(
        actor=coordinator, version=draft, title="Mapper", review_days=7, required_badges=[]
    )
    assert only_event("badge.updated") == (
        coordinator,
        "frameworks.badgeversion",
        str(draft.pk),
        {
            "slug": "mapper",
            "version": 1,
            "fields": ["required_badges", "review_days", "title"],
        },
    )


def test_a_refused_change_records_nothing(coordinator, draft):
    criterion = CriterionFactory(badge_version=draft)
    with pytest.raises(ValidationFailed):
        criterion_set_rubric(actor=coordinator, criterion=criterion, levels=[{"name": "Not yet"}])
    assert not AuditEvent.objects.filter(action__startswith="criterion.").exists()
