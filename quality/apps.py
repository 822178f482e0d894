from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "quality"
    verbose_name = _("Quality assurance")

    def ready(self):
        from . import receivers  # noqa: F401, PLC0415 - AppConfig.ready connects the receivers
