"""The coordinator's path in the browser, and what bad input gets on the way."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from frameworks.models import Badge, BadgeVersion, Constellation, Framework
from frameworks.services import framework_import

pytestmark = pytest.mark.django_db

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a5b1d6a50000000049454e44ae426082"
)


def upload(name, data: bytes, content_type="application/json"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def text_of(response) -> str:
    return response.content.decode()


def test_a_coordinator_builds_publishes_and_exports_a_constellation_in_the_browser(
    client, coordinator, small_framework_data
):
    client.force_login(coordinator)
    # Import a framework.
    response = client.post(
        reverse("frameworks:framework_import"),
        {"file": upload("tiny.json", json.dumps(small_framework_data).encode())},
    )
    framework = Framework.objects.get(slug="tiny")
    assert response.status_code == 302
    assert response["Location"] == reverse("frameworks:framework_detail", args=[framework.pk])
    # Create a constellation.
    response = client.post(
        reverse("frameworks:constellation_create"),
        {"slug": "pilot", "name": "Pilot", "description": ""},
    )
    assert response["Location"] == reverse("frameworks:constellation_detail", args=["pilot"])
    constellation = Constellation.objects.get(slug="pilot")
    assert list(constellation.coordinators.all()) == [coordinator]
    # Two micro badges with a criterion aligned to the framework.
    eu = {
        "description": "Shows it.",
        "learning_outcomes": "Does it.",
        "ects": "1",
        "workload_hours": "25",
        "assessment_type": "artefact",
        "participation_form": "online",
        "quality_assurance": "Internal QA.",
        "review_days": "14",
        "double_assessment": "none",
        "sample_percent": "0",
        "languages": "en, de",
    }
    competence = framework.competences.get(code="1.1")
    level = framework.levels.get(code="L2")
    for slug in ("alpha", "beta"):
        response = client.post(
            reverse("frameworks:badge_create", args=["pilot"]),
            {"kind": "micro", "slug": slug, "title": slug.title(), **eu},
        )
        version = BadgeVersion.objects.get(badge__slug=slug)
        assert response["Location"] == reverse("frameworks:badge_detail", args=[version.pk])
        assert version.languages == ["en", "de"]
        response = client.post(
            reverse("frameworks:criterion_create", args=[version.pk]),
            {
                "title": "Lesson plan",
                "required_files": "1",
                "required_links": "0",
                "required_reflections": "1",
                "rubric-TOTAL_FORMS": "2",
                "rubric-INITIAL_FORMS": "0",
                "rubric-0-name": "Not yet",
                "rubric-1-name": "Met",
                "rubric-1-is_passing": "on",
                "alignments-TOTAL_FORMS": "1",
                "alignments-INITIAL_FORMS": "0",
                "alignments-0-competence": str(competence.pk),
                "alignments-0-target_level": str(level.pk),
            },
        )
        assert response.status_code == 302
        assert (
            client.post(reverse("frameworks:badge_publish", args=[version.pk])).status_code == 302
        )
        version.refresh_from_db()
        assert version.status == "published"
    # A milestone: 1 of the 2.
    response = client.post(
        reverse("frameworks:badge_create", args=["pilot"]) + "?kind=milestone",
        {
            "kind": "milestone",
            "slug": "either",
            "title": "Either",
            **eu,
            "required_count": "1",
            "required_badges": [b.pk for b in Badge.objects.filter(slug__in=["alpha", "beta"])],
        },
    )
    milestone = BadgeVersion.objects.get(badge__slug="either")
    assert response.status_code == 302
    client.post(reverse("frameworks:badge_publish", args=[milestone.pk]))
    milestone.refresh_from_db()
    assert milestone.status == "published"
    # The coverage matrix shows the overlap on 1.1 and the gap on 1.2.
    page = text_of(client.get(reverse("frameworks:coverage", args=["pilot"])))
    assert "Overlap: 2 badges" in page
    assert "Not covered" in page
    # Export.
    response = client.get(reverse("frameworks:constellation_export", args=["pilot"]))
    assert response["Content-Disposition"] == 'attachment; filename="pilot.json"'
    exported = json.loads(response.content)
    assert [b["slug"] for b in exported["badges"]] == ["alpha", "beta", "either"]
    assert exported["badges"][2]["requires"] == {"count": 1, "badges": ["alpha", "beta"]}


def test_editing_a_published_badge_in_the_browser_creates_a_new_draft(
    client, coordinator, own_constellation
):
    from tests.factories.frameworks import BadgeFactory, published_badge_version

    live = published_badge_version(
        badge=BadgeFactory(constellation=own_constellation), title="Original"
    )
    client.force_login(coordinator)
    response = client.post(reverse("frameworks:badge_new_draft", args=[live.pk]))
    draft = BadgeVersion.objects.get(badge=live.badge, version=2)
    assert response["Location"] == reverse("frameworks:badge_edit", args=[draft.pk])
    response = client.get(reverse("frameworks:badge_edit", args=[live.pk]))
    assert response["Location"] == reverse("frameworks:badge_detail", args=[live.pk])
    live.refresh_from_db()
    assert (live.title, live.status) == ("Original", "published")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"{broken", "not valid JSON"),
        (b"[]", "a framework file holds one JSON object"),
        (
            json.dumps({"slug": "x", "name": "X", "areas": [{"code": "1"}]}).encode(),
            "areas[0].name",
        ),
    ],
)
def test_a_bad_framework_upload_gets_a_400_with_each_problem_named(
    client, coordinator, content, expected
):
    client.force_login(coordinator)
    response = client.post(
        reverse("frameworks:framework_import"), {"file": upload("f.json", content)}
    )
    assert response.status_code == 400
    assert expected in text_of(response)
    assert "The file was not imported; nothing was changed." in text_of(response)
    assert Framework.objects.count() == 0


def test_a_too_large_upload_is_refused(client, coordinator):
    client.force_login(coordinator)
    big = b'{"slug": "x", "pad": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    response = client.post(
        reverse("frameworks:framework_import"), {"file": upload("big.json", big)}
    )
    assert response.status_code == 400
    assert "The file is too large (2048 KB); the limit is 2048 KB." in text_of(response)


def test_a_bad_constellation_upload_names_its_problems(client, coordinator):
    client.force_login(coordinator)
    data = {
        "slug": "x",
        "name": "X",
        "badges": [{"slug": "a", "kind": "micro", "name": "A", "criteria": [{}]}],
    }
    response = client.post(
        reverse("frameworks:constellation_import"),
        {"file": upload("c.json", json.dumps(data).encode())},
    )
    assert response.status_code == 400
    assert "badges[0].criteria[0].title" in text_of(response)
    assert Constellation.objects.count() == 0


def test_names_with_markup_are_escaped_on_every_page(client, coordinator, small_framework_data):
    evil = '<script>alert("x")</script>'
    small_framework_data["name"] = evil
    small_framework_data["areas"][0]["competences"][0]["name"] = evil
    framework = framework_import(data=small_framework_data).framework
    from tests.factories.frameworks import ConstellationFactory, aligned_micro_badge

    constellation = ConstellationFactory(slug="evil", name=evil, coordinators=[coordinator])
    aligned_micro_badge(
        constellation=constellation,
        competences=[framework.competences.get(code="1.1")],
        title=evil,
        description=evil,
    )
    version = BadgeVersion.objects.get()
    client.force_login(coordinator)
    for url in [
        reverse("frameworks:framework_list"),
        reverse("frameworks:framework_detail", args=[framework.pk]),
        reverse("frameworks:constellation_list"),
        reverse("frameworks:constellation_detail", args=["evil"]),
        reverse("frameworks:coverage", args=["evil"]),
        reverse("frameworks:badge_detail", args=[version.pk]),
        reverse("frameworks:catalogue"),
    ]:
        page = text_of(client.get(url))
        assert "<script>alert" not in page, url
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page, url


def test_the_generated_image_escapes_the_title(client, own_constellation):
    from tests.factories.frameworks import BadgeFactory, published_badge_version

    version = published_badge_version(
        badge=BadgeFactory(constellation=own_constellation), title="<b>&</b> Me"
    )
    response = client.get(reverse("frameworks:badge_image", args=[version.pk]))
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<title>&lt;b&gt;&amp;&lt;/b&gt; Me</title>" in response.content


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "script or embedded content",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>', "event handlers"),
        (b"GIF89a" + b"\x00" * 20, "must be an SVG or PNG file"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (1024 * 1024 + 1), "too large"),
    ],
)
def test_hostile_or_wrong_badge_images_are_refused(
    client, coordinator, own_constellation, data, message
):
    from tests.factories.frameworks import BadgeFactory, BadgeVersionFactory

    version = BadgeVersionFactory(badge=BadgeFactory(constellation=own_constellation))
    client.force_login(coordinator)
    response = client.post(
        reverse("frameworks:badge_edit", args=[version.pk]),
        {
            "title": "T",
            "description": "D",
            "assessment_type": "artefact",
            "participation_form": "online",
            "review_days": "14",
            "double_assessment": "none",
            "sample_percent": "0",
            "image_upload": upload("i.svg", data, "image/svg+xml"),
        },
    )
    assert response.status_code == 400
    assert message in text_of(response)
    version.refresh_from_db()
    assert not version.image


def test_a_png_image_is_stored_under_a_generated_name_and_served(
    client, coordinator, own_constellation
):
    from frameworks.images import badge_image_bytes
    from tests.factories.frameworks import BadgeFactory, BadgeVersionFactory

    version = BadgeVersionFactory(badge=BadgeFactory(constellation=own_constellation))
    client.force_login(coordinator)
    response = client.post(
        reverse("frameworks:badge_edit", args=[version.pk]),
        {
            "title": "T",
            "description": "D",
            "assessment_type": "artefact",
            "participation_form": "online",
            "review_days": "14",
            "double_assessment": "none",
            "sample_percent": "0",
            "image_upload": upload("../../evil name.png", PNG_1PX, "image/png"),
        },
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.image.name.startswith("badge-images/")
    assert "evil" not in version.image.name
    assert badge_image_bytes(version) == (PNG_1PX, "image/png")
    served = client.get(reverse("frameworks:badge_image", args=[version.pk]))
    assert (served["Content-Type"], served.content) == ("image/png", PNG_1PX)
