"""Badge settings beyond the limits that submission (review due date) and issuing (expiry) can handle are refused."""

import pytest

from core.errors import ValidationFailed
from frameworks.services import badge_create, badge_version_update
from tests.factories.frameworks import BadgeFactory, BadgeVersionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        # due date = submission + review_days: beyond ~2.7 million days the date overflows.
        ("review_days", 10_000_000, "Ensure this value is less than or equal to 365."),
        # expiry = issue date + validity_months: beyond year 9999 issuing fails.
        ("validity_months", 200_000, "Ensure this value is less than or equal to 1200."),
        ("max_rounds", 0, "Ensure this value is greater than or equal to 1."),
        ("max_rounds", 1_000_000, "Ensure this value is less than or equal to 100."),
    ],
)
def test_review_and_validity_settings_outside_the_import_limits_are_refused(
    coordinator, own_constellation, field, value, message
):
    with pytest.raises(ValidationFailed) as caught:
        badge_create(
            actor=coordinator,
            constellation=own_constellation,
            slug="x",
            kind="micro",
            title="X",
            **{field: value},
        )
    assert caught.value.details == [(field, message)]
    version = BadgeVersionFactory(badge=BadgeFactory(constellation=own_constellation))
    with pytest.raises(ValidationFailed) as caught:
        badge_version_update(actor=coordinator, version=version, **{field: value})
    assert caught.value.details == [(field, message)]
