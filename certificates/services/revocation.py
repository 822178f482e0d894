"""Revocation: a credential with its reason, and the milestone/meta credentials that needed it.

After the revocation commits, each revoked credential's PDFs are rendered again with the
REVOKED mark and stored (until then the download renders a marked copy in memory), and its
holder gets a mail in their language.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.errors import WorkflowError
from core.workflow import enqueue_on_commit, plain_input
from frameworks.models import BadgeVersion

from .. import tasks
from ..models import Credential
from .milestones import _valid_credentials_by_badge, rule_progress
from .status_lists import status_list_refresh


def credential_revoke(*, actor, credential: Credential, reason: str) -> list[Credential]:
    """Revoke with a reason; then re-check the milestone/meta credentials that used it.

    Policy: a milestone (or meta) credential stays valid while the holder's remaining valid
    credentials still satisfy its rule; otherwise it is revoked too, with a reason naming
    the component. Returns every credential revoked (this one first).
    """
    reason = plain_input(reason, max_length=2000)
    if not reason:
        raise WorkflowError(_("A reason is required to revoke a credential."))
    revoked: list[Credential] = []
    with transaction.atomic():
        locked = Credential.objects.select_for_update().get(pk=credential.pk)
        if locked.revoked_at is not None:
            raise WorkflowError(_("This credential is already revoked."))
        _revoke_one(locked, actor=actor, reason=reason, revoked=revoked)
        for issuer in {c.issuer for c in revoked if c.issuer is not None}:
            status_list_refresh(issuer=issuer)
        for item in revoked:
            enqueue_on_commit(tasks.render_credential_pdfs, item.pk)
            enqueue_on_commit(tasks.notify_credential_revoked, item.pk)
    credential.refresh_from_db()
    return revoked


def _revoke_one(credential: Credential, *, actor, reason: str, revoked: list) -> None:
    credential.revoked_at = timezone.now()
    credential.revocation_reason = reason[:2000]
    credential.revoked_by = actor if getattr(actor, "pk", None) else None
    credential.save(update_fields=["revoked_at", "revocation_reason", "revoked_by"])
    audit_record(actor=actor, action="credential.revoked", obj=credential, comment=reason)
    revoked.append(credential)
    dependants = list(
        credential.used_by.filter(revoked_at__isnull=True).select_related("badge_version", "issuer")
    )
    if not dependants:
        return
    by_badge = _valid_credentials_by_badge(credential.recipient)
    for dependant in dependants:
        version = BadgeVersion.objects.prefetch_related("required_badges").get(
            pk=dependant.badge_version_id
        )
        _met, missing = rule_progress(version, by_badge)
        if missing:
            _revoke_one(
                dependant,
                actor=actor,
                reason=str(
                    _("A component credential it required was revoked (%(badge)s): %(reason)s")
                    % {"badge": credential.badge_version.title, "reason": reason}
                ),
                revoked=revoked,
            )
            by_badge = _valid_credentials_by_badge(credential.recipient)
