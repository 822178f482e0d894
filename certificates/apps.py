from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Credentials")

    def ready(self):
        from applications.selectors import register_outcomes  # noqa: PLC0415 - AppConfig.ready

        from . import receivers  # noqa: F401, PLC0415 - AppConfig.ready connects the receivers
        from . import selectors  # noqa: PLC0415 - AppConfig.ready

        # The application pages say when an approved application's credential was revoked
        # or has expired.
        register_outcomes(selectors.credential_outcomes)
