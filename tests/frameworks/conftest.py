import json
from pathlib import Path

import pytest

from frameworks.demo import DATA_DIR
from tests.factories.frameworks import ConstellationFactory


@pytest.fixture
def greencomp_data():
    return json.loads(Path(DATA_DIR, "greencomp.json").read_text(encoding="utf-8"))


@pytest.fixture
def digcompedu_data():
    return json.loads(Path(DATA_DIR, "digcompedu.json").read_text(encoding="utf-8"))


@pytest.fixture
def small_framework_data():
    return {
        "slug": "tiny",
        "name": "Tiny framework",
        "source": "Example source, doi:10.0000/example",
        "levels": [{"code": "L1", "name": "Starter"}, {"code": "L2", "name": "Practitioner"}],
        "areas": [
            {
                "code": "1",
                "name": "Area one",
                "competences": [
                    {"code": "1.1", "name": "First", "description": "The first competence."},
                    {"code": "1.2", "name": "Second", "description": "The second competence."},
                ],
            }
        ],
    }


@pytest.fixture
def own_constellation(coordinator):
    return ConstellationFactory(slug="own", name="Own constellation", coordinators=[coordinator])


@pytest.fixture
def other_coordinator(db):
    from core.roles import Role
    from tests.factories.core import UserFactory

    return UserFactory(roles=[Role.COORDINATOR], display_name="Olga Other")
