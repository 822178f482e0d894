from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = _("Review")

    def ready(self):
        # AppConfig.ready: connect the receivers and grant assessors and moderators the
        # applications they assess (applications reads none of review's data itself).
        from applications.selectors import register_visibility  # noqa: PLC0415 - AppConfig.ready

        from . import receivers, selectors  # noqa: F401, PLC0415 - AppConfig.ready

        register_visibility(selectors.visibility_grant)
