"""Applications with evidence, driven through the services (never by writing the state)."""

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import services
from applications.models import Application, EvidenceKind
from core.roles import Role
from tests.factories.core import UserFactory
from tests.factories.frameworks import ConstellationFactory, published_badge_version

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_upload(name: str = "evidence.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft application (the initial state) for a published micro badge."""

    class Meta:
        model = Application

    learner = factory.LazyFunction(lambda: UserFactory(roles=[Role.LEARNER]))
    badge_version = factory.LazyFunction(lambda: published_badge_version())


def badge_version_in_constellation(
    *, coordinators=(), assessors=(), moderators=(), criteria=2, **kwargs
):
    constellation = ConstellationFactory(coordinators=list(coordinators), assessors=list(assessors))
    if moderators:
        constellation.moderators.add(*moderators)
    return published_badge_version(criteria=criteria, badge__constellation=constellation, **kwargs)


def add_required_evidence(application: Application, *, actor=None) -> None:
    """One PDF per criterion (what the test badges require)."""
    actor = actor or application.learner
    for criterion in application.badge_version.criteria.all():
        services.evidence_add(
            actor=actor,
            application=application,
            kind=EvidenceKind.FILE,
            description=f"Evidence for {criterion.code}",
            criteria=[criterion],
            upload=pdf_upload(f"{criterion.code}.pdf"),
        )


def draft_application(*, learner=None, badge_version=None, with_evidence=True) -> Application:
    learner = learner or UserFactory(roles=[Role.LEARNER])
    badge_version = badge_version or published_badge_version()
    application = services.application_start(learner=learner, badge_version=badge_version)
    if with_evidence:
        add_required_evidence(application)
    return application
