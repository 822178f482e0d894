"""The learner's working evidence and self-assessment: files (checked by content,
size-capped, stored under generated names), links and written reflections, attached to
criteria; editable while the application is a draft or changes were requested. Each write
locks the application and refuses a stale copy, in one transaction with its audit event.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import PermissionDeniedError, ValidationFailed, WorkflowError
from core.sanitize import clean_html, plain_text
from core.storage import removed_on_error
from core.uploads import EVIDENCE_KINDS, display_filename, generated_name, inspect_upload
from core.workflow import lock, plain_input
from frameworks.models import Criterion, RubricLevel

from ..models import Application, EvidenceItem, EvidenceKind, SelfAssessment, SelfAssessmentStatus


def _touch(application: Application) -> None:
    """Mark the application as updated without saving the (possibly stale) instance."""
    Application.objects.filter(pk=application.pk).update(updated_at=timezone.now())


def _require_learner_edit(actor, application: Application) -> None:
    if not actor.has_perm("applications.see_application", application):
        raise PermissionDeniedError()
    if application.learner_id != actor.pk:
        raise PermissionDeniedError()
    if not application.is_editable_by_learner:
        raise WorkflowError(
            _(
                "Evidence can only be changed while the application is a draft or changes were requested."
            )
        )


def _clean_criteria(application: Application, criteria) -> list[Criterion]:
    ids = {getattr(c, "pk", c) for c in criteria or []}
    found = list(
        Criterion.objects.filter(badge_version_id=application.badge_version_id, pk__in=ids)
    )
    if not ids or len(found) != len(ids):
        raise ValidationFailed(_("Choose at least one criterion of this badge for the evidence."))
    return found


def _clean_description(description: str) -> str:
    text = plain_input(description)
    if not text:
        raise ValidationFailed(_("Give the evidence a short description."))
    if len(text) > 300:
        raise ValidationFailed(_("The description can be at most 300 characters long."))
    return text


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        raise ValidationFailed(_("Enter the link."))
    if len(url) > 2000:
        raise ValidationFailed(_("The link is too long."))
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as error:
        raise ValidationFailed(
            _("Enter a web address that starts with http:// or https://.")
        ) from error
    return url


def _clean_reflection(text: str) -> str:
    raw = text or ""
    if not re.search(r"<[a-zA-Z/!]", raw):
        # Plain text: keep its paragraphs.
        paragraphs = [p.strip() for p in raw.replace("\r\n", "\n").split("\n\n") if p.strip()]
        raw = "".join("<p>{}</p>".format(escape(p).replace("\n", "<br>")) for p in paragraphs)
    cleaned = clean_html(raw)
    if not clean_html_has_text(cleaned):
        raise ValidationFailed(_("Write the reflection."))
    return cleaned


def clean_html_has_text(html: str) -> bool:
    return bool(plain_text(html).strip())


def application_file_usage(application: Application, *, exclude_item=None) -> int:
    """Bytes of the files in the working set (what counts against the per-application cap)."""
    items = EvidenceItem.objects.filter(
        application=application, kind=EvidenceKind.FILE, retired_at__isnull=True
    )
    if exclude_item is not None:
        items = items.exclude(pk=exclude_item.pk)
    return items.aggregate(total=Sum("size"))["total"] or 0


def _store_upload(item: EvidenceItem, application: Application, upload, *, exclude_item=None):
    kind = inspect_upload(upload, allowed=EVIDENCE_KINDS, max_size=settings.EVIDENCE_MAX_FILE_SIZE)
    size = upload.size
    cap = settings.EVIDENCE_MAX_APPLICATION_SIZE
    if application_file_usage(application, exclude_item=exclude_item) + size > cap:
        raise ValidationFailed(
            _(
                "The files of this application would exceed %(limit)s MB together. Remove a file first."
            )
            % {"limit": f"{cap / 1048576:.0f}"}
        )
    item.original_filename = display_filename(getattr(upload, "name", ""), fallback="evidence")
    item.content_type = kind.mime
    item.size = size
    upload.seek(0)
    # upload_to is "evidence/"; the name below is generated: nothing of the original name.
    name = generated_name(str(application.pk), kind)
    item.file.save(name, upload, save=False)


def evidence_add(
    *,
    actor,
    application: Application,
    kind: str,
    description: str,
    criteria,
    upload=None,
    url: str = "",
    text: str = "",
    is_public: bool = False,
) -> EvidenceItem:
    _require_learner_edit(actor, application)
    if kind not in EvidenceKind.values:
        raise ValidationFailed(_("Choose a file, a link or a written reflection."))
    criteria = _clean_criteria(application, criteria)
    item = EvidenceItem(
        application=application,
        kind=kind,
        description=_clean_description(description),
        is_public=bool(is_public),
    )
    if kind == EvidenceKind.LINK:
        item.url = _clean_url(url)
    elif kind == EvidenceKind.REFLECTION:
        item.text = _clean_reflection(text)
    elif upload is None:
        raise ValidationFailed(_("Choose a file to upload."))
    # A stored file whose row is not committed (the transaction failed) is removed again.
    with removed_on_error() as written, transaction.atomic():
        # The page may predate a submission: lock the row and refuse a stale state.
        lock(application)
        if kind == EvidenceKind.FILE:
            _store_upload(item, application, upload)
            written.append(item.file.name or "")
        item.save()
        item.criteria.set(criteria)
        audit_record(
            actor=actor,
            action="evidence.added",
            obj=application,
            comment=item.description,
            data={"evidence": item.pk, "kind": kind, "criteria": sorted(c.pk for c in criteria)},
        )
        _touch(application)
    return item


def _is_frozen(item: EvidenceItem) -> bool:
    return item.rounds.exists()


def _delete_file_if_unused(name: str | None) -> None:
    if name and not EvidenceItem.objects.filter(file=name).exists():
        transaction.on_commit(lambda: default_storage.delete(name))


def evidence_update(
    *,
    actor,
    item: EvidenceItem,
    description: str,
    criteria,
    upload=None,
    url: str | None = None,
    text: str | None = None,
    is_public: bool | None = None,
) -> EvidenceItem:
    """Change an evidence item. An item that a round froze is never changed: a new item
    takes its place in the working set (`previous` points back) and the old one retires."""
    application = item.application
    _require_learner_edit(actor, application)
    if item.retired_at is not None:
        raise WorkflowError(_("This evidence was already replaced or removed."))
    criteria = _clean_criteria(application, criteria)
    description = _clean_description(description)
    with removed_on_error() as written, transaction.atomic():
        # Locked first: a submission committing in between would freeze `item` after the
        # check below and the change would rewrite what the round froze.
        lock(application)
        frozen = _is_frozen(item)
        old_file = item.file.name if item.file else ""
        target = item
        if frozen:
            target = EvidenceItem(
                application=application,
                kind=item.kind,
                file=item.file.name or "",
                original_filename=item.original_filename,
                content_type=item.content_type,
                size=item.size,
                url=item.url,
                text=item.text,
                is_public=item.is_public,
                previous=item,
            )
        target.description = description
        if is_public is not None:
            target.is_public = bool(is_public)
        if item.kind == EvidenceKind.LINK and url is not None:
            target.url = _clean_url(url)
        elif item.kind == EvidenceKind.REFLECTION and text is not None:
            target.text = _clean_reflection(text)
        elif item.kind == EvidenceKind.FILE and upload is not None:
            _store_upload(target, application, upload, exclude_item=item)
            written.append(target.file.name or "")
        target.save()
        target.criteria.set(criteria)
        if frozen:
            item.retired_at = timezone.now()
            item.save(update_fields=["retired_at"])
        elif upload is not None and old_file and old_file != target.file.name:
            _delete_file_if_unused(old_file)
        audit_record(
            actor=actor,
            action="evidence.changed",
            obj=application,
            comment=target.description,
            data={"evidence": target.pk, "replaces": item.pk if frozen else None},
        )
        _touch(application)
    return target


def evidence_remove(*, actor, item: EvidenceItem) -> None:
    application = item.application
    _require_learner_edit(actor, application)
    if item.retired_at is not None:
        return
    with transaction.atomic():
        lock(application)
        if _is_frozen(item):
            item.retired_at = timezone.now()
            item.save(update_fields=["retired_at"])
        else:
            name = item.file.name if item.file else ""
            item_pk = item.pk
            item.delete()
            item.pk = item_pk
            _delete_file_if_unused(name)
        audit_record(
            actor=actor,
            action="evidence.removed",
            obj=application,
            comment=item.description,
            data={"evidence": item.pk},
        )
        _touch(application)


# --- self-assessment -------------------------------------------------------------------------


def self_assessment_save(*, actor, application: Application, entries: list[dict]) -> None:
    """entries: [{"criterion": Criterion|id, "status": "met"|"not_yet"|"", "rubric_level":
    RubricLevel|id|None, "comment": str}]. An empty entry removes the working copy."""
    _require_learner_edit(actor, application)
    criteria = {
        c.pk: c for c in Criterion.objects.filter(badge_version_id=application.badge_version_id)
    }
    with transaction.atomic():
        lock(application)
        for entry in entries:
            criterion_id = getattr(entry.get("criterion"), "pk", entry.get("criterion"))
            if criterion_id not in criteria:
                raise ValidationFailed(_("This criterion does not belong to the badge."))
            status = entry.get("status") or ""
            if status and status not in SelfAssessmentStatus.values:
                raise ValidationFailed(_("Choose “met” or “not yet”."))
            level = entry.get("rubric_level")
            level_id = getattr(level, "pk", level) or None
            if (
                level_id is not None
                and not RubricLevel.objects.filter(pk=level_id, criterion_id=criterion_id).exists()
            ):
                raise ValidationFailed(_("This rubric level does not belong to the criterion."))
            comment = plain_input(entry.get("comment"), max_length=2000)
            if not status and level_id is None and not comment:
                SelfAssessment.objects.filter(
                    application=application, round__isnull=True, criterion_id=criterion_id
                ).delete()
                continue
            SelfAssessment.objects.update_or_create(
                application=application,
                round=None,
                criterion_id=criterion_id,
                defaults={"status": status, "rubric_level_id": level_id, "comment": comment},
            )
        _touch(application)
