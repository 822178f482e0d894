import pytest

from demo.accounts import seed_accounts
from frameworks import demo
from frameworks.models import Badge, BadgeVersion, Constellation, Framework
from frameworks.translations import missing_translations, version_texts


@pytest.mark.django_db
def test_demo_seed_creates_the_edusta_constellation_and_is_idempotent():
    accounts = seed_accounts()
    demo.seed(accounts)
    counts = (Framework.objects.count(), Badge.objects.count(), BadgeVersion.objects.count())
    demo.seed(accounts)
    assert (
        Framework.objects.count(),
        Badge.objects.count(),
        BadgeVersion.objects.count(),
    ) == counts
    assert counts == (2, 14, 15)
    edusta = Constellation.objects.get(slug="edusta")
    assert edusta.name == "Sustainable Future Educator (EduSTA)"
    assert edusta.is_illustrative is True
    assert list(edusta.coordinators.all()) == [accounts.coordinator]
    assert set(edusta.assessors.all()) == set(accounts.assessors)


@pytest.mark.django_db
def test_demo_badges_carry_the_review_settings_the_workflow_demo_relies_on():
    demo.seed(seed_accounts())
    live = {
        v.badge.slug: v
        for v in BadgeVersion.objects.filter(status="published").select_related("badge")
    }
    assert live["critical-developer"].double_assessment == "all"
    assert live["complexity-embracer"].max_rounds == 2
    assert live["futures-thinking-catalyser"].review_days == 7
    micro = [v for v in live.values() if v.badge.kind == "micro"]
    assert len(micro) == 9
    assert {v.review_days for v in micro if v.badge.slug != "futures-thinking-catalyser"} == {14}
    assert live["sustainability-literacy"].required_count == 2
    assert live["enabling-action"].required_count == 1
    assert live["sustainable-future-educator"].required_count == 4
    assert sorted(b.slug for b in live["sustainable-future-educator"].required_badges.all()) == [
        "enabling-action",
        "learning-ecosystem-design",
        "reflexive-praxis",
        "sustainability-literacy",
    ]
    draft = BadgeVersion.objects.get(badge__slug="value-awareness-supporter", status="draft")
    assert draft.version == 2
    assert draft.criteria.count() == 2


@pytest.mark.django_db
def test_the_demo_draft_is_translated_in_the_product_but_for_its_rubric_descriptors():
    accounts = seed_accounts()
    demo.seed(accounts)
    draft = BadgeVersion.objects.get(badge__slug="value-awareness-supporter", status="draft")
    texts = version_texts(
        BadgeVersion.objects.prefetch_related("criteria__rubric_levels").get(pk=draft.pk)
    )

    assert draft.translations["de"]["title"] == "Wertebewusstsein fördern"
    # The narrative and the four rubric descriptors are left to the coordinator.
    assert missing_translations(texts, "de") == 5
    # The shipped file's own translations are kept, not overwritten by the demo's.
    assert draft.translations["da"]["title"] == "Vejleder i værdibevidsthed"
