"""Export jobs: an auditor's request for a file (CSV, XLSX, PDF) prepared in the background.

An export job is the record of who exported what, with which parameters (scope, period,
filters, pseudonymisation), and the SHA-256 of the file produced.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .labels import export_filename


class ExportKind(models.TextChoices):
    REPORT = "report", _("Quality report")
    APPLICATIONS = "applications", _("Applications")
    JUDGEMENTS = "judgements", _("Judgements")
    CREDENTIALS = "credentials", _("Credentials")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    PDF = "pdf", "PDF"
    JSON = "json", "JSON"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("export status", "Queued")
    RUNNING = "running", pgettext_lazy("export status", "Running")
    DONE = "done", pgettext_lazy("export status", "Ready")
    FAILED = "failed", pgettext_lazy("export status", "Failed")


class ExportJob(models.Model):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="export_jobs",
        verbose_name=_("requested by"),
    )
    kind = models.CharField(_("content"), max_length=20, choices=ExportKind.choices)
    format = models.CharField(_("format"), max_length=10, choices=ExportFormat.choices)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to="exports/", blank=True, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
        help_text=_("The report whose manifest lists this file."),
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_format_display()}) #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

    @property
    def filename(self) -> str:
        """What it holds, for which constellation and period (or the day it was requested),
        e.g. `quality-report-all-constellations-2026-12-01.xlsx`."""
        requested = timezone.localdate(self.created_at) if self.created_at else timezone.localdate()
        return export_filename(self.kind, self.format, self.parameters or {}, on=requested)

    @property
    def download_name(self) -> str:
        """The name the file downloads under: the one it was stored with (a PDF's
        accompanying exports are named after their report), else `filename`."""
        return (self.file.name or "").rsplit("/", 1)[-1] if self.file else self.filename


class ChainVerification(models.Model):
    """One check of the whole audit chain (core.audit.verify_audit_chain), kept so that the
    report page can show when the chain was last verified and with what result without
    walking the whole history on every view. Exports and the command verify afresh."""

    checked_at = models.DateTimeField(_("verified at"), auto_now_add=True, db_index=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )
    ok = models.BooleanField(_("intact"))
    checked = models.PositiveIntegerField(_("events verified"))
    first_broken_id = models.BigIntegerField(_("first broken event"), null=True, blank=True)
    problem = models.TextField(_("problem"), blank=True)
    anchored = models.PositiveBigIntegerField(_("events anchored by signed checkpoints"), default=0)
    anchored_at = models.CharField(_("newest checkpoint"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("audit chain verification")
        verbose_name_plural = _("audit chain verifications")
        ordering = ["-checked_at", "-id"]

    def __str__(self):
        return f"{self.checked_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'broken'}"
