"""Issued credentials (the certificates team extends this module; the fields below are the
interface other apps rely on: status, dates, badge version, recipient, application)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from frameworks.models import BadgeVersion


class Credential(models.Model):
    """One credential: for an approved application (micro badge), or for a satisfied
    milestone/meta rule (then `application` is empty and `components` lists what counted)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credentials"
    )
    badge_version = models.ForeignKey(
        BadgeVersion, on_delete=models.PROTECT, related_name="credentials"
    )
    application = models.OneToOneField(
        Application,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credential",
    )
    components = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="used_by")
    issued_at = models.DateTimeField(_("issued"))
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        ordering = ["-issued_at", "-id"]
        constraints = [
            # One credential per approved application: the OneToOneField. One credential per
            # learner and milestone/meta badge (unless revoked): this constraint.
            models.UniqueConstraint(
                fields=["recipient", "badge_version"],
                condition=Q(application__isnull=True, revoked_at__isnull=True),
                name="one_rule_credential_per_recipient",
            ),
        ]

    def __str__(self):
        return f"{self.badge_version.title} — {self.recipient}"
