import hashlib
import json
import unicodedata

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin, UserManager
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .roles import Role


def email_as_typed(value: str | None) -> str:
    """An e-mail address as a person means it: Unicode compatibility forms folded (NFKC:
    full-width letters, ligatures, odd spaces) and surrounding spaces dropped."""
    return unicodedata.normalize("NFKC", value or "").strip()


def email_key(value: str | None) -> str:
    """The one spelling of an e-mail address that sign-in and its throttling compare:
    `email_as_typed`, then case folded (the Unicode way, so `ß` and `ss` meet as well)."""
    return unicodedata.normalize("NFKC", email_as_typed(value).casefold())


class EmailUserManager(UserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email_as_typed(email)).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def with_address(self, typed: str | None) -> list:
        """Every account whose address is `typed` in some case or Unicode compatibility form
        (`email_key`). The database narrows the candidates (case-insensitively); the key
        decides, so each spelling that finds an account is one sign-in throttling counts as
        that account (see core.throttling)."""
        as_typed = email_as_typed(typed)
        key = email_key(as_typed)
        candidates = self.filter(
            models.Q(email__iexact=as_typed) | models.Q(email__iexact=(typed or "").strip())
        )
        return [user for user in candidates if email_key(user.get_username()) == key]

    def get_by_natural_key(self, username):
        """The account signing in as `username` (`with_address`). Should two accounts differ
        only in case (created before addresses were stored in lower case), the exact spelling
        wins, and otherwise neither is chosen."""
        matches = self.with_address(username)
        exact = [user for user in matches if user.get_username() == email_as_typed(username)]
        if len(exact) == 1:
            return exact[0]
        if len(matches) == 1:
            return matches[0]
        raise self.model.DoesNotExist("No single account signs in with this address.")


class User(AbstractBaseUser, PermissionsMixin):
    """A person: learner, assessor, coordinator and/or auditor (see `core.roles`)."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=150)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = EmailUserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["display_name", "email"]

    def __str__(self):
        return self.display_name or self.email

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name

    @cached_property
    def role_names(self) -> frozenset[str]:
        """The user's roles; one query, cached on the instance."""
        if not self.is_authenticated or not self.pk:
            return frozenset()
        return frozenset(self.groups.filter(name__in=Role.values).values_list("name", flat=True))

    def has_role(self, role: Role | str) -> bool:
        return Role(role).value in self.role_names


class Cohort(models.Model):
    """A group of learners (a class, an intake, a pilot group)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="cohorts", blank=True, verbose_name=_("members")
    )

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit events are append-only.")

    def delete(self):
        raise TypeError("Audit events are append-only.")


class AuditEvent(models.Model):
    """One append-only entry of the audit trail, chained by hash to the one before it.

    Written by `core.audit.audit_record` inside the transaction of the change it records.
    """

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    from_state = models.CharField(_("from state"), max_length=32, blank=True)
    to_state = models.CharField(_("to state"), max_length=32, blank=True)
    round_number = models.PositiveIntegerField(_("round"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id", "id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit events are append-only.")

    def canonical_payload(self) -> bytes:
        """Every recorded field, in a fixed serialisation: what the hash covers."""
        payload = {
            "created_at": self.created_at.isoformat(),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "round_number": self.round_number,
            "comment": self.comment,
            "data": self.data,
            "previous_hash": self.previous_hash,
        }
        return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical_payload()).hexdigest()


class AuditCheckpointQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit checkpoints are append-only.")

    def delete(self):
        raise TypeError("Audit checkpoints are append-only.")


class AuditCheckpoint(models.Model):
    """A signed statement of the audit chain's head: "the first `event_count` events end in
    the event `head_id` whose hash is `head_hash`".

    Signed (Ed25519) by `core.checkpoints` with a key the database does not hold, so someone
    who can rewrite the database can neither truncate the chain nor re-chain a rewritten
    event below a checkpoint without `verify_audit_trail` noticing. Each checkpoint is also
    written to the log and, when configured, to a file outside the database.
    """

    created_at = models.DateTimeField(_("time"), default=timezone.now)
    event_count = models.PositiveBigIntegerField(_("events covered"))
    head_id = models.BigIntegerField(_("last event"))
    head_hash = models.CharField(_("hash of the last event"), max_length=64)
    key_id = models.CharField(_("signing key"), max_length=64)
    signature = models.CharField(_("signature"), max_length=200)

    objects = AuditCheckpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        ordering = ["id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.event_count}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit checkpoints are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit checkpoints are append-only.")


class TaskWorker(models.Model):
    """A running background worker (`manage.py run_worker`), as it last reported itself.

    A worker reports every TASK_HEARTBEAT_INTERVAL seconds, also while it runs a task; a
    running task whose worker has been silent for TASK_STALE_AFTER seconds is recovered
    (core.background.recover_stale_runs)."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("background worker")
        verbose_name_plural = _("background workers")

    def __str__(self):
        return f"{self.hostname}:{self.pid} ({self.worker_id})"
