"""The four roles are groups with model permissions, created after every migrate."""

import pytest
from django.contrib.auth.models import Group, Permission

from core.roles import Role, grant_role, sync_role_permissions
from core.rules import is_assessor, is_auditor, is_coordinator, is_learner
from tests.factories.core import UserFactory

pytestmark = pytest.mark.django_db


def codenames(role: Role) -> set[str]:
    return set(Group.objects.get(name=role.value).permissions.values_list("codename", flat=True))


def test_migrating_creates_the_four_role_groups():
    assert sorted(Group.objects.values_list("name", flat=True)) == [
        "assessor",
        "auditor",
        "coordinator",
        "learner",
    ]


def test_the_auditor_may_only_view():
    granted = codenames(Role.AUDITOR)

    assert "view_auditevent" in granted
    assert "view_user" in granted
    assert granted == {c for c in granted if c.startswith("view_")}


def test_the_auditor_may_view_every_model_of_the_domain_apps():
    apps = ("frameworks", "applications", "review", "certificates", "core", "quality")
    expected = set(
        Permission.objects.filter(
            content_type__app_label__in=apps, codename__startswith="view_"
        ).values_list("codename", flat=True)
    )

    assert codenames(Role.AUDITOR) == expected


def test_a_learner_cannot_delete_anything_nor_touch_frameworks():
    granted = codenames(Role.LEARNER)

    assert not any(c.startswith("delete_") for c in granted)
    assert (
        not Group.objects.get(name="learner")
        .permissions.filter(content_type__app_label="frameworks")
        .exists()
    )


def test_syncing_again_changes_nothing():
    before = {role: codenames(role) for role in Role}

    sync_role_permissions()

    assert {role: codenames(role) for role in Role} == before
    assert Group.objects.count() == 4


def test_one_person_may_hold_several_roles():
    person = UserFactory(roles=[Role.ASSESSOR, Role.LEARNER])

    assert person.role_names == frozenset({"assessor", "learner"})
    assert (
        is_learner(person),
        is_assessor(person),
        is_coordinator(person),
        is_auditor(person),
    ) == (
        True,
        True,
        False,
        False,
    )


def test_granting_a_role_is_seen_at_once_and_is_idempotent():
    person = UserFactory()
    assert person.has_role(Role.AUDITOR) is False

    grant_role(person, Role.AUDITOR)
    grant_role(person, Role.AUDITOR)

    assert person.has_role(Role.AUDITOR) is True
    assert person.groups.count() == 1
    assert person.has_perm("core.view_auditevent") is True
    assert person.has_perm("core.change_auditevent") is False
