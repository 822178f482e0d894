import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import PermissionDeniedError, ValidationFailed, WorkflowError
from core.models import AuditEvent
from frameworks.models import BadgeStatus, BadgeVersion, Criterion, CriterionAlignment, RubricLevel
from frameworks.services import (
    badge_create,
    badge_new_draft,
    badge_publish,
    badge_retire,
    badge_version_update,
    criterion_create,
    criterion_set_alignments,
    criterion_set_rubric,
)
from tests.factories.frameworks import (
    BadgeFactory,
    BadgeVersionFactory,
    CompetenceFactory,
    CriterionAlignmentFactory,
    CriterionFactory,
    ProficiencyLevelFactory,
    RubricLevelFactory,
    published_badge_version,
)

pytestmark = pytest.mark.django_db

EU_FIELDS = {
    "description": "Shows the competence.",
    "learning_outcomes": "Does the thing.",
    "ects": 1,
    "workload_hours": 25,
    "quality_assurance": "Internal QA.",
}


# Model invariants -------------------------------------------------------------------------


def test_the_status_of_a_badge_version_cannot_be_assigned_directly():
    version = BadgeVersionFactory()
    with pytest.raises(AttributeError, match="Direct status modification is not allowed"):
        version.status = BadgeStatus.PUBLISHED


def test_a_badge_has_at_most_one_draft_version():
    version = BadgeVersionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        BadgeVersionFactory(badge=version.badge, version=2)


def test_badge_slugs_are_unique_within_a_constellation_only():
    badge = BadgeFactory(slug="same")
    BadgeFactory(slug="same")  # another constellation
    with pytest.raises(IntegrityError), transaction.atomic():
        BadgeFactory(slug="same", constellation=badge.constellation)


def test_learning_outcomes_are_read_one_per_line():
    version = BadgeVersionFactory(learning_outcomes=" Plans a lesson.\n\n  Reflects.  \n")
    assert version.learning_outcome_list == ["Plans a lesson.", "Reflects."]


def test_a_criterion_knows_whether_it_requires_evidence():
    assert CriterionFactory(
        required_files=0, required_links=0, required_reflections=1
    ).has_evidence_requirement
    assert not CriterionFactory(required_files=0).has_evidence_requirement


# Creating and publishing ------------------------------------------------------------------


def test_badge_create_makes_a_badge_with_a_first_draft_version(coordinator, own_constellation):
    version = badge_create(
        actor=coordinator,
        constellation=own_constellation,
        slug="first",
        kind="micro",
        title="First",
        **EU_FIELDS,
    )
    assert (version.version, version.status, version.badge.slug) == (1, "draft", "first")
    assert AuditEvent.objects.filter(action="badge.created", object_id=str(version.pk)).count() == 1


def test_badge_create_refuses_a_coordinator_of_another_constellation(
    other_coordinator, own_constellation
):
    with pytest.raises(PermissionDeniedError):
        badge_create(
            actor=other_coordinator,
            constellation=own_constellation,
            slug="x",
            kind="micro",
            title="X",
        )


def test_badge_create_refuses_a_taken_slug(coordinator, own_constellation):
    BadgeFactory(constellation=own_constellation, slug="taken")
    with pytest.raises(ValidationFailed) as caught:
        badge_create(
            actor=coordinator,
            constellation=own_constellation,
            slug="taken",
            kind="micro",
            title="X",
        )
    assert caught.value.details == [("slug", "this constellation already has a badge “taken”")]


def test_out_of_range_values_are_refused_with_the_field_named(coordinator, own_constellation):
    with pytest.raises(ValidationFailed) as caught:
        badge_create(
            actor=coordinator,
            constellation=own_constellation,
            slug="x",
            kind="micro",
            title="X",
            eqf_level=9,
        )
    assert caught.value.details == [("eqf_level", "Ensure this value is less than or equal to 8.")]


def test_a_micro_badge_without_criteria_cannot_be_published(coordinator, own_constellation):
    version = BadgeVersionFactory(badge=BadgeFactory(constellation=own_constellation))
    with pytest.raises(ValidationFailed) as caught:
        badge_publish(actor=coordinator, version=version)
    assert caught.value.details == [("criteria", "a micro badge needs at least one criterion")]
    version.refresh_from_db()
    assert version.status == "draft"


def test_a_criterion_without_evidence_requirement_blocks_publishing(coordinator, own_constellation):
    version = BadgeVersionFactory(badge=BadgeFactory(constellation=own_constellation))
    CriterionFactory(badge_version=version, title="Plan", required_files=0)
    with pytest.raises(ValidationFailed) as caught:
        badge_publish(actor=coordinator, version=version)
    assert caught.value.details == [
        (
            "criterion 1 “Plan”",
            "says no evidence is required: require at least one file, link or reflection",
        )
    ]


def test_missing_eu_micro_credential_fields_are_named(coordinator, own_constellation):
    version = BadgeVersionFactory(
        badge=BadgeFactory(constellation=own_constellation),
        learning_outcomes="",
        ects=None,
        workload_hours=None,
        quality_assurance="",
    )
    CriterionFactory(badge_version=version)
    with pytest.raises(ValidationFailed) as caught:
        badge_publish(actor=coordinator, version=version)
    assert [place for place, _problem in caught.value.details] == [
        "learning_outcomes",
        "workload",
        "quality_assurance",
    ]


def test_a_rubric_without_a_passing_level_blocks_publishing(coordinator, own_constellation):
    version = BadgeVersionFactory(badge=BadgeFactory(constellation=own_constellation))
    criterion = CriterionFactory(badge_version=version, title="Plan")
    RubricLevelFactory(criterion=criterion, is_passing=False)
    with pytest.raises(ValidationFailed) as caught:
        badge_publish(actor=coordinator, version=version)
    assert caught.value.details == [
        ("criterion 1 “Plan”", "its rubric has no level that meets the criterion")
    ]


def milestone(constellation, *, count, required, kind="milestone"):
    version = BadgeVersionFactory(
        badge=BadgeFactory(constellation=constellation, kind=kind), required_count=count
    )
    version.required_badges.set(required)
    return version


def test_a_milestone_needs_a_count_between_one_and_the_number_of_badges(
    coordinator, own_constellation
):
    micro = [
        published_badge_version(badge=BadgeFactory(constellation=own_constellation)).badge
        for _ in range(2)
    ]
    version = milestone(own_constellation, count=3, required=micro)
    with pytest.raises(ValidationFailed) as caught:
        badge_publish(actor=coordinator, version=version)
    assert caught.value.details == [
        ("required_count", "must be between 1 and the number of badges that count (2)")
    ]


def test_a_milestone_counts_only_published_micro_badges_of_its_own_constellation(
    coordinator, own_constellation
):
    foreign = published_badge_version().badge
    unpublished = BadgeVersionFactory(
        badge=BadgeFactory(constellation=own_constellation, slug="unpub")
    ).badge
    other_milestone = BadgeFactory(constellation=own_constellation, kind="milestone", slug="ms")
    version = milestone(
        own_constellation, count=1, required=[foreign, unpublished, other_milestone]
    )
    with pytest.raises(ValidationFailed) as caught:
        badge_publish(actor=coordinator, version=version)
    assert sorted(caught.value.details) == sorted(
        [
            ("required_badges", f"“{foreign.slug}” belongs to another constellation"),
            ("required_badges", "“unpub” is not published yet; publish it first"),
            ("required_badges", "“ms” is not a micro badge; a milestone counts micro badges"),
        ]
    )


def test_a_meta_badge_counts_milestones(coordinator, own_constellation):
    micro = published_badge_version(badge=BadgeFactory(constellation=own_constellation)).badge
    ms = milestone(own_constellation, count=1, required=[micro])
    badge_publish(actor=coordinator, version=ms)
    meta = milestone(own_constellation, count=1, required=[ms.badge], kind="meta")
    badge_publish(actor=coordinator, version=meta)
    meta.refresh_from_db()
    assert meta.status == "published"
    wrong = milestone(own_constellation, count=1, required=[micro], kind="meta")
    with pytest.raises(ValidationFailed) as caught:
        badge_publish(actor=coordinator, version=wrong)
    assert caught.value.details == [
        (
            "required_badges",
            f"“{micro.slug}” is not a milestone; a meta badge counts milestones",
        )
    ]


def test_publishing_stamps_the_time_and_records_an_audit_event(coordinator, own_constellation):
    version = BadgeVersionFactory(badge=BadgeFactory(constellation=own_constellation))
    CriterionFactory(badge_version=version)
    when = timezone.now()
    badge_publish(actor=coordinator, version=version, when=when)
    version.refresh_from_db()
    assert (version.status, version.published_at) == ("published", when)
    event = AuditEvent.objects.get(action="badge.published")
    assert (event.from_state, event.to_state, event.actor) == ("draft", "published", coordinator)


def test_only_the_constellations_coordinator_may_publish(
    auditor, other_coordinator, own_constellation
):
    version = BadgeVersionFactory(badge=BadgeFactory(constellation=own_constellation))
    CriterionFactory(badge_version=version)
    for person in (auditor, other_coordinator):
        with pytest.raises(PermissionDeniedError):
            badge_publish(actor=person, version=version)


def test_a_published_version_cannot_be_published_again(coordinator, own_constellation):
    version = published_badge_version(badge=BadgeFactory(constellation=own_constellation))
    with pytest.raises(PermissionDeniedError):
        badge_publish(actor=coordinator, version=version)
    with pytest.raises(WorkflowError):
        badge_publish(actor=None, version=version)


# Immutability and versions ----------------------------------------------------------------


def test_a_published_version_cannot_be_edited(coordinator, own_constellation):
    version = published_badge_version(
        badge=BadgeFactory(constellation=own_constellation), title="Original"
    )
    with pytest.raises(WorkflowError):
        badge_version_update(actor=coordinator, version=version, title="Changed")
    criterion = version.criteria.first()
    with pytest.raises(WorkflowError):
        criterion_create(actor=coordinator, version=version, title="More", required_files=1)
    with pytest.raises(WorkflowError):
        criterion_set_rubric(actor=coordinator, criterion=criterion, levels=[])
    version.refresh_from_db()
    assert version.title == "Original"


def test_editing_a_published_version_goes_through_a_new_draft_that_copies_everything(
    coordinator, own_constellation
):
    level = ProficiencyLevelFactory()
    competence = CompetenceFactory(area__framework=level.framework)
    version = BadgeVersionFactory(
        badge=BadgeFactory(constellation=own_constellation), title="Original"
    )
    criterion = CriterionFactory(badge_version=version, title="Plan", required_links=2)
    RubricLevelFactory(criterion=criterion, order=1, name="Not yet")
    RubricLevelFactory(criterion=criterion, order=2, name="Met", is_passing=True)
    CriterionAlignmentFactory(criterion=criterion, competence=competence, target_level=level)
    badge_publish(actor=coordinator, version=version)

    draft = badge_new_draft(actor=coordinator, version=version)
    badge_version_update(actor=coordinator, version=draft, title="Improved")

    assert (draft.version, draft.status) == (2, "draft")
    copied = draft.criteria.get()
    assert (copied.title, copied.required_links) == ("Plan", 2)
    assert list(copied.rubric_levels.values_list("name", "is_passing")) == [
        ("Not yet", False),
        ("Met", True),
    ]
    assert list(copied.alignments.values_list("competence", "target_level")) == [
        (competence.pk, level.pk)
    ]
    version.refresh_from_db()
    assert (version.title, version.status, version.criteria.get().pk) == (
        "Original",
        "published",
        criterion.pk,
    )
    assert AuditEvent.objects.filter(action="badge.new_version").count() == 1


def test_asking_for_a_new_draft_twice_returns_the_same_draft(coordinator, own_constellation):
    version = published_badge_version(badge=BadgeFactory(constellation=own_constellation))
    first = badge_new_draft(actor=coordinator, version=version)
    assert badge_new_draft(actor=coordinator, version=version) == first
    assert BadgeVersion.objects.filter(badge=version.badge).count() == 2


def test_a_new_draft_of_a_milestone_copies_its_rule(coordinator, own_constellation):
    micro = published_badge_version(badge=BadgeFactory(constellation=own_constellation)).badge
    ms = milestone(own_constellation, count=1, required=[micro])
    badge_publish(actor=coordinator, version=ms)
    draft = badge_new_draft(actor=coordinator, version=ms)
    assert (draft.required_count, list(draft.required_badges.all())) == (1, [micro])


def test_publishing_a_new_version_retires_the_previous_one(coordinator, own_constellation):
    version = published_badge_version(badge=BadgeFactory(constellation=own_constellation))
    draft = badge_new_draft(actor=coordinator, version=version)
    badge_publish(actor=coordinator, version=draft)
    version.refresh_from_db()
    draft.refresh_from_db()
    assert (version.status, draft.status) == ("retired", "published")


def test_retire_only_from_published(coordinator, own_constellation):
    version = published_badge_version(badge=BadgeFactory(constellation=own_constellation))
    badge_retire(actor=coordinator, version=version)
    version.refresh_from_db()
    assert version.status == "retired"
    with pytest.raises(PermissionDeniedError):
        badge_retire(actor=coordinator, version=version)


# Criteria ---------------------------------------------------------------------------------


def test_criteria_only_belong_to_micro_badges(coordinator, own_constellation):
    version = BadgeVersionFactory(
        badge=BadgeFactory(constellation=own_constellation, kind="milestone")
    )
    with pytest.raises(WorkflowError):
        criterion_create(actor=coordinator, version=version, title="X", required_files=1)
    assert Criterion.objects.count() == 0


def test_a_rubric_needs_a_passing_level(coordinator, own_constellation):
    criterion = CriterionFactory(badge_version__badge__constellation=own_constellation)
    with pytest.raises(ValidationFailed):
        criterion_set_rubric(
            actor=coordinator, criterion=criterion, levels=[{"name": "Only", "is_passing": False}]
        )
    criterion_set_rubric(
        actor=coordinator,
        criterion=criterion,
        levels=[{"name": "Low", "is_passing": False}, {"name": "High", "is_passing": True}],
    )
    assert list(RubricLevel.objects.values_list("order", "name")) == [(1, "Low"), (2, "High")]


def test_an_alignment_level_must_belong_to_the_competences_framework(
    coordinator, own_constellation
):
    criterion = CriterionFactory(badge_version__badge__constellation=own_constellation)
    competence = CompetenceFactory()
    foreign_level = ProficiencyLevelFactory()
    with pytest.raises(ValidationFailed) as caught:
        criterion_set_alignments(
            actor=coordinator, criterion=criterion, alignments=[(competence, foreign_level)]
        )
    assert caught.value.details == [
        ("alignment 1", f"level {foreign_level.code} is not a level of the competence's framework")
    ]
    assert CriterionAlignment.objects.count() == 0
