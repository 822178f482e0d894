"""Issuers, their signing keys, issued credentials and the revocation status lists.

The fields `recipient`, `badge_version`, `application`, `components`, `issued_at`,
`expires_at`, `revoked_at` and `revocation_reason` of `Credential` are read by other apps
(quality); keep them stable.

A credential is signed once, at issuing: the signed Open Badges 3.0 JSON and its VC-JWT
are stored as issued and served byte for byte; the verification page renders from them, so
what a person reads is what was signed. Revocation never touches the signed documents: it
is recorded here and published through the OB 2.0 revocation list and the OB 3.0 Bitstring
Status List.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from frameworks.models import BadgeVersion, Constellation

STATUS_LIST_BITS = 131_072  # the W3C minimum (16 KiB), for herd privacy


class Issuer(models.Model):
    """An awarding body (EU micro-credential elements 3 and 4)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("legal name"), max_length=200)
    url = models.URLField(_("website"), max_length=500)
    email = models.EmailField(_("contact email"))
    country_code = models.CharField(
        _("country code"), max_length=2, help_text=_("ISO 3166-1 alpha-2, e.g. FI.")
    )
    region = models.CharField(_("region"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    image = models.FileField(_("logo"), upload_to="issuer-images/", blank=True, max_length=200)
    is_default = models.BooleanField(
        _("default issuer"),
        default=False,
        help_text=_("Issues for every constellation that no other issuer names."),
    )
    constellations = models.ManyToManyField(
        Constellation, related_name="issuers", blank=True, verbose_name=_("constellations")
    )
    # Who may change the profile (the public identity behind its credentials) and which of
    # their constellations it awards; as coordinators are to a constellation.
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="owned_issuers",
        blank=True,
        verbose_name=_("owners"),
        help_text=_("Coordinators who may change this issuer profile."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("issuer")
        verbose_name_plural = _("issuers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_issuer"
            )
        ]

    def __str__(self):
        return self.name


class KeyAlgorithm(models.TextChoices):
    ED25519 = "Ed25519", _("Ed25519 (Data Integrity eddsa-rdfc-2022)")
    RS256 = "RS256", _("RSA (VC-JWT RS256)")
    ES256 = "ES256", _("ECDSA P-256 (VC-JWT ES256, earlier versions; verification only)")


# The algorithms new credentials are signed with; keys of other algorithms verify only.
SIGNING_ALGORITHMS = (KeyAlgorithm.ED25519, KeyAlgorithm.RS256)


class IssuerKey(models.Model):
    """One signing key. The private part is encrypted at rest (`certificates.openbadges.keys`) and never
    served, logged or shown; retired keys stay published so older credentials verify."""

    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="keys")
    algorithm = models.CharField(_("algorithm"), max_length=10, choices=KeyAlgorithm.choices)
    key_id = models.CharField(
        _("key id"), max_length=100, help_text=_("Multikey (z6Mk…) or JWK thumbprint.")
    )
    public_jwk = models.JSONField(_("public key (JWK)"))
    private_key_encrypted = models.BinaryField(editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        verbose_name = _("issuer key")
        verbose_name_plural = _("issuer keys")
        ordering = ["issuer", "algorithm", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "algorithm"],
                condition=Q(active=True),
                name="one_active_key_per_issuer_and_algorithm",
            ),
            models.UniqueConstraint(fields=["issuer", "key_id"], name="issuer_key_id_unique"),
        ]

    def __str__(self):
        return f"{self.issuer} {self.algorithm} {self.key_id[:16]}…"

    def __repr__(self):  # never include key material
        return f"<IssuerKey {self.pk} {self.algorithm} {self.key_id[:16]}>"


class StatusList(models.Model):
    """The issuer's revocation Bitstring Status List (one per issuer), re-signed on change."""

    issuer = models.OneToOneField(Issuer, on_delete=models.PROTECT, related_name="status_list")
    size = models.PositiveIntegerField(default=STATUS_LIST_BITS)
    # How many indexes are handed out (they are drawn at random, so this is a count).
    next_index = models.PositiveIntegerField(default=0)
    signed_credential = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("status list")
        verbose_name_plural = _("status lists")

    def __str__(self):
        return f"{self.issuer_id}: {self.next_index}/{self.size}"


class CredentialStatus(models.TextChoices):
    """What a credential is now: revocation wins over expiry (decided at reading time)."""

    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class Credential(models.Model):
    """One credential: for an approved application (micro badge), or for a satisfied
    milestone/meta rule (then `application` is empty and `components` lists what counted)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
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
    components = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="used_by"
    )
    issuer = models.ForeignKey(
        Issuer, null=True, on_delete=models.PROTECT, related_name="credentials"
    )
    issued_at = models.DateTimeField(_("issued"))
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Recipient identity: the email hashed with this salt (OB 2.0 and OB 3.0).
    salt = models.CharField(max_length=64, blank=True)
    show_name = models.BooleanField(
        _("show my name on the public page"),
        default=False,
        help_text=_("Without it, the page shows only that the credential belongs to its holder."),
    )
    recipient_name = models.CharField(_("name on the credential"), max_length=150, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    status_index = models.PositiveIntegerField(null=True, blank=True)
    # What was signed, as issued.
    ob3_credential = models.JSONField(default=dict, blank=True)
    ob3_jwt = models.TextField(blank=True)
    di_key = models.ForeignKey(
        IssuerKey, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    jwt_key = models.ForeignKey(
        IssuerKey, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    baked_png = models.FileField(upload_to="credentials/baked/", blank=True, max_length=200)
    baked_svg = models.FileField(upload_to="credentials/baked/", blank=True, max_length=200)
    baked_ob2_png = models.FileField(upload_to="credentials/baked/", blank=True, max_length=200)
    baked_ob2_svg = models.FileField(upload_to="credentials/baked/", blank=True, max_length=200)
    certificate_pdf = models.FileField(upload_to="credentials/pdf/", blank=True, max_length=200)
    report_pdf = models.FileField(upload_to="credentials/pdf/", blank=True, max_length=200)
    # The status the stored PDFs show (their REVOKED / EXPIRED mark): a stored PDF is
    # served only while it matches `status`; otherwise a marked copy is rendered.
    pdfs_status = models.CharField(
        max_length=10, choices=CredentialStatus.choices, default=CredentialStatus.VALID
    )
    # When the learner was told that the credential expires soon (sent once).
    expiry_reminder_sent_at = models.DateTimeField(null=True, blank=True)

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
            models.UniqueConstraint(
                fields=["issuer", "status_index"], name="one_status_index_per_issuer"
            ),
        ]

    def __str__(self):
        return f"{self.badge_version.title} — {self.recipient}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def status(self) -> CredentialStatus:
        if self.is_revoked:
            return CredentialStatus.REVOKED
        if self.is_expired:
            return CredentialStatus.EXPIRED
        return CredentialStatus.VALID

    @property
    def status_label(self) -> str:
        return str(self.status.label)

    @property
    def is_valid(self) -> bool:
        return self.status == "valid"
