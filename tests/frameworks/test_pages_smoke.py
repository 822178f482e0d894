import pytest
from django.urls import reverse

from demo.accounts import seed_accounts
from frameworks import demo
from frameworks.models import BadgeVersion, Constellation, Criterion, Framework


@pytest.fixture
def seeded(db):
    accounts = seed_accounts()
    demo.seed(accounts)
    return accounts


def test_every_coordinator_page_renders_with_the_demo_data(client, seeded):
    client.force_login(seeded.coordinator)
    framework = Framework.objects.get(slug="digcompedu")
    draft = BadgeVersion.objects.get(badge__slug="value-awareness-supporter", status="draft")
    milestone = BadgeVersion.objects.get(badge__slug="sustainability-literacy")
    criterion = Criterion.objects.filter(badge_version=draft).first()
    urls = [
        reverse("frameworks:framework_list"),
        reverse("frameworks:framework_import"),
        reverse("frameworks:framework_detail", args=[framework.pk]),
        reverse("frameworks:framework_export", args=[framework.pk]),
        reverse("frameworks:constellation_list"),
        reverse("frameworks:constellation_create"),
        reverse("frameworks:constellation_import"),
        reverse("frameworks:constellation_detail", args=["edusta"]),
        reverse("frameworks:constellation_edit", args=["edusta"]),
        reverse("frameworks:constellation_export", args=["edusta"]),
        reverse("frameworks:coverage", args=["edusta"]),
        reverse("frameworks:badge_create", args=["edusta"]) + "?kind=milestone",
        reverse("frameworks:badge_detail", args=[draft.pk]),
        reverse("frameworks:badge_detail", args=[milestone.pk]),
        reverse("frameworks:badge_edit", args=[draft.pk]),
        reverse("frameworks:badge_edit", args=[milestone.pk + 0]),
        reverse("frameworks:badge_image", args=[draft.pk]),
        reverse("frameworks:criterion_create", args=[draft.pk]),
        reverse("frameworks:criterion_edit", args=[criterion.pk]),
        reverse("frameworks:catalogue"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302), url
    assert Constellation.objects.count() == 1
