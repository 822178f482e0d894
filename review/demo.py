"""Demo applications in every state, created through the services (never by writing state).

Runs after `frameworks.demo` (the EduSTA constellation) and `certificates.demo.seed_issuer`
(so approvals issue credentials at once). Idempotent: if the demo applications exist, it
does nothing.
"""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications import services as app_services
from applications.models import Application, EvidenceKind
from applications.selectors import criteria_of
from frameworks.models import BadgeVersion

from . import services
from .models import JudgementOutcome, Recommendation
from .services import JudgementInput

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _png() -> bytes:
    from PIL import Image, ImageDraw  # noqa: PLC0415 - Pillow is heavy: loaded only where it is used

    image = Image.new("RGB", (160, 100), (232, 244, 236))
    ImageDraw.Draw(image).rectangle((20, 20, 140, 80), outline=(30, 110, 60), width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def badge_version(slug: str) -> BadgeVersion:
    return BadgeVersion.objects.get(
        badge__constellation__slug="edusta", badge__slug=slug, status="published"
    )


def add_evidence(application, *, complete: bool = True) -> None:
    """What each criterion requires: PDFs and a PNG, links, reflections."""
    learner = application.learner
    for index, criterion in enumerate(criteria_of(application)):
        if not complete and index > 0:
            break
        files = criterion.required_files
        links = criterion.required_links
        reflections = criterion.required_reflections or (
            0 if criterion.has_evidence_requirement else 1
        )
        for n in range(files):
            png = n % 2 == 1
            app_services.evidence_add(
                actor=learner,
                application=application,
                kind=EvidenceKind.FILE,
                description=f"{criterion.title}: {'photo of the work' if png else 'document'}",
                criteria=[criterion],
                upload=SimpleUploadedFile(
                    f"{criterion.code}-{n + 1}.{'png' if png else 'pdf'}", _png() if png else PDF
                ),
            )
        for n in range(links):
            app_services.evidence_add(
                actor=learner,
                application=application,
                kind=EvidenceKind.LINK,
                description=f"{criterion.title}: online resource",
                criteria=[criterion],
                url=f"https://example.org/portfolio/{learner.pk}/{criterion.code.lower()}-{n + 1}",
            )
        for _n in range(reflections):
            app_services.evidence_add(
                actor=learner,
                application=application,
                kind=EvidenceKind.REFLECTION,
                description=f"{criterion.title}: reflection",
                criteria=[criterion],
                text=(
                    "<p>I tried this with my class of 24 learners. What worked: starting from a "
                    "question they asked themselves.</p><p>What I would change: <em>more time "
                    "for discussion</em> before the task.</p>"
                ),
            )


def judgements_for(application, *, not_met=()) -> list[JudgementInput]:
    result = []
    for index, criterion in enumerate(criteria_of(application)):
        met = index not in not_met
        levels = list(criterion.rubric_levels.all())
        level = next((lv for lv in levels if lv.is_passing is met), None)
        result.append(
            JudgementInput(
                criterion_id=criterion.pk,
                outcome=JudgementOutcome.MET if met else JudgementOutcome.NOT_YET,
                rubric_level_id=level.pk if level else None,
                feedback=(
                    "Clear and well sourced; the link to your learners' context is convincing."
                    if met
                    else "The evidence does not yet show this criterion."
                ),
                required_changes=[]
                if met
                else [
                    "Add the sources you used.",
                    "Explain in two or three sentences how your learners were involved.",
                ],
            )
        )
    return result


def reload(application) -> Application:
    return Application.objects.get(pk=application.pk)


def _start_reviews(application, when):
    for assignment in application.assignments.filter(is_active=True).order_by("id"):
        services.review_start(actor=assignment.assessor, application=reload(application), when=when)
    return reload(application)


def _decide(application, recommendation, when, *, assessor=None, not_met=(), reason=""):
    assessors = (
        [assessor]
        if assessor
        else [a.assessor for a in application.assignments.filter(is_active=True).order_by("id")]
    )
    for person in assessors:
        services.review_save(
            actor=person,
            application=reload(application),
            judgements=judgements_for(application, not_met=not_met),
            overall_feedback="Thank you for a thoughtful application.",
            recommendation=recommendation,
            reason=reason,
            submit=True,
            when=when,
        )
    return reload(application)


def _submitted(learner, slug, when, *, complete=True):
    application = app_services.application_start(learner=learner, badge_version=badge_version(slug))
    add_evidence(application, complete=complete)
    if complete:
        app_services.application_submit(
            actor=learner,
            application=application,
            when=when,
            note="Looking forward to your feedback.",
        )
    return reload(application)


def seed(accounts) -> None:
    lena, mika, sofia, jonas, amira, pieter, eva, tomas = accounts.learners[:8]
    if Application.objects.filter(learner__in=accounts.learners).exists():
        return
    chiara = accounts.assessors[2]
    now = timezone.now()
    days = lambda n: now - timedelta(days=n)  # noqa: E731

    # Chiara teaches the 2025 pilot cohort: she is never assigned their applications.
    services.conflict_declare(
        assessor=chiara, cohort=accounts.cohorts[1], reason="I teach this cohort myself."
    )

    # Lena: two feedback rounds, then approved.
    app = _submitted(lena, "knowledgeable-problem-articulator", days(30))
    app = _start_reviews(app, days(28))
    app = _decide(app, Recommendation.REQUEST_CHANGES, days(27), not_met=(1,))
    criterion = criteria_of(app)[1]
    item = app.evidence.filter(criteria=criterion, retired_at__isnull=True).first()
    app_services.evidence_update(
        actor=lena,
        item=item,
        description=f"{criterion.title}: revised, with sources and my learners' voices",
        criteria=[criterion],
        upload=SimpleUploadedFile("revised.pdf", PDF + b"% revised\n")
        if item.kind == EvidenceKind.FILE
        else None,
        text="<p>Revised: I added the sources and asked three learners for their view.</p>"
        if item.kind == EvidenceKind.REFLECTION
        else None,
    )
    app_services.application_submit(actor=lena, application=reload(app), when=days(20))
    app = _start_reviews(app, days(19))
    _decide(app, Recommendation.APPROVE, days(18))

    # Lena: two independent assessors agree.
    app = _submitted(lena, "critical-developer", days(16))
    app = _start_reviews(app, days(15))
    _decide(app, Recommendation.APPROVE, days(14))

    # Mika: two assessors disagree: in moderation.
    app = _submitted(mika, "critical-developer", days(12))
    app = _start_reviews(app, days(11))
    first, second = [a.assessor for a in app.assignments.filter(is_active=True).order_by("id")]
    app = _decide(app, Recommendation.APPROVE, days(10), assessor=first)
    _decide(
        app,
        Recommendation.REJECT,
        days(9),
        assessor=second,
        not_met=(0,),
        reason="The analysis names no sources for its claims.",
    )

    # Sofia: rejected.
    app = _submitted(sofia, "complexity-embracer", days(15))
    app = _start_reviews(app, days(14))
    _decide(
        app,
        Recommendation.REJECT,
        days(13),
        not_met=(0,),
        reason="The systems map is copied from a textbook; the badge asks for your own.",
    )

    # Jonas: withdrawn; and an overdue review (due seven days after submission).
    app = _submitted(jonas, "systems-thinking-promoter", days(8))
    app_services.application_withdraw(actor=jonas, application=app, when=days(6))
    _submitted(jonas, "futures-thinking-catalyser", days(12))

    # Amira: a draft with part of the evidence.
    _submitted(amira, "value-awareness-supporter", now, complete=False)

    # Pieter: submitted. Eva: in review. Tomás: changes requested.
    _submitted(pieter, "community-action-facilitator", days(2))
    app = _submitted(eva, "sustainable-practice-initiator", days(5))
    _start_reviews(app, days(3))
    app = _submitted(tomas, "conscious-change-agent", days(9))
    app = _start_reviews(app, days(8))
    _decide(app, Recommendation.REQUEST_CHANGES, days(7), not_met=(0,))
