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
