"""The writes of the quality app: export jobs, and the files they (and the command) produce.

Exports change none of the records they read. An export job row is the record of who
exported what: requested by, parameters (scope, period, filters, pseudonymisation), the
file and its SHA-256.
"""

import hashlib
import json
import os
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit import verify_audit_chain
from core.errors import DomainError, PermissionDeniedError, ValidationFailed
from core.workflow import enqueue_on_commit

from . import exporters, tasks
from .charts import report_charts
from .models import ChainVerification, ExportFormat, ExportJob, ExportKind, ExportStatus
from .pdf import render_report_pdf
from .report import build_report
from .selectors import Filters, allowed_constellation_ids

# Which formats each kind of export comes in.
FORMATS: dict[str, tuple[ExportFormat, ...]] = {
    ExportKind.REPORT: (ExportFormat.PDF, ExportFormat.XLSX, ExportFormat.CSV, ExportFormat.JSON),
    ExportKind.APPLICATIONS: (ExportFormat.CSV, ExportFormat.XLSX),
    ExportKind.JUDGEMENTS: (ExportFormat.CSV, ExportFormat.XLSX),
    ExportKind.CREDENTIALS: (ExportFormat.CSV, ExportFormat.XLSX),
}
ACCOMPANYING = ("applications", "judgements", "credentials")


@dataclass(frozen=True)
class ProducedFile:
    name: str
    path: Path
    sha256: str


def sha256_of(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def write_dataset(path: Path, *, kind: str, fmt: str, filters: Filters, pseudonymise: bool) -> None:
    if fmt == ExportFormat.CSV:
        exporters.write_csv(path, kind, filters, pseudonymise=pseudonymise)
    else:
        exporters.write_xlsx(path, filters, datasets=[kind], pseudonymise=pseudonymise)


def write_report(
    out: Path,
    *,
    fmt: str,
    filters: Filters,
    pseudonymise: bool,
    progress=None,
) -> list[ProducedFile]:
    """Write the report in `fmt` to `out`. A PDF comes with its accompanying CSV exports,
    written next to it (`<stem>-applications.csv`, …) and listed with their SHA-256 in the
    PDF's manifest. Returns every file written, the report itself last."""
    out = Path(out)
    progress = progress or (lambda _value: None)
    report = build_report(filters)
    progress(20)
    produced: list[ProducedFile] = []
    if fmt == ExportFormat.JSON:
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    elif fmt == ExportFormat.CSV:
        exporters.write_report_csv(out, report)
    elif fmt == ExportFormat.XLSX:
        exporters.write_xlsx(
            out,
            filters,
            datasets=ACCOMPANYING,
            pseudonymise=pseudonymise,
            report=report,
            progress=lambda value: progress(20 + value * 3 // 4),
        )
    elif fmt == ExportFormat.PDF:
        for index, kind in enumerate(ACCOMPANYING):
            path = out.with_name(f"{out.stem}-{kind}.csv")
            exporters.write_csv(path, kind, filters, pseudonymise=pseudonymise)
            produced.append(ProducedFile(path.name, path, sha256_of(path)))
            progress(20 + (index + 1) * 15)
        manifest = {
            "scope": report["scope"],
            "generated_at": report["generated_at"],
            "pseudonymised": pseudonymise,
            "files": [{"name": f.name, "sha256": f.sha256} for f in produced],
        }
        out.write_bytes(
            render_report_pdf(report=report, charts=report_charts(report), manifest=manifest)
        )
    else:
        raise ValidationFailed(_("Unknown format."))
    produced.append(ProducedFile(out.name, out, sha256_of(out)))
    progress(95)
    return produced


# --- export jobs --------------------------------------------------------------------------


def export_request(*, user, kind: str, fmt: str, filters: Filters, pseudonymise: bool) -> ExportJob:
    """Queue an export for `user`. Auditors may export everything; coordinators only the
    constellations they coordinate (the filters must name one)."""
    if kind not in FORMATS or fmt not in FORMATS[kind]:
        raise ValidationFailed(_("This export is not available in that format."))
    if not user.has_perm("quality.request_export"):
        raise PermissionDeniedError()
    allowed = allowed_constellation_ids(user=user)
    if allowed is not None and (
        filters.constellation is None or filters.constellation.pk not in allowed
    ):
        raise PermissionDeniedError(_("Choose one of the constellations you coordinate."))
    parameters = {**filters.as_parameters(), "pseudonymise": bool(pseudonymise)}
    with transaction.atomic():
        job = ExportJob.objects.create(
            requested_by=user, kind=kind, format=fmt, parameters=parameters
        )
        enqueue_on_commit(tasks.run_export, job.pk)
    return job


def _set(job: ExportJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=list(fields))


def export_run(*, job_id: int) -> ExportJob:
    """Produce the file of one queued job, in the language of the person who asked for it
    (a worker has no request to take it from); record progress, the file and its SHA-256."""
    language = (
        ExportJob.objects.filter(pk=job_id)
        .values_list("requested_by__preferred_language", flat=True)
        .first()
    )
    with translation.override(language or settings.LANGUAGE_CODE):
        return _export_run(job_id=job_id)


def _export_run(*, job_id: int) -> ExportJob:
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    if job.status == ExportStatus.DONE:
        return job
    # Queued; or running/failed again: the worker of an earlier run died, or an operator
    # retried it. Start over: what an earlier run left is removed first.
    for leftover in job.attachments.all():
        _discard(leftover)
    if job.file:
        job.file.delete(save=False)
    _set(job, status=ExportStatus.RUNNING, started_at=timezone.now(), progress=5, error="", file="")
    parameters = dict(job.parameters)
    pseudonymise = bool(parameters.pop("pseudonymise", False))
    try:
        filters = Filters.from_parameters(
            parameters, allowed=allowed_constellation_ids(user=job.requested_by)
        )
        with tempfile.TemporaryDirectory(prefix="quality-export-") as directory:
            out = Path(directory) / job.filename
            if job.kind == ExportKind.REPORT:
                produced = write_report(
                    out,
                    fmt=job.format,
                    filters=filters,
                    pseudonymise=pseudonymise,
                    progress=lambda value: _set(job, progress=min(100, value - value % 5)),
                )
            else:
                write_dataset(
                    out, kind=job.kind, fmt=job.format, filters=filters, pseudonymise=pseudonymise
                )
                produced = [ProducedFile(out.name, out, sha256_of(out))]
            for extra in produced[:-1]:
                attachment = ExportJob.objects.create(
                    requested_by=job.requested_by,
                    kind=extra.name.rsplit("-", 1)[-1].removesuffix(".csv"),
                    format=ExportFormat.CSV,
                    parameters=job.parameters,
                    parent=job,
                    status=ExportStatus.DONE,
                    progress=100,
                    sha256=extra.sha256,
                    started_at=job.started_at,
                    finished_at=timezone.now(),
                )
                _store(attachment, extra.path)
            main = produced[-1]
            _store(job, main.path)
            _set(
                job,
                sha256=main.sha256,
                status=ExportStatus.DONE,
                progress=100,
                finished_at=timezone.now(),
            )
    except DomainError as error:  # the request itself cannot be met: no point in retrying
        _set(job, status=ExportStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now())
    except Exception as error:
        # Perhaps passing (storage, database): queued again, the worker retries the task;
        # when it gives up, export_task_failed marks the job failed.
        _set(job, status=ExportStatus.QUEUED, progress=0, error=str(error)[:2000])
        raise
    return job


def export_task_failed(*, job_id: int, error: str) -> None:
    """The export task failed for good (no attempts left, or its worker died): a job still
    queued or running is failed, so nobody waits for it."""
    ExportJob.objects.filter(
        pk=job_id, status__in=(ExportStatus.QUEUED, ExportStatus.RUNNING)
    ).update(
        status=ExportStatus.FAILED,
        error=error[:2000] or _("The export could not be completed."),
        finished_at=timezone.now(),
    )


def _discard(job: ExportJob) -> None:
    if job.file:
        job.file.delete(save=False)
    job.delete()


def _store(job: ExportJob, path: Path) -> None:
    # A folder nobody can guess (the file holds learners' data), the readable name inside
    # it: the download and the PDF's manifest name the file the same way.
    name = f"{uuid.uuid4().hex}/{os.path.basename(path)}"
    with open(path, "rb") as handle:
        job.file.save(name, File(handle), save=False)
    job.save(update_fields=["file"])


def audit_chain_verify(*, actor) -> ChainVerification:
    """Verify the whole audit chain now and keep the result (who, when, what was found)."""
    report = verify_audit_chain()
    return ChainVerification.objects.create(
        checked_by=actor if getattr(actor, "pk", None) else None,
        ok=report.ok,
        checked=report.checked,
        first_broken_id=report.first_broken_id,
        problem=report.problem,
        anchored=report.anchored,
        anchored_at=report.anchored_at,
    )
