"""Demo history for the quality report: a third cohort working through the EduSTA badges
over the past six months, with double-assessed applications (agreements and
disagreements), moderations, resubmissions, a rejection, a conflict declaration and
overdue reviews.

Runs after the workflow and credential demos. Everything goes through the services of
applications and review (with `when=` in the past); approvals issue credentials through
the certificates task as usual. Idempotent: if the cohort's learners have applications,
it does nothing.
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from applications import services as app_services
from applications.models import Application, EvidenceKind
from core.models import Cohort, User
from core.roles import Role, grant_role
from frameworks.models import BadgeVersion, Criterion
from review import services
from review.models import JudgementOutcome, Recommendation
from review.services import JudgementInput

COHORT = ("autumn-2025", "Autumn intake 2025")
LEARNERS = [
    ("noor@example.org", "Noor Jansen"),
    ("lucas@example.org", "Lucas Meyer"),
    ("ines@example.org", "Inês Almeida"),
    ("oskar@example.org", "Oskar Lind"),
    ("zofia@example.org", "Zofia Kowalska"),
    ("matteo@example.org", "Matteo Bianchi"),
    ("aino@example.org", "Aino Mäkinen"),
    ("hugo@example.org", "Hugo Laurent"),
]
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _learners() -> tuple[Cohort, list[User]]:
    from demo.accounts import DEMO_PASSWORD

    cohort, _created = Cohort.objects.get_or_create(slug=COHORT[0], defaults={"name": COHORT[1]})
    people = []
    for email, name in LEARNERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, display_name=name)
        grant_role(user, Role.LEARNER)
        people.append(user)
    cohort.members.add(*people)
    return cohort, people


def _version(slug: str) -> BadgeVersion:
    return BadgeVersion.objects.get(
        badge__constellation__slug="edusta", badge__slug=slug, status="published"
    )


def _criteria(application) -> list[Criterion]:
    return list(
        Criterion.objects.filter(badge_version_id=application.badge_version_id)
        .prefetch_related("rubric_levels")
        .order_by("order", "id")
    )


def _fresh(application) -> Application:
    return Application.objects.get(pk=application.pk)


def _evidence(application) -> None:
    learner = application.learner
    for criterion in _criteria(application):
        reflections = criterion.required_reflections or (
            0 if criterion.has_evidence_requirement else 1
        )
        for n in range(criterion.required_files):
            app_services.evidence_add(
                actor=learner,
                application=application,
                kind=EvidenceKind.FILE,
                description=f"{criterion.title}: document {n + 1}",
                criteria=[criterion],
                upload=SimpleUploadedFile(f"{criterion.code}-{n + 1}.pdf", PDF),
            )
        for n in range(criterion.required_links):
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
                text="<p>What I tried with my learners, what worked and what I would change.</p>",
            )


def _judgements(application, not_met=()) -> list[JudgementInput]:
    result = []
    for index, criterion in enumerate(_criteria(application)):
        met = index not in not_met
        level = next((lv for lv in criterion.rubric_levels.all() if lv.is_passing is met), None)
        result.append(
            JudgementInput(
                criterion_id=criterion.pk,
                outcome=JudgementOutcome.MET if met else JudgementOutcome.NOT_YET,
                rubric_level_id=level.pk if level else None,
                feedback="Convincing evidence." if met else "Not yet shown by the evidence.",
                required_changes=[] if met else ["Show this with an example from your class."],
            )
        )
    return result


def _submit(learner, slug, when) -> Application:
    application = app_services.application_start(learner=learner, badge_version=_version(slug))
    _evidence(application)
    app_services.application_submit(actor=learner, application=application, when=when)
    return _fresh(application)


def _resubmit(application, when) -> Application:
    app_services.application_submit(
        actor=application.learner, application=_fresh(application), when=when
    )
    return _fresh(application)


def _assessors(application) -> list[User]:
    return [a.assessor for a in application.assignments.filter(is_active=True).order_by("id")]


def _start(application, when) -> Application:
    for assessor in _assessors(application):
        services.review_start(actor=assessor, application=_fresh(application), when=when)
    return _fresh(application)


def _review(application, assessor, recommendation, when, *, not_met=()) -> Application:
    services.review_save(
        actor=assessor,
        application=_fresh(application),
        judgements=_judgements(application, not_met),
        overall_feedback="Thank you for your application.",
        recommendation=recommendation,
        reason="The evidence does not show the criteria." if recommendation == "reject" else "",
        submit=True,
        when=when,
    )
    return _fresh(application)


def _double(application, when, first, second) -> Application:
    """Both assigned assessors review: `first`/`second` are (recommendation, not_met)."""
    application = _start(application, when)
    a, b = _assessors(application)
    application = _review(application, a, first[0], when + timedelta(days=2), not_met=first[1])
    return _review(application, b, second[0], when + timedelta(days=4), not_met=second[1])


def _single(application, when, recommendation, *, not_met=()) -> Application:
    application = _start(application, when)
    return _review(
        application,
        _assessors(application)[0],
        recommendation,
        when + timedelta(days=1),
        not_met=not_met,
    )


def _moderate(application, moderator, recommendation, when, *, not_met=()) -> Application:
    services.moderation_decide(
        actor=moderator,
        application=_fresh(application),
        judgements=_judgements(application, not_met),
        overall_feedback="Moderation: both reviews and the evidence considered.",
        recommendation=recommendation,
        reason="The evidence does not show the criteria." if recommendation == "reject" else "",
        submit=True,
        when=when,
    )
    return _fresh(application)


def seed(accounts) -> None:
    _cohort, people = _learners()
    if Application.objects.filter(learner__in=people).exists():
        return
    noor, lucas, ines, oskar, zofia, matteo, aino, hugo = people
    cora = accounts.coordinator
    bram = accounts.assessors[1]
    now = timezone.now()

    def ago(n):
        return now - timedelta(days=n)

    approve, changes, reject = (
        Recommendation.APPROVE,
        Recommendation.REQUEST_CHANGES,
        Recommendation.REJECT,
    )
    with transaction.atomic():
        services.conflict_declare(assessor=bram, learner=zofia, reason="Zofia is my colleague.")

    # Single assessment, spread over the months.
    with transaction.atomic():
        _single(_submit(noor, "knowledgeable-problem-articulator", ago(170)), ago(166), approve)
    with transaction.atomic():
        # A slow one: first review after three weeks.
        _single(_submit(lucas, "knowledgeable-problem-articulator", ago(130)), ago(108), approve)
    with transaction.atomic():
        _single(
            _submit(ines, "knowledgeable-problem-articulator", ago(100)),
            ago(97),
            reject,
            not_met=(0,),
        )
    with transaction.atomic():
        _single(_submit(oskar, "knowledgeable-problem-articulator", ago(70)), ago(69), approve)
    with transaction.atomic():
        app = _single(
            _submit(zofia, "complexity-embracer", ago(65)), ago(62), changes, not_met=(0,)
        )
        app = _resubmit(app, ago(50))
        _single(app, ago(48), approve)

    # Double assessment (critical-developer): agreement, disagreement, moderation.
    with transaction.atomic():
        _double(
            _submit(noor, "critical-developer", ago(150)), ago(149), (approve, ()), (approve, ())
        )
    with transaction.atomic():
        # Same recommendation, different criteria judged not yet met; then approved.
        app = _double(
            _submit(lucas, "critical-developer", ago(140)),
            ago(139),
            (changes, (1,)),
            (changes, (0, 1)),
        )
        app = _resubmit(app, ago(120))
        _double(app, ago(119), (approve, ()), (approve, ()))
    with transaction.atomic():
        app = _double(
            _submit(ines, "critical-developer", ago(110)), ago(109), (approve, ()), (reject, (0,))
        )
        _moderate(app, cora, approve, ago(100))
    with transaction.atomic():
        _double(
            _submit(oskar, "critical-developer", ago(95)), ago(94), (approve, ()), (approve, ())
        )
    with transaction.atomic():
        app = _double(
            _submit(zofia, "critical-developer", ago(80)), ago(79), (changes, (0,)), (approve, ())
        )
        _moderate(app, cora, changes, ago(72), not_met=(0,))
    with transaction.atomic():
        _double(
            _submit(matteo, "critical-developer", ago(60)),
            ago(58),
            (reject, (0, 1)),
            (reject, (0, 1)),
        )

    # Overdue: in review for six weeks, submitted a month ago, and never started.
    with transaction.atomic():
        _start(_submit(aino, "critical-developer", ago(45)), ago(44))
    with transaction.atomic():
        _submit(hugo, "critical-developer", ago(30))
    with transaction.atomic():
        _submit(matteo, "futures-thinking-catalyser", ago(40))
