from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = _("Review")

    def ready(self):
        from applications.signals import application_submitted

        from .services import on_application_submitted

        application_submitted.connect(
            on_application_submitted, dispatch_uid="review.on_application_submitted"
        )

        from django.db.models.signals import m2m_changed

        from core.models import Cohort
        from frameworks.models import Constellation

        from .services import on_cohort_members_changed, on_constellation_assessors_changed

        m2m_changed.connect(
            on_constellation_assessors_changed,
            sender=Constellation.assessors.through,
            dispatch_uid="review.on_constellation_assessors_changed",
        )
        m2m_changed.connect(
            on_cohort_members_changed,
            sender=Cohort.members.through,
            dispatch_uid="review.on_cohort_members_changed",
        )
