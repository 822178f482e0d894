from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Credentials")

    def ready(self):
        from . import receivers  # noqa: F401, PLC0415 - AppConfig.ready connects the receivers
