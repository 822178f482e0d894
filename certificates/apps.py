from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Credentials")

    def ready(self):
        # AppConfig.ready: connect the receivers, and tell the application pages when an
        # approved application's credential was revoked or has expired.
        from applications.selectors import register_outcomes  # noqa: PLC0415 - AppConfig.ready

        from . import receivers, selectors  # noqa: F401, PLC0415 - AppConfig.ready

        register_outcomes(selectors.credential_outcomes)
