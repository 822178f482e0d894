"""Demo data that makes every demo person's home page show real work (idempotent).

The workflow demos (review.demo, quality.demo) leave the main demo learner, Lena, with two
approved applications only; here she also starts a third badge and leaves it in draft, so
her home page has something that needs her action. Runs after every other demo step.
"""

from django.db import transaction

from applications import services as app_services
from applications.models import Application
from review.demo import add_evidence, badge_version

DRAFT_BADGE = "systems-thinking-promoter"


def seed(accounts) -> None:
    lena = accounts.learners[0]
    version = badge_version(DRAFT_BADGE)
    if Application.objects.filter(learner=lena, badge_version=version).exists():
        return
    with transaction.atomic():
        application = app_services.application_start(learner=lena, badge_version=version)
        add_evidence(application, complete=False)
