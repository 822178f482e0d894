"""Content translations edited in the product: the services, the pages, the missing counts,
and readers seeing a default-language text marked as such."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from core.errors import (
    PermissionDeniedError,
    StaleObjectError,
    ValidationFailed,
    WorkflowError,
)
from core.models import AuditEvent
from frameworks.models import BadgeStatus, BadgeVersion, Criterion, RubricLevel
from frameworks.services import (
    badge_new_draft,
    badge_publish,
    badge_version_translate,
    constellation_translate,
    framework_translate,
)
from frameworks.templatetags.frameworks_tags import content
from frameworks.translations import translation_overview
from tests.factories.frameworks import (
    BadgeFactory,
    BadgeVersionFactory,
    CompetenceAreaFactory,
    CompetenceFactory,
    CriterionFactory,
    FrameworkFactory,
    RubricLevelFactory,
    published_badge_version,
)

pytestmark = pytest.mark.django_db

OTHER_LANGUAGES = ["sv", "fi", "nb", "da", "de"]


@pytest.fixture
def draft(own_constellation):
    version = BadgeVersionFactory(
        badge=BadgeFactory(constellation=own_constellation, slug="mapper"),
        title="Systems map",
        description="Draws a map.",
        criteria_narrative="",
    )
    criterion = CriterionFactory(
        badge_version=version, order=1, code="C1", title="Map", description="Shows the map."
    )
    RubricLevelFactory(criterion=criterion, order=1, name="Emerging", descriptor="")
    RubricLevelFactory(
        criterion=criterion, order=2, name="Secure", descriptor="Clear.", is_passing=True
    )
    return version


def parts(version):
    criterion = version.criteria.get()
    emerging, secure = criterion.rubric_levels.order_by("order")
    return criterion, emerging, secure


# Services -----------------------------------------------------------------------------


def test_translating_a_draft_stores_each_text_and_records_what_changed(coordinator, draft):
    criterion, emerging, _secure = parts(draft)

    changed = badge_version_translate(
        actor=coordinator,
        version=draft,
        language="sv",
        texts={
            draft: {"title": " Systemkarta ", "description": ""},
            criterion: {"title": "Karta"},
            emerging: {"name": "Framväxande"},
        },
    )

    assert changed == ["title", "criterion 1 title", "criterion 1 level 1 name"]
    assert BadgeVersion.objects.get(pk=draft.pk).translations == {"sv": {"title": "Systemkarta"}}
    assert Criterion.objects.get(pk=criterion.pk).translations == {"sv": {"title": "Karta"}}
    assert RubricLevel.objects.get(pk=emerging.pk).translations == {"sv": {"name": "Framväxande"}}
    event = AuditEvent.objects.get(action="badge.translated")
    assert (event.actor, event.object_id, event.data) == (
        coordinator,
        str(draft.pk),
        {
            "slug": "mapper",
            "version": 1,
            "language": "sv",
            "fields": ["title", "criterion 1 title", "criterion 1 level 1 name"],
        },
    )


def test_an_emptied_field_removes_the_translation_and_other_languages_stay(coordinator, draft):
    draft.translations = {"sv": {"title": "Systemkarta"}, "fi": {"title": "Systeemikartta"}}
    draft.save()

    badge_version_translate(
        actor=coordinator, version=draft, language="sv", texts={draft: {"title": "  "}}
    )

    assert BadgeVersion.objects.get(pk=draft.pk).translations == {"fi": {"title": "Systeemikartta"}}


def test_saving_unchanged_texts_records_nothing(coordinator, draft):
    draft.translations = {"sv": {"title": "Systemkarta"}}
    draft.save()

    changed = badge_version_translate(
        actor=coordinator, version=draft, language="sv", texts={draft: {"title": "Systemkarta"}}
    )

    assert (changed, AuditEvent.objects.filter(action="badge.translated").count()) == ([], 0)


def test_a_translation_is_held_to_the_length_of_the_text_it_translates(coordinator, draft):
    criterion, _emerging, _secure = parts(draft)

    with pytest.raises(ValidationFailed) as raised:
        badge_version_translate(
            actor=coordinator,
            version=draft,
            language="fi",
            texts={draft: {"title": "Kartta"}, criterion: {"title": "x" * 301}},
        )

    assert raised.value.details == [("criterion 1 title", "longer than 300 characters")]
    assert BadgeVersion.objects.get(pk=draft.pk).translations == {}
    assert AuditEvent.objects.filter(action="badge.translated").count() == 0


@pytest.mark.parametrize("language", ["en", "pt", "xx"])
def test_only_offered_languages_other_than_the_default_are_translated(coordinator, draft, language):
    with pytest.raises(ValidationFailed) as raised:
        badge_version_translate(
            actor=coordinator, version=draft, language=language, texts={draft: {"title": "T"}}
        )

    assert raised.value.details == [("language", "not a language content can be translated into")]


def test_a_published_version_is_not_translated_in_place(coordinator, own_constellation):
    live = published_badge_version(badge=BadgeFactory(constellation=own_constellation))

    with pytest.raises(WorkflowError):
        badge_version_translate(
            actor=coordinator, version=live, language="sv", texts={live: {"title": "Ny"}}
        )

    assert BadgeVersion.objects.get(pk=live.pk).translations == {}


def test_a_version_published_meanwhile_refuses_the_translation_and_keeps_nothing(
    coordinator, draft
):
    criterion, _emerging, _secure = parts(draft)
    stale = BadgeVersion.objects.get(pk=draft.pk)
    badge_publish(actor=coordinator, version=BadgeVersion.objects.get(pk=draft.pk))

    with pytest.raises(StaleObjectError):
        badge_version_translate(
            actor=coordinator,
            version=stale,
            language="sv",
            texts={stale: {"title": "Systemkarta"}, criterion: {"title": "Karta"}},
        )

    assert BadgeVersion.objects.get(pk=draft.pk).translations == {}
    assert Criterion.objects.get(pk=criterion.pk).translations == {}


def test_another_coordinators_badge_is_refused(other_coordinator, draft):
    with pytest.raises(PermissionDeniedError):
        badge_version_translate(
            actor=other_coordinator, version=draft, language="sv", texts={draft: {"title": "X"}}
        )


def test_texts_of_another_version_are_refused(coordinator, draft, own_constellation):
    stranger = CriterionFactory(
        badge_version=BadgeVersionFactory(badge=BadgeFactory(constellation=own_constellation))
    )

    with pytest.raises(TypeError):
        badge_version_translate(
            actor=coordinator, version=draft, language="sv", texts={stranger: {"title": "X"}}
        )


def test_translations_are_published_with_the_version_and_a_new_draft_carries_them(
    coordinator, draft
):
    criterion, _emerging, _secure = parts(draft)
    badge_version_translate(
        actor=coordinator,
        version=draft,
        language="fi",
        texts={draft: {"title": "Systeemikartta"}, criterion: {"title": "Kartta"}},
    )
    badge_publish(actor=coordinator, version=BadgeVersion.objects.get(pk=draft.pk))

    published = BadgeVersion.objects.get(pk=draft.pk)
    next_draft = badge_new_draft(actor=coordinator, version=published)
    badge_version_translate(
        actor=coordinator,
        version=next_draft,
        language="fi",
        texts={next_draft: {"title": "Järjestelmäkartta"}},
    )

    published.refresh_from_db()
    assert (published.status, published.translations) == (
        BadgeStatus.PUBLISHED,
        {"fi": {"title": "Systeemikartta"}},
    )
    assert published.criteria.get().translations == {"fi": {"title": "Kartta"}}
    assert BadgeVersion.objects.get(pk=next_draft.pk).translations == {
        "fi": {"title": "Järjestelmäkartta"}
    }
    assert next_draft.criteria.get().translations == {"fi": {"title": "Kartta"}}


def test_translating_a_constellation_records_it(coordinator, own_constellation):
    constellation_translate(
        actor=coordinator,
        constellation=own_constellation,
        language="da",
        texts={"name": "Egen konstellation", "description": ""},
    )

    own_constellation.refresh_from_db()
    event = AuditEvent.objects.get(action="constellation.translated")
    assert (own_constellation.translations, event.data) == (
        {"da": {"name": "Egen konstellation"}},
        {"slug": "own", "language": "da", "fields": ["name"]},
    )


# Missing translations -------------------------------------------------------------------


def test_the_overview_counts_missing_texts_per_language(coordinator, draft, own_constellation):
    criterion, emerging, _secure = parts(draft)
    badge_version_translate(
        actor=coordinator,
        version=draft,
        language="sv",
        texts={
            draft: {"title": "Systemkarta", "description": "Ritar en karta."},
            criterion: {"title": "Karta", "description": "Visar kartan."},
            emerging: {"name": "Framväxande"},
        },
    )

    rows = translation_overview(constellation=own_constellation, languages=["sv", "fi"])

    # The constellation: name and description. The version: title and description (the
    # narrative is empty); criterion: title, description; levels: 1 name + 1 name, descriptor.
    assert [(row.version, row.texts, row.missing) for row in rows] == [
        (None, 2, [("sv", 2), ("fi", 2)]),
        (draft, 7, [("sv", 2), ("fi", 7)]),
    ]


@pytest.mark.parametrize("size", [1, 4])
def test_the_overview_page_costs_the_same_queries_for_few_and_many_badges(
    client, coordinator, own_constellation, size, django_assert_num_queries
):
    for _index in range(size):
        version = BadgeVersionFactory(badge=BadgeFactory(constellation=own_constellation))
        RubricLevelFactory(criterion=CriterionFactory(badge_version=version))
    client.force_login(coordinator)
    url = reverse("frameworks:translation_overview", args=["own"])

    with django_assert_num_queries(10):
        response = client.get(url)

    assert response.status_code == 200


def test_the_overview_page_links_each_count_to_its_translation_page(client, coordinator, draft):
    client.force_login(coordinator)

    response = client.get(reverse("frameworks:translation_overview", args=["own"]))

    page = response.content.decode()
    edit = reverse("frameworks:badge_translate", args=[draft.pk])
    assert f'<a href="{edit}?language=fi" class="missing">7 missing</a>' in page
    constellation_edit = reverse("frameworks:constellation_translate", args=["own"])
    assert f'<a href="{constellation_edit}?language=sv" class="missing">2 missing</a>' in page


# Pages ------------------------------------------------------------------------------------


def test_the_translation_page_shows_the_default_text_beside_the_target_field(
    client, coordinator, draft
):
    draft.translations = {"fi": {"title": "Systeemikartta"}}
    draft.save()
    client.force_login(coordinator)

    response = client.get(
        reverse("frameworks:badge_translate", args=[draft.pk]), {"language": "fi"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert '<div lang="en" class="rich-text">Systems map</div>' in page
    assert (
        '<input type="text" name="0-title" value="Systeemikartta" lang="fi" maxlength="200"' in page
    )
    assert 'name="1-title"' in page and 'name="3-descriptor"' in page


def test_posting_translations_saves_them_and_returns_to_the_language(client, coordinator, draft):
    client.force_login(coordinator)
    url = reverse("frameworks:badge_translate", args=[draft.pk])

    response = client.post(f"{url}?language=nb", {"0-title": "Systemkart", "1-title": "Kart"})

    assert (response.status_code, response["Location"]) == (302, f"{url}?language=nb")
    assert BadgeVersion.objects.get(pk=draft.pk).translations == {"nb": {"title": "Systemkart"}}
    assert draft.criteria.get().translations == {"nb": {"title": "Kart"}}


def test_an_overlong_translation_is_refused_with_a_message_and_nothing_is_stored(
    client, coordinator, draft
):
    client.force_login(coordinator)
    url = reverse("frameworks:badge_translate", args=[draft.pk])

    response = client.post(f"{url}?language=sv", {"0-title": "x" * 201, "1-title": "Karta"})

    assert response.status_code == 400
    assert "Ensure this value has at most 200 characters (it has 201)." in response.content.decode()
    assert draft.criteria.get().translations == {}


def test_a_null_character_is_refused_with_a_message(client, coordinator, draft):
    client.force_login(coordinator)
    url = reverse("frameworks:badge_translate", args=[draft.pk])

    response = client.post(f"{url}?language=sv", {"0-title": "Karta\x00"})

    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()
    assert BadgeVersion.objects.get(pk=draft.pk).translations == {}


def test_an_unknown_language_is_a_400(client, coordinator, draft):
    client.force_login(coordinator)

    response = client.get(
        reverse("frameworks:badge_translate", args=[draft.pk]), {"language": "xx"}
    )

    assert response.status_code == 400
    assert "Select a valid choice. xx is not one of the available choices." in (
        response.content.decode()
    )


def test_a_published_version_is_translated_in_a_new_draft(client, coordinator, own_constellation):
    live = published_badge_version(badge=BadgeFactory(constellation=own_constellation))
    client.force_login(coordinator)

    response = client.post(
        reverse("frameworks:badge_translate", args=[live.pk]) + "?language=sv", {"0-title": "X"}
    )

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("frameworks:badge_detail", args=[live.pk]),
    )
    assert BadgeVersion.objects.get(pk=live.pk).translations == {}


@pytest.mark.parametrize(
    ("who", "page", "status"),
    [
        ("other_coordinator", "badge", 404),
        ("other_coordinator", "overview", 404),
        ("other_coordinator", "constellation", 404),
        ("learner", "badge", 404),
        ("auditor", "badge", 403),
        ("auditor", "overview", 403),
        ("auditor", "constellation", 403),
    ],
)
def test_only_the_constellations_coordinators_translate(client, request, draft, who, page, status):
    client.force_login(request.getfixturevalue(who))
    url = {
        "badge": reverse("frameworks:badge_translate", args=[draft.pk]),
        "overview": reverse("frameworks:translation_overview", args=["own"]),
        "constellation": reverse("frameworks:constellation_translate", args=["own"]),
    }[page]

    assert client.get(url).status_code == status
    if page != "overview":  # a page that only reads
        assert client.post(url, {"0-title": "X"}).status_code == status
    assert BadgeVersion.objects.get(pk=draft.pk).translations == {}


def test_anonymous_visitors_are_sent_to_sign_in(client, draft):
    response = client.get(reverse("frameworks:badge_translate", args=[draft.pk]))

    assert response.status_code == 302 and "/login" in response["Location"]


# Readers ----------------------------------------------------------------------------------


def test_a_missing_translation_shows_the_default_text_marked_with_its_language(
    client, learner, own_constellation
):
    live = published_badge_version(
        badge=BadgeFactory(constellation=own_constellation), title="Systems map", criteria=0
    )
    learner.preferred_language = "fi"
    learner.save()
    client.force_login(learner)

    response = client.get(reverse("frameworks:badge_detail", args=[live.pk]))

    page = response.content.decode()
    assert '<h1><span lang="en" class="content-fallback">Systems map</span></h1>' in page
    with translation.override("fi"):
        hint = gettext(
            "Some texts have no translation yet and are shown in the original language "
            "(%(language)s)."
        ) % {"language": gettext("English")}
    assert f'<p class="content-fallback-hint"><small>{hint}</small></p>' in page


def test_a_translated_text_is_shown_plainly_without_a_hint(client, learner, own_constellation):
    live = published_badge_version(
        badge=BadgeFactory(constellation=own_constellation), title="Systems map", criteria=0
    )
    BadgeVersion.objects.filter(pk=live.pk).update(
        translations={
            "sv": {
                "title": "Systemkarta",
                "description": "Ritar en karta.",
                "criteria_narrative": "Visa kartan.",
            }
        }
    )
    learner.preferred_language = "sv"
    learner.save()
    client.force_login(learner)

    response = client.get(reverse("frameworks:badge_detail", args=[live.pk]))

    page = response.content.decode()
    assert "<h1>Systemkarta</h1>" in page
    assert "content-fallback" not in page


def test_the_content_tag_marks_only_a_stand_in_text(draft):
    draft.translations = {"de": {"title": "Systemkarte"}}

    with translation.override("de"):
        german = content(draft, "title")
    with translation.override("da"):
        danish = content(draft, "description")
    with translation.override("en"):
        english = content(draft, "title")

    assert (german, danish, english) == (
        "Systemkarte",
        '<span lang="en" class="content-fallback">Draws a map.</span>',
        "Systems map",
    )


# Frameworks -------------------------------------------------------------------------------


@pytest.fixture
def framework():
    framework = FrameworkFactory(slug="tiny", name="Tiny framework", description="")
    area = CompetenceAreaFactory(framework=framework, code="1", name="Area one", description="")
    CompetenceFactory(
        framework=framework, area=area, code="1.1", name="First", description="The first."
    )
    return framework


def test_any_coordinator_translates_a_framework_in_place(other_coordinator, framework):
    competence = framework.competences.get()

    changed = framework_translate(
        actor=other_coordinator,
        framework=framework,
        language="sv",
        texts={framework: {"name": "Litet ramverk"}, competence: {"description": "Den första."}},
    )

    competence.refresh_from_db()
    event = AuditEvent.objects.get(action="framework.translated")
    assert (changed, competence.translations, event.data) == (
        ["name", "competence 1.1 description"],
        {"sv": {"description": "Den första."}},
        {
            "slug": "tiny",
            "version": 1,
            "language": "sv",
            "fields": ["name", "competence 1.1 description"],
        },
    )


def test_the_framework_page_lists_every_text_and_saves(client, coordinator, framework):
    client.force_login(coordinator)
    url = reverse("frameworks:framework_translate", args=[framework.pk])

    page = client.get(url, {"language": "da"}).content.decode()
    response = client.post(f"{url}?language=da", {"0-name": "Lille ramme", "2-name": "Første"})

    assert [name in page for name in ("0-name", "1-name", "2-name", "2-description")] == [True] * 4
    assert (response.status_code, framework.competences.get().translations) == (
        302,
        {"da": {"name": "Første"}},
    )


@pytest.mark.parametrize(("who", "status"), [("learner", 404), ("auditor", 403)])
def test_only_coordinators_translate_frameworks(client, request, framework, who, status):
    client.force_login(request.getfixturevalue(who))
    url = reverse("frameworks:framework_translate", args=[framework.pk])

    assert (client.get(url).status_code, client.post(url, {"0-name": "X"}).status_code) == (
        status,
        status,
    )
    framework.refresh_from_db()
    assert framework.translations == {}


@pytest.mark.parametrize("criteria", [1, 4])
def test_the_badge_translation_page_costs_the_same_queries_for_few_and_many_criteria(
    client, coordinator, own_constellation, criteria, django_assert_num_queries
):
    version = BadgeVersionFactory(badge=BadgeFactory(constellation=own_constellation))
    for _index in range(criteria):
        RubricLevelFactory(criterion=CriterionFactory(badge_version=version))
    client.force_login(coordinator)
    url = reverse("frameworks:badge_translate", args=[version.pk])

    with django_assert_num_queries(8):
        response = client.get(url, {"language": "sv"})

    assert response.status_code == 200
