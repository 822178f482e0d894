import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import services
from applications.models import Application, ApplicationState, EvidenceItem, EvidenceKind, Round
from core.errors import PermissionDeniedError, ValidationFailed, WorkflowError
from core.roles import Role
from tests.factories.applications import (
    PDF_BYTES,
    draft_application,
    pdf_upload,
    png_bytes,
)
from tests.factories.core import UserFactory
from tests.factories.frameworks import CriterionFactory, RubricLevelFactory, published_badge_version
from tests.factories.review import scenario

S = ApplicationState


# --- starting ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_learner_starts_one_open_application_per_badge_version(learner):
    version = published_badge_version()
    application = services.application_start(learner=learner, badge_version=version)
    assert application.state == S.DRAFT
    with pytest.raises(WorkflowError) as error:
        services.application_start(learner=learner, badge_version=version)
    assert str(error.value) == "You already have an application for this badge."
    assert Application.objects.filter(learner=learner).count() == 1


@pytest.mark.django_db
def test_a_withdrawn_application_does_not_block_a_new_one(learner):
    version = published_badge_version()
    first = services.application_start(learner=learner, badge_version=version)
    services.application_withdraw(actor=learner, application=first)
    second = services.application_start(learner=learner, badge_version=version)
    assert second.pk != first.pk


@pytest.mark.django_db
def test_only_published_micro_badges_take_applications(learner):
    from tests.factories.frameworks import BadgeVersionFactory

    with pytest.raises(WorkflowError):
        services.application_start(learner=learner, badge_version=BadgeVersionFactory())


@pytest.mark.django_db
def test_only_learners_start_applications(assessor):
    with pytest.raises(PermissionDeniedError):
        services.application_start(learner=assessor, badge_version=published_badge_version())


# --- evidence ------------------------------------------------------------------------------


@pytest.fixture
def application(db):
    return draft_application(with_evidence=False)


def criterion(application, index=0):
    return application.badge_version.criteria.order_by("order", "id")[index]


def add_file(application, upload, **kwargs):
    return services.evidence_add(
        actor=application.learner,
        application=application,
        kind=EvidenceKind.FILE,
        description="A file",
        criteria=[criterion(application)],
        upload=upload,
        **kwargs,
    )


def test_a_file_is_stored_under_a_generated_name_and_kept_its_clean_original_name(application):
    item = add_file(application, pdf_upload("../../etc/passwd\x00.pdf"))
    assert item.content_type == "application/pdf"
    assert item.size == len(PDF_BYTES)
    assert item.original_filename == "passwd.pdf"
    assert item.file.name.startswith(f"evidence/{application.pk}/")
    assert item.file.name.endswith(".pdf")
    assert ".." not in item.file.name and "passwd" not in item.file.name


def test_a_png_image_is_accepted_by_its_content(application):
    item = add_file(application, SimpleUploadedFile("photo.jpg", png_bytes()))
    assert item.content_type == "image/png"


@pytest.mark.parametrize(
    "name,content",
    [
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00 an executable"),
        ("notes.txt", b"<html><script>alert(1)</script></html>"),
        (
            "picture.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        ),
        ("image.png", b'<?xml version="1.0"?><svg onload="alert(1)"/>'),
    ],
)
def test_a_file_of_the_wrong_kind_behind_a_right_name_is_refused(application, name, content):
    with pytest.raises(ValidationFailed) as error:
        add_file(application, SimpleUploadedFile(name, content))
    assert str(error.value).startswith("This kind of file is not accepted.")
    assert EvidenceItem.objects.count() == 0


def test_an_oversize_file_is_refused(application, settings):
    settings.EVIDENCE_MAX_FILE_SIZE = 100
    with pytest.raises(ValidationFailed) as error:
        add_file(application, pdf_upload(content=PDF_BYTES + b"x" * 200))
    assert "too large" in str(error.value)


def test_the_files_of_one_application_are_capped_together(application, settings):
    settings.EVIDENCE_MAX_APPLICATION_SIZE = len(PDF_BYTES) * 2
    add_file(application, pdf_upload())
    add_file(application, pdf_upload())
    with pytest.raises(ValidationFailed) as error:
        add_file(application, pdf_upload())
    assert "would exceed" in str(error.value)
    assert EvidenceItem.objects.filter(application=application).count() == 2


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<script>", "ftp://example.org/x", "example.org"]
)
def test_links_must_be_http_or_https(application, url):
    with pytest.raises(ValidationFailed) as error:
        services.evidence_add(
            actor=application.learner,
            application=application,
            kind=EvidenceKind.LINK,
            description="A link",
            criteria=[criterion(application)],
            url=url,
        )
    assert str(error.value) == "Enter a web address that starts with http:// or https://."


def test_a_reflection_is_sanitised(application):
    item = services.evidence_add(
        actor=application.learner,
        application=application,
        kind=EvidenceKind.REFLECTION,
        description="Reflection",
        criteria=[criterion(application)],
        text='<p onclick="x()">I <strong>learned</strong><script>alert(1)</script>'
        '<a href="javascript:alert(1)">this</a></p><img src=x onerror=alert(1)>',
    )
    assert (
        item.text
        == '<p>I <strong>learned</strong><a rel="noopener noreferrer nofollow">this</a></p>'
    )


def test_a_plain_text_reflection_keeps_its_paragraphs_escaped(application):
    item = services.evidence_add(
        actor=application.learner,
        application=application,
        kind=EvidenceKind.REFLECTION,
        description="Reflection",
        criteria=[criterion(application)],
        text="First 1 < 2\n\nSecond",
    )
    assert item.text == "<p>First 1 &lt; 2</p><p>Second</p>"


def test_evidence_needs_a_criterion_of_the_same_badge(application):
    other = CriterionFactory()
    with pytest.raises(ValidationFailed):
        services.evidence_add(
            actor=application.learner,
            application=application,
            kind=EvidenceKind.LINK,
            description="A link",
            criteria=[other],
            url="https://example.org",
        )


def test_nobody_else_adds_evidence_to_a_learners_application(application):
    other = UserFactory(roles=[Role.LEARNER])
    with pytest.raises(PermissionDeniedError):
        services.evidence_add(
            actor=other,
            application=application,
            kind=EvidenceKind.LINK,
            description="A link",
            criteria=[criterion(application)],
            url="https://example.org",
        )


# --- submission ----------------------------------------------------------------------------


def test_submission_is_refused_naming_what_is_missing(application):
    first = criterion(application, 0)
    second = criterion(application, 1)
    second.required_links = 1
    second.save()
    add_file(application, pdf_upload())
    with pytest.raises(ValidationFailed) as error:
        services.application_submit(actor=application.learner, application=application)
    assert error.value.details == [f"{second.code} {second.title}: 1 file, 1 link missing"]
    assert f"{first.code}" not in str(error.value)
    application.refresh_from_db()
    assert application.state == S.DRAFT
    assert Round.objects.count() == 0


def test_submission_freezes_the_evidence_and_self_assessment_as_a_round(db):
    application = draft_application()
    level = RubricLevelFactory(criterion=criterion(application), is_passing=True)
    services.self_assessment_save(
        actor=application.learner,
        application=application,
        entries=[
            {"criterion": criterion(application), "rubric_level": level.pk, "comment": "Sure"}
        ],
    )
    round_ = services.application_submit(
        actor=application.learner, application=application, note="Hi"
    )
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert application.round_count == 1
    assert round_.number == 1
    assert round_.learner_note == "Hi"
    assert set(round_.evidence.all()) == set(application.evidence.all())
    frozen = round_.self_assessments.get()
    assert (frozen.rubric_level, frozen.comment) == (level, "Sure")
    assert application.due_at == application.submitted_at + __import__("datetime").timedelta(
        days=14
    )


def test_later_edits_never_change_what_a_round_froze(db):
    sc = scenario()
    sc.to(S.CHANGES_REQUESTED)
    app = sc.application
    round_one = app.rounds.get()
    item = round_one.evidence.order_by("id").first()
    new = services.evidence_update(
        actor=sc.learner,
        item=item,
        description="Revised plan",
        criteria=list(item.criteria.all()),
        upload=pdf_upload("v2.pdf", PDF_BYTES + b"% v2\n"),
    )
    assert new.pk != item.pk and new.previous == item
    item.refresh_from_db()
    assert item.description == "Evidence for " + criterion(app).code
    assert item.retired_at is not None
    assert list(round_one.evidence.order_by("id")) == list(
        EvidenceItem.objects.filter(pk__in=round_one.evidence.values("pk")).order_by("id")
    )
    assert item in round_one.evidence.all() and new not in round_one.evidence.all()
    sc.submit()
    round_two = app.rounds.get(number=2)
    assert new in round_two.evidence.all() and item not in round_two.evidence.all()


def test_removing_frozen_evidence_retires_it_and_keeps_the_round(db):
    sc = scenario()
    sc.to(S.CHANGES_REQUESTED)
    item = sc.application.rounds.get().evidence.first()
    services.evidence_remove(actor=sc.learner, item=item)
    item.refresh_from_db()
    assert item.retired_at is not None
    assert sc.application.rounds.get().evidence.filter(pk=item.pk).exists()


def test_evidence_cannot_change_while_the_application_is_under_review(db):
    sc = scenario()
    sc.to(S.SUBMITTED)
    item = sc.application.evidence.first()
    with pytest.raises(WorkflowError):
        services.evidence_remove(actor=sc.learner, item=item)


@pytest.mark.django_db
@pytest.mark.parametrize("percent,expected", [(0, False), (100, True)])
def test_sampled_double_assessment_is_recorded_on_the_application(percent, expected):
    sc = scenario(assessors=2, double_assessment="sampled", sample_percent=percent)
    app = sc.submit()
    assert app.needs_two_assessors is expected
    assert len(sc.assigned()) == (2 if expected else 1)


@pytest.mark.django_db
def test_the_sample_is_deterministic_per_application():
    sc = scenario(assessors=2, double_assessment="sampled", sample_percent=50)
    first = services.needs_two_assessors(sc.application)
    assert all(services.needs_two_assessors(sc.application) is first for _ in range(5))
