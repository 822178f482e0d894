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

from django.db import transaction
from django.utils import timezone

from applications import services as app_services
from applications.models import Application
from core.models import Cohort, User
from core.roles import Role, grant_role
from demo.accounts import DEMO_PASSWORD
from review import services
from review.demo import add_evidence, badge_version, judgements_for, reload
from review.models import Recommendation

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


def _learners() -> tuple[Cohort, list[User]]:
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


def _submit(learner, slug, when) -> Application:
    application = app_services.application_start(learner=learner, badge_version=badge_version(slug))
    add_evidence(application)
    app_services.application_submit(actor=learner, application=application, when=when)
    return reload(application)


def _resubmit(application, when) -> Application:
    app_services.application_submit(
        actor=application.learner, application=reload(application), when=when
    )
    return reload(application)


def _assessors(application) -> list[User]:
    return [a.assessor for a in application.assignments.filter(is_active=True).order_by("id")]


def _start(application, when) -> Application:
    for assessor in _assessors(application):
        services.review_start(actor=assessor, application=reload(application), when=when)
    return reload(application)


def _review(application, assessor, recommendation, when, *, not_met=()) -> Application:
    services.review_save(
        actor=assessor,
        application=reload(application),
        judgements=judgements_for(application, not_met=not_met),
        overall_feedback="Thank you for your application.",
        recommendation=recommendation,
        reason="The evidence does not show the criteria." if recommendation == "reject" else "",
        submit=True,
        when=when,
    )
    return reload(application)


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
        application=reload(application),
        judgements=judgements_for(application, not_met=not_met),
        overall_feedback="Moderation: both reviews and the evidence considered.",
        recommendation=recommendation,
        reason="The evidence does not show the criteria." if recommendation == "reject" else "",
        submit=True,
        when=when,
    )
    return reload(application)


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
