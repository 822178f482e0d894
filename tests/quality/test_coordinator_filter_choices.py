"""A coordinator's filter choices name nobody outside their constellations."""

from core.roles import Role
from quality.forms import FilterForm
from tests.factories.core import UserFactory
from tests.factories.frameworks import ConstellationFactory


def test_a_coordinators_assessor_choices_are_the_assessors_of_their_constellations(scenario):
    outsider = UserFactory(roles=[Role.ASSESSOR], display_name="Olga Outsider")
    ConstellationFactory(slug="elsewhere", assessors=[outsider])
    coordinator_form = FilterForm(user=scenario.cora)
    # Ada and Bram assess the constellation; Cora moderated one of its applications.
    assert set(coordinator_form.fields["assessor"].queryset) == {
        scenario.ada,
        scenario.bram,
        scenario.cora,
    }
    refused = FilterForm({"assessor": outsider.pk}, user=scenario.cora)
    assert not refused.is_valid()
    auditor = UserFactory(roles=[Role.AUDITOR])
    assert outsider in FilterForm(user=auditor).fields["assessor"].queryset
