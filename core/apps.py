from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import checks  # noqa: F401, PLC0415 - AppConfig.ready registers the system checks
        from .i18n import register_language_fallbacks  # noqa: PLC0415 - AppConfig.ready
        from .roles import sync_role_permissions  # noqa: PLC0415 - AppConfig.ready

        register_language_fallbacks()

        post_migrate.connect(sync_role_permissions, dispatch_uid="core.sync_role_permissions")
