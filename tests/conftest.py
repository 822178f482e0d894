"""Fixtures every test module may use. App-specific fixtures live in tests/<app>/conftest.py."""

import pytest

from core.roles import Role
from tests.factories.core import UserFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def learner(db):
    return UserFactory(roles=[Role.LEARNER], display_name="Lena Learner")


@pytest.fixture
def assessor(db):
    return UserFactory(roles=[Role.ASSESSOR], display_name="Ada Assessor")


@pytest.fixture
def coordinator(db):
    return UserFactory(roles=[Role.COORDINATOR], display_name="Cora Coordinator")


@pytest.fixture
def auditor(db):
    return UserFactory(roles=[Role.AUDITOR], display_name="Otto Auditor")
