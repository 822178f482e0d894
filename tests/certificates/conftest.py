import pytest

from tests.factories.certificates import IssuerFactory


@pytest.fixture
def issuer(db):
    return IssuerFactory()
